#pragma once

#include <sstream>
#include <string_view>

namespace meterscope::logging {

enum class Level { Debug, Info, Warning, Error };

/// Sets the lowest level written; the default is Info.
void setLevel(Level level);
/// Parses "debug", "info", "warning" or "error"; false if unknown.
bool parseLevel(std::string_view text, Level &level);
bool enabled(Level level);

/// Writes one line to stderr: "2026-11-27T20:47:46.123Z info  <message>".
/// Thread-safe; lines never interleave.
void write(Level level, std::string_view message);

/// Builds a line with operator<< and writes it when it goes out of scope.
class Line {
public:
    explicit Line(Level level)
        : m_level(level)
    {
    }
    ~Line() { write(m_level, m_stream.str()); }
    template<typename T>
    Line &operator<<(const T &value)
    {
        m_stream << value;
        return *this;
    }

private:
    Level m_level;
    std::ostringstream m_stream;
};

} // namespace meterscope::logging

// The level check comes first so disabled lines cost nothing to build; the
// loop form keeps `if (x) MS_LOG(Info) << ...; else ...` unambiguous.
#define MS_LOG(level)                                                                                                  \
    for (bool ms_log_once = ::meterscope::logging::enabled(::meterscope::logging::Level::level); ms_log_once;          \
         ms_log_once = false)                                                                                          \
    ::meterscope::logging::Line(::meterscope::logging::Level::level)
