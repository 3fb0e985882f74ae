#pragma once

#include "storage/database.h"
#include "storage/series.h"

#include <optional>
#include <string>
#include <vector>

namespace meterscope::storage {

/// Most gaps one answer lists.
inline constexpr std::size_t kMaxGaps = 10'000;

/// Readings missing between two stored ones.
struct Gap {
    timeutil::Micros lastBefore = 0;
    timeutil::Micros firstAfter = 0;
    /// Readings the cadence expected in between.
    std::uint64_t missing = 0;
};

struct GapReport {
    SeriesSummary series;
    timeutil::Micros cadence = 0;
    timeutil::Micros threshold = 0;
    std::uint64_t readings = 0;
    std::uint64_t expected = 0;
    std::vector<Gap> gaps;
    bool truncated = false;
};

/// The gaps of a series in [start, end): consecutive readings at least its
/// gap threshold apart (series.gapThreshold, else twice its cadence), the
/// first kMaxGaps of them, with its readings there and how many its cadence
/// expects from the first to the last. One snapshot. Throws NotFound and
/// InvalidRequest (an empty range).
GapReport findGaps(Database &db, const std::string &series, std::optional<timeutil::Micros> start,
                   std::optional<timeutil::Micros> end);

} // namespace meterscope::storage
