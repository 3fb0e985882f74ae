#include "json/json.h"

#include "meterscope/v1/import_summary.h"
#include "time/instant.h"

#include <charconv>
#include <cmath>

namespace meterscope::json {

void appendJsonString(std::string &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char c : text) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                out += "\\u00";
                out += kHex[(c >> 4) & 15];
                out += kHex[c & 15];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendJsonNumber(std::string &out, double value)
{
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

void appendJsonPoint(std::string &out, timeutil::Micros time, double value, const timeutil::Zone &zone)
{
    out += '"';
    timeutil::appendIso(out, time, zone);
    out += "\": ";
    appendJsonNumber(out, value);
}

namespace {

void appendKey(std::string &out, std::string_view key)
{
    if (out.back() != '{')
        out += ", ";
    appendJsonString(out, key);
    out += ": ";
}

void appendField(std::string &out, std::string_view key, std::uint64_t value)
{
    appendKey(out, key);
    out += std::to_string(value);
}

void appendIssues(std::string &out, std::string_view key,
                  const google::protobuf::RepeatedPtrField<v1::LineIssue> &issues)
{
    appendKey(out, key);
    out += '[';
    for (int i = 0; i < issues.size(); ++i) {
        out += i ? ", {\"line\": " : "{\"line\": ";
        out += std::to_string(issues[i].line());
        out += ", \"reason\": ";
        appendJsonString(out, issues[i].reason());
        out += '}';
    }
    out += ']';
}

void appendStrings(std::string &out, std::string_view key, const google::protobuf::RepeatedPtrField<std::string> &texts)
{
    appendKey(out, key);
    out += '[';
    for (int i = 0; i < texts.size(); ++i) {
        if (i)
            out += ", ";
        appendJsonString(out, texts[i]);
    }
    out += ']';
}

void appendLayout(std::string &out, const v1::ImportLayout &layout)
{
    out += '{';
    appendKey(out, "delimiter");
    appendJsonString(out, layout.delimiter());
    appendField(out, "header_line", layout.header_line());
    appendField(out, "skipped_lines", layout.skipped_lines());
    appendKey(out, "columns");
    out += '[';
    for (int i = 0; i < layout.columns_size(); ++i) {
        const v1::ImportColumn &column = layout.columns(i);
        out += i ? ", {" : "{";
        appendKey(out, "header");
        appendJsonString(out, column.header());
        appendKey(out, "role");
        appendJsonString(out, v1::roleName(column.role()));
        appendKey(out, "unit");
        appendJsonString(out, column.unit());
        out += '}';
    }
    out += ']';
    appendKey(out, "date_order");
    appendJsonString(out, layout.date_order());
    appendKey(out, "date_order_ambiguous");
    out += layout.date_order_ambiguous() ? "true" : "false";
    appendKey(out, "time_format");
    appendJsonString(out, layout.time_format());
    appendKey(out, "timezone");
    appendJsonString(out, layout.timezone());
    appendStrings(out, "notes", layout.notes());
    out += '}';
}
} // namespace

void appendSeries(std::string &out, const v1::Series &series)
{
    out += "{\"name\": ";
    appendJsonString(out, series.name());
    out += ", \"unit\": ";
    appendJsonString(out, series.unit());
    out += ", \"kind\": ";
    appendJsonString(out, v1::kindName(series.kind()));
    out += ", \"points\": " + std::to_string(series.points());
    out += ", \"first\": ";
    if (series.has_first_time_us())
        appendJsonString(out, timeutil::formatIso(series.first_time_us()));
    else
        out += "null";
    out += ", \"last\": ";
    if (series.has_last_time_us())
        appendJsonString(out, timeutil::formatIso(series.last_time_us()));
    else
        out += "null";
    out += '}';
}

std::string reportToJson(const v1::ImportReport &report)
{
    std::string out = "{";
    appendKey(out, "file");
    appendJsonString(out, report.file_name());
    appendKey(out, "dry_run");
    out += report.dry_run() ? "true" : "false";
    appendField(out, "rows_read", report.rows_read());
    appendField(out, "rows_imported", report.rows_imported());
    appendField(out, "rows_new", report.rows_new());
    appendField(out, "rows_updated", report.rows_updated());
    appendField(out, "rows_unchanged", report.rows_unchanged());
    appendField(out, "rows_missing", report.rows_missing());
    appendField(out, "rows_rejected", report.rows_rejected());
    appendField(out, "rows_duplicate", report.rows_duplicate());
    appendIssues(out, "missing", report.missing());
    appendIssues(out, "rejected", report.rejected());
    appendIssues(out, "warnings", report.warnings());
    appendKey(out, "series");
    out += '[';
    for (int i = 0; i < report.series_size(); ++i) {
        if (i)
            out += ", ";
        appendSeries(out, report.series(i));
    }
    out += ']';
    appendField(out, "duration_ms", std::uint64_t(report.duration_ms()));
    appendKey(out, "replayed");
    out += report.replayed() ? "true" : "false";
    appendKey(out, "layout");
    if (report.has_layout())
        appendLayout(out, report.layout());
    else
        out += "null";
    out += '}';
    return out;
}

std::string seriesToJson(const std::vector<v1::Series> &series)
{
    std::string out = "[";
    for (std::size_t i = 0; i < series.size(); ++i) {
        if (i)
            out += ", ";
        appendSeries(out, series[i]);
    }
    return out + "]";
}

namespace {

void appendOptional(std::string &out, std::string_view key, bool has, double value)
{
    appendKey(out, key);
    if (has)
        appendJsonNumber(out, value);
    else
        out += "null";
}

void appendTotals(std::string &out, const std::vector<const v1::AggregateResponse *> &parts, const timeutil::Zone &zone)
{
    out += '{';
    bool first = true;
    for (const v1::AggregateResponse *part : parts) {
        for (const v1::TotalBucket &b : part->buckets()) {
            out += first ? "\"" : ", \"";
            first = false;
            timeutil::appendIso(out, b.start_time_us(), zone);
            out += "\": {";
            appendOptional(out, "total", b.has_total(), b.total());
            appendOptional(out, "min", b.has_min(), b.min());
            appendOptional(out, "max", b.has_max(), b.max());
            appendOptional(out, "mean", b.has_mean(), b.mean());
            appendField(out, "count", b.count());
            appendField(out, "expected", b.expected());
            appendField(out, "resets", b.resets());
            appendOptional(out, "cost", b.has_cost(), b.cost());
            out += '}';
        }
    }
    out += '}';
}

} // namespace

std::string totalsToJson(const std::vector<v1::AggregateResponse> &answers, const timeutil::Zone &zone)
{
    // The messages of each series, in the order they came.
    std::vector<std::pair<std::string, std::vector<const v1::AggregateResponse *>>> bySeries;
    for (const v1::AggregateResponse &answer : answers) {
        if (bySeries.empty() || bySeries.back().first != answer.series().name())
            bySeries.push_back({answer.series().name(), {}});
        bySeries.back().second.push_back(&answer);
    }
    std::string out;
    if (bySeries.size() == 1) {
        appendTotals(out, bySeries[0].second, zone);
        return out;
    }
    out += '{';
    for (std::size_t i = 0; i < bySeries.size(); ++i) {
        if (i)
            out += ", ";
        appendJsonString(out, bySeries[i].first);
        out += ": ";
        appendTotals(out, bySeries[i].second, zone);
    }
    return out + '}';
}

std::string gapsToJson(const v1::ListGapsResponse &answer, const timeutil::Zone &zone)
{
    std::string out = "{";
    appendKey(out, "series");
    appendJsonString(out, answer.series().name());
    appendKey(out, "cadence_s");
    appendJsonNumber(out, double(answer.cadence_us()) / 1e6);
    appendKey(out, "threshold_s");
    appendJsonNumber(out, double(answer.threshold_us()) / 1e6);
    appendField(out, "readings", answer.readings());
    appendField(out, "expected", answer.expected());
    appendKey(out, "truncated");
    out += answer.truncated() ? "true" : "false";
    appendKey(out, "gaps");
    out += '[';
    for (int i = 0; i < answer.gaps_size(); ++i) {
        const v1::Gap &gap = answer.gaps(i);
        out += i ? ", {" : "{";
        appendKey(out, "last_before");
        out += '"';
        timeutil::appendIso(out, gap.last_before_us(), zone);
        out += '"';
        appendKey(out, "first_after");
        out += '"';
        timeutil::appendIso(out, gap.first_after_us(), zone);
        out += '"';
        appendField(out, "missing", gap.missing());
        out += '}';
    }
    return out + "]}";
}

} // namespace meterscope::json
