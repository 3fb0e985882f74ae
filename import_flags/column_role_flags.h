#pragma once

#include "meterscope/v1/meterscope.pb.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

namespace meterscope::importflags {

/// --time-column, --value-column, --series-column, --skip-lines, --missing
/// and --unit: the column roles of an import (COL is a header name or a
/// 1-based number; what is not given is detected). `helpPrefix` starts each
/// help text (meterscoped says "For --import: ").
struct ColumnRoleFlags {
    explicit ColumnRoleFlags(const QString &helpPrefix = {});

    void addTo(QCommandLineParser &parser) const;
    /// Sets the role fields of `options` from the parsed flags. Throws
    /// std::invalid_argument with the sentence for a usage error.
    void read(const QCommandLineParser &parser, v1::ImportOptions &options) const;

    QCommandLineOption timeColumn, valueColumn, seriesColumn, skipLines, missing, unit;
};

} // namespace meterscope::importflags
