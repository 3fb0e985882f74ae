#include "ingest/date_order.h"

#include "ingest/cell_text.h"

#include <algorithm>

namespace meterscope::ingest {

namespace {

// Reads 1 or 2 digits at `pos`.
bool readField(std::string_view s, std::size_t &pos, unsigned &value)
{
    const std::size_t begin = pos;
    value = 0;
    while (pos < s.size() && pos - begin < 4 && isDigit(s[pos]))
        value = value * 10 + unsigned(s[pos++] - '0');
    return pos > begin;
}

// "HH:MM" or "HH:MM:SS[.fraction]": how many colons, or -1 when it is no time of day.
int timeOfDayColons(std::string_view s)
{
    std::size_t pos = 0;
    unsigned field = 0;
    int colons = 0;
    if (!readField(s, pos, field) || pos > 2)
        return -1;
    while (pos < s.size() && s[pos] == ':' && colons < 2) {
        ++pos;
        const std::size_t begin = pos;
        if (!readField(s, pos, field) || pos - begin != 2)
            return -1;
        ++colons;
    }
    if (pos < s.size() && s[pos] == '.' && colons == 2) {
        for (++pos; pos < s.size() && isDigit(s[pos]);)
            ++pos;
    }
    return colons > 0 && pos == s.size() ? colons : -1;
}

} // namespace

void DateOrderGuess::add(std::string_view cell, std::string_view next)
{
    std::size_t pos = 0;
    unsigned first = 0, second = 0, year = 0;
    if (!readField(cell, pos, first) || pos > 2 || pos >= cell.size())
        return;
    const char separator = cell[pos];
    if (separator != '/' && separator != '.' && separator != '-')
        return;
    const std::size_t secondBegin = ++pos;
    if (!readField(cell, pos, second) || pos - secondBegin > 2 || pos >= cell.size() || cell[pos] != separator)
        return;
    const std::size_t yearBegin = ++pos;
    if (!readField(cell, pos, year) || (pos - yearBegin != 2 && pos - yearBegin != 4))
        return;
    const bool shortYear = pos - yearBegin == 2;
    int colons = 0;
    if (pos < cell.size()) {
        if (cell[pos] != ' ')
            return;
        colons = timeOfDayColons(trimBlanks(cell.substr(pos + 1)));
        if (colons < 0)
            return;
    } else if (const int nextColons = timeOfDayColons(next); nextColons > 0) {
        colons = nextColons;
    }
    if (first == 0 || second == 0)
        return;
    if (m_count++ == 0) {
        m_separator = separator;
        m_shortYear = shortYear;
        m_colons = colons;
        m_example = std::string(cell);
    }
    m_maxFirst = std::max(m_maxFirst, first);
    m_maxSecond = std::max(m_maxSecond, second);
}

std::string DateOrderGuess::build(bool dayFirst) const
{
    const std::string separator(1, m_separator);
    std::string out = dayFirst ? "%d" + separator + "%m" : "%m" + separator + "%d";
    out += separator + (m_shortYear ? "%y" : "%Y");
    if (m_colons == 1)
        out += " %H:%M";
    else if (m_colons == 2)
        out += " %H:%M:%S";
    return out;
}

std::string DateOrderGuess::format() const
{
    return build(dayFirst());
}

std::string DateOrderGuess::otherFormat() const
{
    return build(!dayFirst());
}

} // namespace meterscope::ingest
