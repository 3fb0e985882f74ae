#pragma once

#include "meterscope/v1/meterscope.pb.h"

#include <string>
#include <vector>

namespace meterscope::v1 {

/// The one sentence that sums up an import report, as meterscope-cli prints
/// it and the server logs it (`--import` and the Import RPC alike):
/// "meterusage.csv: 2974 rows imported (2974 new, 0 updated, 0 unchanged),
/// 1 missing, 0 rejected in 52 ms". A dry run says "dry run, would have"
/// before the count, replaced duplicates are counted when there are any, and
/// a replayed report says it was imported before instead of a duration.
std::string importSummary(const ImportReport &report);

/// The layout an import used, in lines for a terminal or a log: "layout:
/// ',' delimited, header on line 6 after 5 skipped lines, dates
/// year-month-day, naive times in UTC", "columns: DATE time, START TIME
/// time, USAGE value [kWh], NOTES ignored" (after 12 columns only a count
/// of the rest by role: "and 4989 more (4989 value)"), then one "note: ..."
/// line per note. Empty for a report without a layout.
std::vector<std::string> layoutLines(const ImportReport &report);

/// "time", "value", "series key" or "ignored".
std::string roleName(ColumnRole role);

/// "interval", "cumulative", "instant" ("" for SERIES_KIND_UNSPECIFIED),
/// and back (SERIES_KIND_UNSPECIFIED for any other name).
std::string kindName(SeriesKind kind);
SeriesKind kindByName(const std::string &name);

} // namespace meterscope::v1
