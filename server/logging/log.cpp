#include "logging/log.h"

#include "time/instant.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

namespace meterscope::logging {

namespace {
std::atomic<Level> g_level{Level::Info};
std::mutex g_mutex;

std::string_view name(Level level)
{
    switch (level) {
    case Level::Debug:
        return "debug";
    case Level::Info:
        return "info ";
    case Level::Warning:
        return "warn ";
    case Level::Error:
        return "error";
    }
    return "info ";
}
} // namespace

void setLevel(Level level)
{
    g_level = level;
}

bool parseLevel(std::string_view text, Level &level)
{
    if (text == "debug")
        level = Level::Debug;
    else if (text == "info")
        level = Level::Info;
    else if (text == "warning" || text == "warn")
        level = Level::Warning;
    else if (text == "error")
        level = Level::Error;
    else
        return false;
    return true;
}

bool enabled(Level level)
{
    return level >= g_level.load(std::memory_order_relaxed);
}

void write(Level level, std::string_view message)
{
    const auto now
        = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
              .count();
    // Whole seconds, then always three digits of milliseconds, so lines align.
    std::string line = timeutil::formatIso(now - now % timeutil::kMicrosPerSecond);
    line.pop_back();
    char millis[8];
    std::snprintf(millis, sizeof millis, ".%03dZ ", int(now % timeutil::kMicrosPerSecond / 1000));
    line += millis;
    line += name(level);
    line += ' ';
    line += message;
    line += '\n';
    std::lock_guard lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
}

} // namespace meterscope::logging
