#include "time/calendar.h"

#include "time/instant.h"

#include <date/date.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <string>

namespace meterscope::timeutil {

namespace {

constexpr Micros kMicrosPerHour = 3600 * kMicrosPerSecond;

constexpr std::array<std::string_view, 5> kNames = {"hour", "day", "week", "month", "year"};

Micros floorDiv(Micros a, Micros b)
{
    return a / b - (a % b < 0 ? 1 : 0);
}

date::year_month_day civilOf(std::int64_t days)
{
    return date::year_month_day{date::sys_days{date::days{days}}};
}

std::int64_t daysOf(date::year_month_day ymd)
{
    return date::sys_days{ymd}.time_since_epoch().count();
}

// Local midnight of `days` (days since 1970-01-01 on the local calendar) as an instant.
Micros midnight(std::int64_t days, const Zone &zone)
{
    return zone.toUtcEarliest(days * kMicrosPerDay);
}

} // namespace

std::optional<Period> periodByName(std::string_view name)
{
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (lower == kNames[i])
            return Period(i);
    }
    return std::nullopt;
}

std::string_view periodName(Period period)
{
    return kNames[std::size_t(period)];
}

Micros bucketStart(Micros utc, Period period, const Zone &zone)
{
    const Micros local = utc + Micros(zone.offsetSecondsAt(utc)) * kMicrosPerSecond;
    if (period == Period::Hour)
        return utc - (local - floorDiv(local, kMicrosPerHour) * kMicrosPerHour);
    const std::int64_t days = floorDiv(local, kMicrosPerDay);
    switch (period) {
    case Period::Day:
        return midnight(days, zone);
    case Period::Week: {
        // 1970-01-01 was a Thursday: day 0 is three days after a Monday.
        const std::int64_t sinceMonday = (days + 3) - floorDiv(days + 3, 7) * 7;
        return midnight(days - sinceMonday, zone);
    }
    case Period::Month: {
        const date::year_month_day ymd = civilOf(days);
        return midnight(daysOf(ymd.year() / ymd.month() / 1), zone);
    }
    default: {
        const date::year_month_day ymd = civilOf(days);
        return midnight(daysOf(ymd.year() / 1 / 1), zone);
    }
    }
}

Micros nextBucket(Micros start, Period period, const Zone &zone)
{
    if (period == Period::Hour)
        return start + kMicrosPerHour;
    // The local day of the bucket's start; for a midnight that did not exist
    // that is still the bucket's own day.
    const Micros local = start + Micros(zone.offsetSecondsAt(start)) * kMicrosPerSecond;
    const std::int64_t days = floorDiv(local, kMicrosPerDay);
    switch (period) {
    case Period::Day:
        return midnight(days + 1, zone);
    case Period::Week:
        return midnight(days + 7, zone);
    case Period::Month: {
        const date::year_month_day ymd = civilOf(days);
        return midnight(daysOf(date::year_month_day{ymd.year() / ymd.month() / 1} + date::months{1}), zone);
    }
    default: {
        const date::year_month_day ymd = civilOf(days);
        return midnight(daysOf((ymd.year() + date::years{1}) / 1 / 1), zone);
    }
    }
}

std::vector<Micros> bucketEdges(Micros from, Micros to, Period period, const Zone &zone, std::size_t maxBuckets)
{
    std::vector<Micros> edges{bucketStart(from, period, zone)};
    while (edges.back() < to) {
        if (edges.size() > maxBuckets)
            throw std::length_error("more than " + std::to_string(maxBuckets) + " " + std::string(periodName(period))
                                    + "s from " + formatIso(from) + " to " + formatIso(to)
                                    + "; choose a shorter range or a longer period");
        edges.push_back(nextBucket(edges.back(), period, zone));
    }
    return edges;
}

Micros shiftByPeriods(Micros utc, Period period, int count, const Zone &zone, bool *skipped)
{
    if (skipped)
        *skipped = false;
    if (period == Period::Hour)
        return utc + Micros(count) * kMicrosPerHour;
    const Micros local = utc + Micros(zone.offsetSecondsAt(utc)) * kMicrosPerSecond;
    const std::int64_t days = floorDiv(local, kMicrosPerDay);
    const Micros timeOfDay = local - days * kMicrosPerDay;
    std::int64_t shifted = days;
    if (period == Period::Day || period == Period::Week) {
        shifted += std::int64_t(count) * (period == Period::Day ? 1 : 7);
    } else {
        const date::year_month_day ymd = civilOf(days);
        date::year_month month = date::year_month{ymd.year(), ymd.month()};
        month += period == Period::Month ? date::months{count} : date::years{count};
        const date::day last = date::year_month_day_last{month.year(), date::month_day_last{month.month()}}.day();
        shifted = daysOf(month.year() / month.month() / std::min(ymd.day(), last));
    }
    const Micros wall = shifted * kMicrosPerDay + timeOfDay;
    Micros result = 0;
    const Zone::LocalResult found = zone.toUtc(wall, result);
    if (skipped)
        *skipped = found == Zone::LocalResult::Nonexistent;
    return found == Zone::LocalResult::Ok ? result : zone.toUtcEarliest(wall);
}

} // namespace meterscope::timeutil
