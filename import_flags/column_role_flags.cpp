#include "import_flags/column_role_flags.h"

#include <stdexcept>

namespace meterscope::importflags {

ColumnRoleFlags::ColumnRoleFlags(const QString &helpPrefix)
    : timeColumn("time-column",
                 helpPrefix
                     + "the time column (a header name or a 1-based number); twice: a date, then a time of day. "
                       "Default: detected.",
                 "COL")
    , valueColumn("value-column", helpPrefix + "a value column (repeatable); the others are then ignored.", "COL")
    , seriesColumn("series-column", helpPrefix + "long format, one series per value of this column.", "COL")
    , skipLines("skip-lines", helpPrefix + "lines to skip before the header. Default: detected.", "N")
    , missing("missing", helpPrefix + "another cell meaning \"missing\" (repeatable).", "TOKEN")
    , unit("unit", helpPrefix + "the unit of every series of the file.", "UNIT")
{
}

void ColumnRoleFlags::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({timeColumn, valueColumn, seriesColumn, skipLines, missing, unit});
}

void ColumnRoleFlags::read(const QCommandLineParser &parser, v1::ImportOptions &options) const
{
    const QStringList times = parser.values(timeColumn);
    if (times.size() > 2)
        throw std::invalid_argument("--time-column: give one time column, or a date column then a time-of-day column");
    for (const QString &column : times)
        options.add_time_column(column.toStdString());
    for (const QString &column : parser.values(valueColumn))
        options.add_value_column(column.toStdString());
    options.set_series_column(parser.value(seriesColumn).toStdString());
    if (parser.isSet(skipLines)) {
        bool ok = false;
        options.set_skip_lines(parser.value(skipLines).toULongLong(&ok));
        if (!ok)
            throw std::invalid_argument("--skip-lines needs a number of lines, not '"
                                        + parser.value(skipLines).toStdString() + "'");
    }
    for (const QString &token : parser.values(missing))
        options.add_missing(token.toStdString());
    options.set_unit(parser.value(unit).toStdString());
}

} // namespace meterscope::importflags
