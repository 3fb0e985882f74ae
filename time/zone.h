#pragma once

#include "time/micros.h"

#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace meterscope::timeutil {

/// An IANA time zone (or UTC) that converts naive local times to UTC instants
/// and tells the UTC offset at an instant. Cheap to copy; not thread-safe
/// (each copy caches the last offset period it used, which makes converting
/// a time-ordered column nearly free).
class Zone {
public:
    /// UTC: no transitions, no lookups.
    Zone() = default;

    /// Looks a zone up by IANA name ("Europe/Berlin"); "UTC", "Z", "GMT"
    /// (any case) and "" mean UTC.
    /// Throws std::invalid_argument naming the zone when it does not exist.
    static Zone byName(std::string_view name);

    /// The machine's local zone (from /etc/localtime or $TZ), UTC if unknown.
    static Zone local();

    /// "UTC" or the IANA name.
    std::string name() const;
    bool isUtc() const { return m_zone == nullptr; }

    enum class LocalResult { Ok, Nonexistent, Ambiguous };

    /// Converts a naive local time (microseconds on the local clock) to UTC.
    /// Local times skipped by a transition (spring forward) are Nonexistent;
    /// local times that occur twice (fall back) are Ambiguous. Never shifts.
    LocalResult toUtc(Micros local, Micros &utc) const;

    /// Converts a naive local time to UTC, choosing: a local time that
    /// occurs twice is taken at its first occurrence, one skipped by a
    /// transition becomes the instant of that transition.
    Micros toUtcEarliest(Micros local) const;

    /// UTC offset in seconds at the instant.
    int offsetSecondsAt(Micros utc) const;

private:
    explicit Zone(const date::time_zone *zone)
        : m_zone(zone)
    {
    }

    const date::time_zone *m_zone = nullptr;

    // Cache of the last period with a unique offset, in both clocks.
    mutable Micros m_utcBegin = 1;
    mutable Micros m_utcEnd = 0;
    mutable Micros m_localBegin = 1;
    mutable Micros m_localEnd = 0;
    mutable int m_offset = 0;
};

} // namespace meterscope::timeutil
