#include "time/zone.h"

#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <stdexcept>

namespace meterscope::timeutil {

namespace {

// date's first and last periods reach far beyond any reading; keep their
// bounds where microsecond arithmetic cannot overflow.
constexpr Micros kFarPast = std::numeric_limits<Micros>::min() / 4;
constexpr Micros kFarFuture = std::numeric_limits<Micros>::max() / 4;

Micros toUs(std::chrono::seconds s)
{
    constexpr auto kLimit = std::numeric_limits<std::int64_t>::max() / 4 / kMicrosPerSecond;
    return std::clamp<std::int64_t>(s.count(), -kLimit, kLimit) * kMicrosPerSecond;
}

std::int64_t floorSeconds(Micros us)
{
    // Negating `us` would overflow for the smallest value.
    return us / kMicrosPerSecond - (us % kMicrosPerSecond < 0 ? 1 : 0);
}

} // namespace

Zone Zone::byName(std::string_view name)
{
    auto is = [&](std::string_view other) {
        return name.size() == other.size() && std::equal(name.begin(), name.end(), other.begin(), [](char a, char b) {
                   return std::tolower(a) == std::tolower(b);
               });
    };
    if (name.empty() || is("UTC") || is("Z") || is("Etc/UTC") || is("GMT"))
        return Zone();
    try {
        return Zone(date::locate_zone(std::string(name)));
    } catch (const std::exception &) {
        throw std::invalid_argument("unknown time zone '" + std::string(name)
                                    + "' (use an IANA name such as Europe/Berlin, or UTC)");
    }
}

Zone Zone::local()
{
    try {
        const date::time_zone *zone = date::current_zone();
        if (zone->name() == "UTC" || zone->name() == "Etc/UTC")
            return Zone();
        return Zone(zone);
    } catch (const std::exception &) {
        return Zone();
    }
}

std::string Zone::name() const
{
    return m_zone ? m_zone->name() : std::string("UTC");
}

Zone::LocalResult Zone::toUtc(Micros local, Micros &utc) const
{
    if (!m_zone) {
        utc = local;
        return LocalResult::Ok;
    }
    if (local >= m_localBegin && local < m_localEnd) {
        utc = local - Micros(m_offset) * kMicrosPerSecond;
        return LocalResult::Ok;
    }
    const date::local_seconds seconds{std::chrono::seconds(floorSeconds(local))};
    const date::local_info info = m_zone->get_info(seconds);
    if (info.result == date::local_info::nonexistent)
        return LocalResult::Nonexistent;
    if (info.result == date::local_info::ambiguous)
        return LocalResult::Ambiguous;

    m_offset = int(info.first.offset.count());
    const Micros offset = Micros(m_offset) * kMicrosPerSecond;
    m_utcBegin = std::max(toUs(info.first.begin.time_since_epoch()), kFarPast);
    m_utcEnd = std::min(toUs(info.first.end.time_since_epoch()), kFarFuture);
    // A day's margin keeps the cached local range clear of any neighbouring
    // transition, where a local time may be skipped or repeated.
    m_localBegin = m_utcBegin + offset + kMicrosPerDay;
    m_localEnd = m_utcEnd + offset - kMicrosPerDay;
    utc = local - offset;
    return LocalResult::Ok;
}

Micros Zone::toUtcEarliest(Micros local) const
{
    Micros utc = 0;
    const LocalResult result = toUtc(local, utc);
    if (result == LocalResult::Ok)
        return utc;
    const date::local_seconds seconds{std::chrono::seconds(floorSeconds(local))};
    const date::local_info info = m_zone->get_info(seconds);
    if (result == LocalResult::Ambiguous)
        return local - toUs(info.first.offset);
    // Skipped: the transition, where the period before the gap ends.
    return toUs(info.first.end.time_since_epoch());
}

int Zone::offsetSecondsAt(Micros utc) const
{
    if (!m_zone)
        return 0;
    if (utc >= m_utcBegin && utc < m_utcEnd)
        return m_offset;
    const date::sys_seconds seconds{std::chrono::seconds(floorSeconds(utc))};
    const date::sys_info info = m_zone->get_info(seconds);
    m_offset = int(info.offset.count());
    m_utcBegin = std::max(toUs(info.begin.time_since_epoch()), kFarPast);
    m_utcEnd = std::min(toUs(info.end.time_since_epoch()), kFarFuture);
    const Micros offset = Micros(m_offset) * kMicrosPerSecond;
    m_localBegin = m_utcBegin + offset + kMicrosPerDay;
    m_localEnd = m_utcEnd + offset - kMicrosPerDay;
    return m_offset;
}

} // namespace meterscope::timeutil
