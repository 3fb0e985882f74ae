#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace meterscope::ingest {

/// Tells day-first from month-first dates ("16/12/2006", "03/25/2023
/// 00:30") by looking at many of them: a first field over 12 means
/// day-first, a second field over 12 month-first. Fed the cells of one
/// column, it proposes a strptime-style format for TimeCellParser.
class DateOrderGuess {
public:
    /// Looks at a date cell, and at the time-of-day cell after it when the
    /// date comes alone. Cells that are no such date are ignored.
    void add(std::string_view cell, std::string_view next);

    /// At least one cell was a numeric date with '/', '.' or '-' and the year last.
    bool found() const { return m_count > 0; }
    bool dayFirst() const { return m_maxFirst > 12 || m_maxSecond <= 12; }
    /// No field over 12 in either place: the order is a guess (day-first).
    bool ambiguous() const { return m_maxFirst <= 12 && m_maxSecond <= 12; }
    /// The format for the cells, time of day included ("%d/%m/%Y %H:%M:%S");
    /// for a date alone, the format of "date time" when a time cell follows.
    std::string format() const;
    /// The same with day and month swapped, for the note on an ambiguous file.
    std::string otherFormat() const;
    /// One of the cells, for messages.
    const std::string &example() const { return m_example; }

private:
    std::string build(bool dayFirst) const;

    std::size_t m_count = 0;
    unsigned m_maxFirst = 0;
    unsigned m_maxSecond = 0;
    char m_separator = '/';
    bool m_shortYear = false;
    // Colons in the time of day: 0 none, 1 HH:MM, 2 HH:MM:SS.
    int m_colons = 0;
    std::string m_example;
};

} // namespace meterscope::ingest
