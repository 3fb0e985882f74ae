#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace meterscope::storage {

/// What a series' readings mean (#16), which decides how they total.
enum class SeriesKind {
    Interval,   ///< the usage of an interval (kWh per half hour): totals add up
    Cumulative, ///< a register: the usage of an interval is the difference of its readings
    Instant,    ///< a level (power, temperature): totals average over time
};

/// "interval", "cumulative", "instant"; and back (nullopt for anything else).
std::string_view kindName(SeriesKind kind);
std::optional<SeriesKind> kindByName(std::string_view name);

/// How a series' readings move from one to the next, in time order: what
/// telling a register from interval usage needs.
struct KindSketch {
    std::uint64_t steps = 0;  ///< readings after the first
    std::uint64_t rises = 0;  ///< steps up
    std::uint64_t drops = 0;  ///< steps down
    std::uint64_t resets = 0; ///< steps down to near zero (at most 1% of the reading before)
    bool negative = false;    ///< a reading below zero

    void add(double value);

private:
    bool m_started = false;
    double m_previous = 0;
};

/// The kind of a series from its readings and unit: a unit of power,
/// temperature, pressure, voltage, current or a percentage makes it
/// instant; else readings that never go down except for a few resets to
/// near zero (at least eight steps, some of them up) are a register
/// (cumulative); anything else (energy, volume, no unit) is interval.
SeriesKind classifyKind(const KindSketch &sketch, std::string_view unit);

} // namespace meterscope::storage
