#pragma once

#include "time/micros.h"

#include <cstdint>
#include <optional>
#include <string>

namespace meterscope::storage {

/// A series as it stands: name, number of points and time range.
struct SeriesSummary {
    std::string name;
    std::string unit;
    std::int64_t points = 0;
    std::optional<timeutil::Micros> first;
    std::optional<timeutil::Micros> last;
};

} // namespace meterscope::storage
