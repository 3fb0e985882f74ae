#pragma once

#include "time/micros.h"

#include <cstdint>
#include <map>
#include <vector>

namespace pqxx {
class transaction_base;
}

namespace meterscope::storage {

/// Each series' cadence in [from, to): the median gap between its first
/// 256 readings there, by series id (0 for fewer than two readings). One
/// statement of index walks for any number of series.
std::map<std::int32_t, timeutil::Micros> cadences(pqxx::transaction_base &txn, const std::vector<std::int32_t> &ids,
                                                  timeutil::Micros from, timeutil::Micros to);

/// How many readings a series read every `cadence` from `anchor` (its
/// first reading) expects in [from, to), from >= anchor.
std::uint64_t expectedReadings(timeutil::Micros from, timeutil::Micros to, timeutil::Micros anchor,
                               timeutil::Micros cadence);

} // namespace meterscope::storage
