#pragma once

#include "cli/command.h"

#include <QStringList>

namespace meterscope::cli {

/// meterscope-cli totals --series NAME --by hour|day|week|month|year
/// [--from T] [--to T] [--timezone ZONE] [--price P] [--format table|csv|json].
int totalsCommand(const GlobalOptions &globals, const QStringList &arguments);
/// meterscope-cli gaps --series NAME [--from T] [--to T] [--timezone ZONE] [--json].
int gapsCommand(const GlobalOptions &globals, const QStringList &arguments);

} // namespace meterscope::cli
