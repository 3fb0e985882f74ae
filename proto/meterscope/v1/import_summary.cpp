#include "meterscope/v1/import_summary.h"

#include <map>

namespace meterscope::v1 {

std::string importSummary(const ImportReport &report)
{
    using std::to_string;
    std::string out = report.file_name() + ": " + (report.dry_run() ? "dry run, would have " : "")
                      + to_string(report.rows_imported()) + " rows imported (" + to_string(report.rows_new()) + " new, "
                      + to_string(report.rows_updated()) + " updated, " + to_string(report.rows_unchanged())
                      + " unchanged), " + to_string(report.rows_missing()) + " missing, "
                      + to_string(report.rows_rejected()) + " rejected";
    if (report.rows_duplicate() > 0)
        out += ", " + to_string(report.rows_duplicate()) + " duplicates replaced";
    if (report.replayed())
        out += " (imported before with this id; nothing done now)";
    else
        out += " in " + to_string(report.duration_ms()) + " ms";
    return out;
}

std::string roleName(ColumnRole role)
{
    switch (role) {
    case COLUMN_ROLE_TIME:
        return "time";
    case COLUMN_ROLE_VALUE:
        return "value";
    case COLUMN_ROLE_SERIES_KEY:
        return "series key";
    default:
        return "ignored";
    }
}

std::string kindName(SeriesKind kind)
{
    switch (kind) {
    case SERIES_KIND_INTERVAL:
        return "interval";
    case SERIES_KIND_CUMULATIVE:
        return "cumulative";
    case SERIES_KIND_INSTANT:
        return "instant";
    default:
        return "";
    }
}

SeriesKind kindByName(const std::string &name)
{
    for (const SeriesKind kind : {SERIES_KIND_INTERVAL, SERIES_KIND_CUMULATIVE, SERIES_KIND_INSTANT}) {
        if (name == kindName(kind))
            return kind;
    }
    return SERIES_KIND_UNSPECIFIED;
}

std::vector<std::string> layoutLines(const ImportReport &report)
{
    if (!report.has_layout())
        return {};
    const ImportLayout &layout = report.layout();
    using std::to_string;
    std::string line = "layout: ";
    line += layout.delimiter() == "\t" ? "tab" : "'" + layout.delimiter() + "'";
    line += " delimited, ";
    line += layout.header_line() > 0 ? "header on line " + to_string(layout.header_line()) : "no header";
    if (layout.skipped_lines() > 0)
        line += " after " + to_string(layout.skipped_lines())
                + (layout.skipped_lines() == 1 ? " skipped line" : " skipped lines");
    line += ", dates "
            + (layout.date_order() == "format" ? "as --time-format '" + layout.time_format() + "'"
                                               : layout.date_order());
    if (layout.date_order_ambiguous())
        line += " (ambiguous)";
    line += ", naive times in " + layout.timezone();
    // A file of thousands of meters: the first columns, then a count of the
    // rest by role (the JSON report lists every one).
    constexpr int kListed = 12;
    std::string columns = "columns:";
    for (int i = 0; i < layout.columns_size() && i < kListed; ++i) {
        const ImportColumn &column = layout.columns(i);
        columns += (i ? ", " : " ") + column.header() + " " + roleName(column.role());
        if (!column.unit().empty())
            columns += " [" + column.unit() + "]";
    }
    if (layout.columns_size() > kListed) {
        std::map<std::string, int> rest;
        for (int i = kListed; i < layout.columns_size(); ++i)
            ++rest[roleName(layout.columns(i).role())];
        columns += " and " + to_string(layout.columns_size() - kListed) + " more (";
        for (auto it = rest.begin(); it != rest.end(); ++it)
            columns += (it == rest.begin() ? "" : ", ") + to_string(it->second) + " " + it->first;
        columns += ")";
    }
    std::vector<std::string> lines{line, columns};
    for (const std::string &note : layout.notes())
        lines.push_back("note: " + note);
    return lines;
}

} // namespace meterscope::v1
