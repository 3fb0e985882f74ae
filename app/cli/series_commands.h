#pragma once

#include "cli/command.h"

#include <QStringList>

namespace meterscope::cli {

/// meterscope-cli series: every series with its count, range and unit.
int seriesCommand(const GlobalOptions &globals, const QStringList &arguments);
/// meterscope-cli delete --series NAME [--from T] [--to T].
int deleteCommand(const GlobalOptions &globals, const QStringList &arguments);
/// meterscope-cli update --series NAME [--rename NEW] [--unit UNIT] [--kind KIND]
/// [--gap-threshold DURATION].
int updateCommand(const GlobalOptions &globals, const QStringList &arguments);

} // namespace meterscope::cli
