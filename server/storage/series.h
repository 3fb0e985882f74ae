#pragma once

#include "storage/series_kind.h"
#include "time/micros.h"

#include <cstdint>
#include <optional>
#include <string>

namespace meterscope::storage {

/// A series as it stands: name, unit, number of points, time range and kind.
struct SeriesSummary {
    std::string name;
    std::string unit;
    std::int64_t points = 0;
    std::optional<timeutil::Micros> first;
    std::optional<timeutil::Micros> last;
    SeriesKind kind = SeriesKind::Interval;
    /// Readings at least this far apart are a gap; none: twice the cadence.
    std::optional<timeutil::Micros> gapThreshold;
};

} // namespace meterscope::storage
