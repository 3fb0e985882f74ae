#pragma once

#include "time/zone.h"

#include <optional>
#include <string>
#include <string_view>

namespace meterscope::timeutil {

/// Days since 1970-01-01 of a proleptic Gregorian date (no validation).
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);

/// True when the date exists (month 1-12, day within the month, leap years).
bool isValidDate(int year, unsigned month, unsigned day);

/// Why a text did not parse as a time.
enum class TimeError {
    None,
    NotATime,    ///< does not look like a time at all
    InvalidDate, ///< looks like one but the date does not exist (Feb 30, month 13)
    InvalidTime, ///< hour/minute/second/offset out of range
};

/// A time cell after parsing: either an instant (it carried an offset) or a
/// naive reading on a local clock that still needs a zone.
struct ParsedTime {
    Micros timeUs = 0;
    bool hasOffset = false;
};

/// Parses `YYYY-MM-DD[ T]HH:MM[:SS[.fraction]][Z|±HH[:MM]|±HHMM]` and a bare
/// `YYYY-MM-DD` (midnight). Surrounding blanks are ignored. Fractions beyond
/// microseconds are truncated.
TimeError parseIsoTime(std::string_view text, ParsedTime &out);

/// Parses a date cell `YYYY-MM-DD` (days since the epoch) and a time-of-day
/// cell `HH:MM[:SS[.fraction]]` (microseconds since midnight), for files that
/// keep date and time in two columns.
TimeError parseDate(std::string_view text, std::int64_t &days);
TimeError parseTimeOfDay(std::string_view text, Micros &sinceMidnight);

/// Human words for an error, e.g. "invalid date".
std::string_view describe(TimeError error);

/// Formats an instant as ISO 8601 with the zone's offset at that instant:
/// "2019-01-01T00:15:00Z" in UTC, "2019-01-01T01:15:00+01:00" elsewhere.
/// Fractions are written only when present (.ffffff, trailing zeros dropped).
void appendIso(std::string &out, Micros utc, const Zone &zone);
std::string formatIso(Micros utc, const Zone &zone = Zone());

/// Reads an instant a user typed (`--from`, `--to`): ISO 8601 with or without
/// offset (naive means in `zone`), a bare date, or an integer of epoch
/// seconds (nine digits or more, so a mistyped date is not taken for 1970).
/// On failure returns nullopt and sets `error` to a sentence naming the text.
std::optional<Micros> parseInstant(std::string_view text, const Zone &zone, std::string *error);

} // namespace meterscope::timeutil
