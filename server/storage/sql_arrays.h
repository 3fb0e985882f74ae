#pragma once

#include "time/micros.h"

#include <cstdint>
#include <string>
#include <vector>

namespace meterscope::storage {

/// Array literals for SQL parameters: `$n::integer[]`, `$n::text[]` (every
/// element quoted, quotes and backslashes escaped) and `$n::timestamptz[]`
/// (exact ISO 8601).
std::string idArray(const std::vector<std::int32_t> &ids);
std::string textArray(const std::vector<std::string> &items);
std::string timeArray(const std::vector<timeutil::Micros> &times);

} // namespace meterscope::storage
