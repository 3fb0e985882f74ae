#pragma once

#include "meterscope/v1/meterscope.pb.h"
#include "time/zone.h"

#include <string>
#include <string_view>
#include <vector>

namespace meterscope::json {

/// Appends `text` as a JSON string literal (quoted, escaped).
void appendJsonString(std::string &out, std::string_view text);

/// Appends a number in its shortest exact form (55.09 stays 55.09);
/// NaN and infinities, which JSON lacks, become null.
void appendJsonNumber(std::string &out, double value);

/// One entry of the prototype's JSON shape: `"<ISO time with offset>": value`.
void appendJsonPoint(std::string &out, timeutil::Micros time, double value, const timeutil::Zone &zone);

/// One entry of the series list: {"name", "unit", "kind", "points", "first", "last"}.
void appendSeries(std::string &out, const v1::Series &series);

/// An import report as one line of JSON (meterscope-cli import --json).
std::string reportToJson(const v1::ImportReport &report);

/// The series list as one JSON array (meterscope-cli series --json).
std::string seriesToJson(const std::vector<v1::Series> &series);

/// Totals (Aggregate answers) as one JSON object keyed by bucket start in
/// `zone` (ISO 8601 with its offset): {"<start>": {"total", "min", "max",
/// "mean", "count", "expected", "resets", "cost"}, ...}, absent values as
/// null. For several series, one such object per series name.
std::string totalsToJson(const std::vector<v1::AggregateResponse> &answers, const timeutil::Zone &zone);

/// A ListGaps answer (meterscope-cli gaps --json): {"series", "cadence_s",
/// "threshold_s", "readings", "expected", "truncated", "gaps": [{"last_before",
/// "first_after", "missing"}]}, times in `zone`.
std::string gapsToJson(const v1::ListGapsResponse &answer, const timeutil::Zone &zone);

} // namespace meterscope::json
