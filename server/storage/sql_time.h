#pragma once

#include "time/instant.h"

#include <string>

namespace meterscope::storage {

/// An instant as a SQL parameter: exact ISO 8601 text, cast with `$n::timestamptz`.
inline std::string sqlTime(timeutil::Micros utc)
{
    return timeutil::formatIso(utc);
}

/// SQL that reads a timestamptz expression back as exact microseconds.
inline std::string epochMicros(const std::string &expression)
{
    return "(extract(epoch FROM " + expression + ") * 1000000)::int8";
}

} // namespace meterscope::storage
