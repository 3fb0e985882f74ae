#pragma once

#include "storage/errors.h"
#include "time/instant.h"

#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace meterscope::storage {

/// An instant as a SQL parameter: exact ISO 8601 text, cast with `$n::timestamptz`.
inline std::string sqlTime(timeutil::Micros utc)
{
    return timeutil::formatIso(utc);
}

/// The instants a query may name: 0001-01-01 to the end of 9999 (what a
/// CSV file can hold; PostgreSQL stores more, but not every int64).
inline constexpr timeutil::Micros kEarliestTime = -62135596800LL * timeutil::kMicrosPerSecond;
inline constexpr timeutil::Micros kLatestTime = 253402300800LL * timeutil::kMicrosPerSecond - 1;

/// Throws InvalidRequest, naming both, when [start, end) is empty or inverted.
inline void checkRange(std::optional<timeutil::Micros> start, std::optional<timeutil::Micros> end)
{
    if (start && end && *start >= *end)
        throw InvalidRequest("empty time range: the start " + timeutil::formatIso(*start) + " is not before the end "
                             + timeutil::formatIso(*end));
}

/// SQL that reads a timestamptz expression back as exact microseconds.
inline std::string epochUs(const std::string &expression)
{
    return "(extract(epoch FROM " + expression + ") * 1000000)::int8";
}

/// A nullable column of epochUs() as an optional.
inline std::optional<timeutil::Micros> optionalUs(const pqxx::field &field)
{
    if (field.is_null())
        return std::nullopt;
    return field.as<timeutil::Micros>();
}

} // namespace meterscope::storage
