#pragma once

#include "client/client.h"
#include "import_flags/column_role_flags.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace meterscope::cli {

/// The options of `meterscope-cli import` that become ImportOptions: the
/// series name, zone, time format, delimiter, epoch unit and the column
/// roles (#14). Usage errors exit 2 with one line.
struct ImportFlags {
    void addTo(QCommandLineParser &parser) const;
    client::ImportSettings read(const QCommandLineParser &parser) const;

    QCommandLineOption series{"series", "Name of the series (files with one value column).", "NAME"};
    QCommandLineOption timezone{"timezone", "Zone for times without an offset (default: the server's).", "ZONE"};
    QCommandLineOption timeFormat{"time-format", "Layout of the time cell, e.g. \"%d/%m/%Y %H:%M\".", "FMT"};
    QCommandLineOption delimiter{"delimiter", "Cell delimiter: ',' ';' or tab (default: detected).", "C"};
    QCommandLineOption epochUnit{"epoch-unit", "Unit of numeric times: s, ms or us (default: by magnitude).", "UNIT"};
    importflags::ColumnRoleFlags columnRoles;
};

} // namespace meterscope::cli
