#pragma once

#include "time/zone.h"

#include <optional>
#include <string_view>
#include <vector>

namespace meterscope::timeutil {

/// A calendar period of local time, the bucket of a total (#16).
enum class Period { Hour, Day, Week, Month, Year };

/// "hour", "day", "week", "month", "year" (any case); nullopt otherwise.
std::optional<Period> periodByName(std::string_view name);
std::string_view periodName(Period period);

/// The start of the bucket of `period` that holds `utc` on the clocks of
/// `zone`: the local hour (so the two 01:00 hours of an autumn night are two
/// buckets), the local midnight of the day, of the Monday of its ISO week,
/// of the first of its month or year. A local midnight that does not exist
/// (a zone that moved its clocks at midnight) starts at the transition; one
/// that occurs twice, at its first occurrence.
Micros bucketStart(Micros utc, Period period, const Zone &zone);

/// The start of the bucket after the one that starts at `start`: an hour
/// later, or the next local midnight of the next day, week, month or year
/// (so a day is 23, 24 or 25 hours long).
Micros nextBucket(Micros start, Period period, const Zone &zone);

/// The edges of the buckets that cover [from, to): the start of the bucket
/// holding `from`, each next one, and the first edge at or after `to`.
/// Throws std::length_error when that would be more than `maxBuckets`.
std::vector<Micros> bucketEdges(Micros from, Micros to, Period period, const Zone &zone, std::size_t maxBuckets);

/// The instant at the same local wall-clock time `count` periods later
/// (earlier when negative) on the clocks of `zone`, as a chart compares a day
/// with the one before: 18:00 stays 18:00 across a change of clocks. An hour
/// is an hour of elapsed time. A day of the month that the other month lacks
/// becomes its last day (29 February a year on is 28 February). A local time
/// that occurs twice is taken at its first occurrence; one that the clocks
/// skip becomes the instant of that transition, and `skipped` (when given)
/// is set.
Micros shiftByPeriods(Micros utc, Period period, int count, const Zone &zone, bool *skipped = nullptr);

} // namespace meterscope::timeutil
