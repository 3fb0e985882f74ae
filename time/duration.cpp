#include "time/duration.h"

#include <array>
#include <utility>

namespace meterscope::timeutil {

std::optional<std::chrono::seconds> parseDuration(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    if (text.size() < 2 || text.size() > 7)
        return std::nullopt;
    static constexpr std::array<std::pair<char, std::int64_t>, 5> kUnits
        = {{{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};
    std::int64_t unit = 0;
    for (const auto &[suffix, seconds] : kUnits) {
        if (text.back() == suffix)
            unit = seconds;
    }
    std::int64_t value = 0;
    for (const char c : text.substr(0, text.size() - 1)) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (unit == 0 || value == 0)
        return std::nullopt;
    return std::chrono::seconds(value * unit);
}

} // namespace meterscope::timeutil
