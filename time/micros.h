#pragma once

#include <cstdint>

namespace meterscope::timeutil {

/// Microseconds since the Unix epoch. UTC instants on the wire and in the
/// database; "naive" local readings inside the reader before zone conversion.
using Micros = std::int64_t;

inline constexpr Micros kMicrosPerSecond = 1'000'000;
inline constexpr Micros kMicrosPerDay = 86'400 * kMicrosPerSecond;

} // namespace meterscope::timeutil
