#pragma once

#include "storage/database.h"
#include "storage/series.h"
#include "time/micros.h"

#include <cstdint>
#include <optional>
#include <string>

namespace meterscope::storage {

// Series management (#14): deleting a series or a time range of it,
// renaming it, setting its unit. Each runs in one transaction that takes
// turns with the imports of the series, keeps the summary cells and the
// series' count and range right, and tells subscribers at commit.

struct DeleteResult {
    std::uint64_t points = 0;
    /// The series itself is gone (no range was given).
    bool seriesDeleted = false;
};

/// Without `start` and `end`, deletes the series named `name` with all it
/// holds; with either, only its points in [start, end) (an absent bound is
/// unbounded). Throws NotFound, InvalidRequest (an empty range).
DeleteResult deleteSeries(Database &db, const std::string &name, std::optional<timeutil::Micros> start,
                          std::optional<timeutil::Micros> end);

/// What UpdateSeries changes; absent fields stay as they are.
struct SeriesUpdate {
    std::optional<std::string> rename;
    std::optional<std::string> unit;
    std::optional<SeriesKind> kind;
    /// 0: back to twice the cadence.
    std::optional<timeutil::Micros> gapThreshold;
};

/// Renames the series and/or sets its unit and kind, and returns it as it
/// is now. Throws NotFound, Conflict (the new name is taken).
SeriesSummary updateSeries(Database &db, const std::string &name, const SeriesUpdate &update);

} // namespace meterscope::storage
