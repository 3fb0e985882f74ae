#include "storage/series_kind.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace meterscope::storage {

namespace {

constexpr std::array<std::string_view, 3> kNames = {"interval", "cumulative", "instant"};

// Units of a level rather than an amount, lower case: power, temperature,
// pressure, electric potential and current, frequency, shares, flow rates.
constexpr std::array<std::string_view, 30> kInstantUnits = {
    "w",   "kw", "mw",  "gw",  "va",  "kva", "var", "kvar", "°c", "°f", "c", "f",   "k",   "degc", "degf",
    "bar", "pa", "kpa", "hpa", "psi", "v",   "kv",  "a",    "ma", "hz", "%", "ppm", "lux", "m3/h", "l/min",
};

std::string lowered(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c != ' ')
            out.push_back(char(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

} // namespace

std::string_view kindName(SeriesKind kind)
{
    return kNames[std::size_t(kind)];
}

std::optional<SeriesKind> kindByName(std::string_view name)
{
    const std::string lower = lowered(name);
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (lower == kNames[i])
            return SeriesKind(i);
    }
    return std::nullopt;
}

void KindSketch::add(double value)
{
    if (value < 0)
        negative = true;
    if (m_started) {
        ++steps;
        if (value > m_previous) {
            ++rises;
        } else if (value < m_previous) {
            ++drops;
            if (value <= m_previous * 0.01)
                ++resets;
        }
    }
    m_started = true;
    m_previous = value;
}

SeriesKind classifyKind(const KindSketch &sketch, std::string_view unit)
{
    // A level's unit says it all: a temperature that only rose is no register.
    const std::string lower = lowered(unit);
    if (std::find(kInstantUnits.begin(), kInstantUnits.end(), lower) != kInstantUnits.end())
        return SeriesKind::Instant;
    // A few resets: at most one in a hundred steps, and at least one allowed.
    const bool register_ = !sketch.negative && sketch.steps >= 8 && sketch.rises > 0 && sketch.drops == sketch.resets
                           && sketch.resets <= 1 + sketch.steps / 100;
    return register_ ? SeriesKind::Cumulative : SeriesKind::Interval;
}

} // namespace meterscope::storage
