#include "service/wire.h"

namespace meterscope::service {

void toProto(const storage::SeriesSummary &summary, v1::Series *out)
{
    out->set_name(summary.name);
    out->set_unit(summary.unit);
    out->set_points(summary.points);
    if (summary.first)
        out->set_first_time_us(*summary.first);
    if (summary.last)
        out->set_last_time_us(*summary.last);
    out->set_kind(toProto(summary.kind));
    out->set_gap_threshold_us(summary.gapThreshold.value_or(0));
}

v1::SeriesKind toProto(storage::SeriesKind kind)
{
    return v1::SeriesKind(int(kind) + 1);
}

namespace {

v1::ColumnRole toProto(ingest::ColumnRole role)
{
    switch (role) {
    case ingest::ColumnRole::Time:
        return v1::COLUMN_ROLE_TIME;
    case ingest::ColumnRole::Value:
        return v1::COLUMN_ROLE_VALUE;
    case ingest::ColumnRole::SeriesKey:
        return v1::COLUMN_ROLE_SERIES_KEY;
    case ingest::ColumnRole::Ignored:
        break;
    }
    return v1::COLUMN_ROLE_IGNORED;
}

} // namespace

void toProto(const ingest::LayoutReport &layout, v1::ImportLayout *out)
{
    out->set_delimiter(std::string(1, layout.delimiter));
    out->set_header_line(layout.headerLine);
    out->set_skipped_lines(layout.skippedLines);
    for (const ingest::ColumnLayout &column : layout.columns) {
        v1::ImportColumn *wire = out->add_columns();
        wire->set_header(column.header);
        wire->set_role(toProto(column.role));
        wire->set_unit(column.unit);
    }
    out->set_date_order(layout.dateOrder);
    out->set_date_order_ambiguous(layout.dateOrderAmbiguous);
    out->set_time_format(layout.timeFormat);
    out->set_timezone(layout.timeZone);
    for (const std::string &note : layout.notes)
        out->add_notes(note);
}

} // namespace meterscope::service
