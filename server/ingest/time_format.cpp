#include "ingest/time_format.h"

#include "ingest/cell_text.h"

#include <span>

namespace meterscope::ingest {

using timeutil::Micros;
using timeutil::ParsedTime;

namespace {

bool readNumber(std::string_view s, std::size_t &pos, std::size_t minDigits, std::size_t maxDigits, int &value)
{
    std::size_t digits = 0;
    value = 0;
    for (; pos < s.size() && digits < maxDigits && isDigit(s[pos]); ++pos, ++digits)
        value = value * 10 + (s[pos] - '0');
    return digits >= minDigits;
}

// strptime takes full and abbreviated names alike, in any case.
bool readName(std::string_view s, std::size_t &pos, std::span<const std::string_view> names, int &value)
{
    const auto matches = [&](std::string_view name) {
        if (s.size() - pos < name.size())
            return false;
        for (std::size_t i = 0; i < name.size(); ++i) {
            if (toLowerAscii(s[pos + i]) != name[i])
                return false;
        }
        return true;
    };
    for (std::size_t i = 0; i < names.size(); ++i) {
        for (const std::string_view name : {names[i], names[i].substr(0, 3)}) {
            if (matches(name)) {
                pos += name.size();
                value = int(i);
                return true;
            }
        }
    }
    return false;
}

constexpr std::string_view kMonths[12] = {"january", "february", "march",     "april",   "may",      "june",
                                          "july",    "august",   "september", "october", "november", "december"};
constexpr std::string_view kWeekdays[7]
    = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// Takes the ISO forms (Z, ±HH:MM, ±HH) besides strptime's ±HHMM.
bool readOffset(std::string_view s, std::size_t &pos, Micros &offset, bool &valid)
{
    valid = true;
    offset = 0;
    if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
        ++pos;
        return true;
    }
    if (pos >= s.size() || (s[pos] != '+' && s[pos] != '-'))
        return false;
    const bool negative = s[pos] == '-';
    std::size_t at = pos + 1;
    int hours = 0, minutes = 0;
    if (!readNumber(s, at, 2, 2, hours))
        return false;
    const bool colon = at < s.size() && s[at] == ':';
    if (colon)
        ++at;
    if ((colon || (at < s.size() && isDigit(s[at]))) && !readNumber(s, at, 2, 2, minutes))
        return false;
    pos = at;
    valid = hours <= 23 && minutes <= 59;
    offset = (Micros(hours) * 60 + minutes) * 60 * timeutil::kMicrosPerSecond;
    if (negative)
        offset = -offset;
    return true;
}

} // namespace

TimeFormat::TimeFormat(std::string format)
    : m_text(std::move(format))
{
    compile();
}

TimeStatus TimeFormat::parse(std::string_view s, ParsedTime &out) const
{
    int year = 0, month = 0, day = 0, dayOfYear = 0, hour = 0, minute = 0, second = 0, ignored = 0;
    int hour12 = -1, pm = -1;
    Micros fraction = 0, offset = 0;
    bool validOffset = true;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < m_layout.size(); ++i) {
        const char c = m_layout[i];
        if (isSpace(c)) {
            while (pos < s.size() && isSpace(s[pos]))
                ++pos;
            continue;
        }
        if (c != '%') {
            if (pos >= s.size() || s[pos] != c)
                return TimeStatus::NotATime;
            ++pos;
            continue;
        }
        bool ok = true;
        switch (m_layout[++i]) {
        case 'Y':
            ok = readNumber(s, pos, 1, 4, year);
            break;
        case 'y':
            // POSIX: 69-99 are 1969-1999, 00-68 are 2000-2068.
            ok = readNumber(s, pos, 2, 2, year);
            year += year < 69 ? 2000 : 1900;
            break;
        case 'm':
            ok = readNumber(s, pos, 1, 2, month);
            break;
        case 'e':
            if (pos < s.size() && s[pos] == ' ')
                ++pos;
            [[fallthrough]];
        case 'd':
            ok = readNumber(s, pos, 1, 2, day);
            break;
        case 'j':
            ok = readNumber(s, pos, 1, 3, dayOfYear);
            break;
        case 'H':
            ok = readNumber(s, pos, 1, 2, hour);
            break;
        case 'I':
            ok = readNumber(s, pos, 1, 2, hour12);
            break;
        case 'M':
            ok = readNumber(s, pos, 1, 2, minute);
            break;
        case 'S':
            ok = readNumber(s, pos, 1, 2, second);
            if (ok && pos + 1 < s.size() && (s[pos] == '.' || s[pos] == ',') && isDigit(s[pos + 1])) {
                Micros scale = timeutil::kMicrosPerSecond;
                for (++pos; pos < s.size() && isDigit(s[pos]); ++pos) {
                    scale /= 10;
                    fraction += (s[pos] - '0') * scale;
                }
            }
            break;
        case 'p':
            ok = pos + 1 < s.size() && (s[pos + 1] == 'M' || s[pos + 1] == 'm');
            if (ok) {
                const char c0 = s[pos];
                pm = (c0 == 'P' || c0 == 'p') ? 1 : (c0 == 'A' || c0 == 'a') ? 0 : -1;
                ok = pm >= 0;
                pos += 2;
            }
            break;
        case 'b':
            ok = readName(s, pos, kMonths, month);
            ++month;
            break;
        case 'a':
            ok = readName(s, pos, kWeekdays, ignored);
            break;
        case 'z':
            ok = readOffset(s, pos, offset, validOffset);
            break;
        case 'Z': {
            const std::size_t begin = pos;
            while (pos < s.size() && ((s[pos] >= 'A' && s[pos] <= 'Z') || (s[pos] >= 'a' && s[pos] <= 'z')))
                ++pos;
            ok = pos > begin;
            break;
        }
        case '%':
            ok = pos < s.size() && s[pos] == '%';
            ++pos;
            break;
        }
        if (!ok)
            return TimeStatus::NotATime;
    }
    if (pos != s.size())
        return TimeStatus::NotATime;

    std::int64_t days = 0;
    if (m_dayOfYear) {
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        if (dayOfYear < 1 || dayOfYear > (leap ? 366 : 365))
            return TimeStatus::InvalidDate;
        days = timeutil::daysFromCivil(year, 1, 1) + dayOfYear - 1;
    } else {
        if (!timeutil::isValidDate(year, unsigned(month), unsigned(day)))
            return TimeStatus::InvalidDate;
        days = timeutil::daysFromCivil(year, unsigned(month), unsigned(day));
    }
    if (hour12 >= 0) {
        if (hour12 < 1 || hour12 > 12)
            return TimeStatus::InvalidTime;
        hour = hour12 % 12 + 12 * pm;
    }
    if (hour > 23 || minute > 59 || second > 59 || !validOffset)
        return TimeStatus::InvalidTime;
    out.timeUs = days * timeutil::kMicrosPerDay
                 + ((Micros(hour) * 60 + minute) * 60 + second) * timeutil::kMicrosPerSecond + fraction - offset;
    out.hasOffset = m_hasOffset;
    return TimeStatus::Ok;
}

// Expands %F %T %R %D and the synonyms, drops E/O modifiers, and refuses
// layouts that cannot give an instant before the first cell rather than
// as one rejected line per record.
void TimeFormat::compile()
{
    bool year = false, month = false, day = false, hour12 = false, ampm = false, conversions = false;
    for (std::size_t i = 0; i < m_text.size(); ++i) {
        if (m_text[i] != '%') {
            m_layout += m_text[i];
            continue;
        }
        if (++i < m_text.size() && (m_text[i] == 'E' || m_text[i] == 'O'))
            ++i;
        if (i == m_text.size())
            fail("ends in a lone '%'");
        conversions = true;
        const char conversion = m_text[i];
        switch (conversion) {
        case 'F':
            m_layout += "%Y-%m-%d";
            year = month = day = true;
            continue;
        case 'D':
            m_layout += "%m/%d/%y";
            year = month = day = true;
            continue;
        case 'T':
            m_layout += "%H:%M:%S";
            continue;
        case 'R':
            m_layout += "%H:%M";
            continue;
        case 'n':
        case 't':
            m_layout += ' ';
            continue;
        case 'B':
        case 'h':
            m_layout += "%b";
            month = true;
            continue;
        case 'A':
            m_layout += "%a";
            continue;
        case 'Y':
        case 'y':
            year = true;
            break;
        case 'm':
        case 'b':
            month = true;
            break;
        case 'd':
        case 'e':
            day = true;
            break;
        case 'j':
            m_dayOfYear = true;
            break;
        case 'I':
            hour12 = true;
            break;
        case 'p':
            ampm = true;
            break;
        case 'z':
            if (m_hasOffset)
                fail("has more than one offset (%z)");
            m_hasOffset = true;
            break;
        case 'H':
        case 'M':
        case 'S':
        case 'a':
        case 'Z':
        case '%':
            break;
        default:
            fail(std::string("uses the conversion '%") + conversion
                 + "', which is not supported (use %Y %y %m %d %e %j %b %B %a %A %H %I %M %S %p %z %Z %F %T "
                   "%R %D %n %t %%)");
        }
        m_layout += '%';
        m_layout += conversion;
    }
    if (!conversions)
        fail("has no conversions such as %Y or %H");
    if (!year || !((month && day) || m_dayOfYear))
        fail("does not give a full date (it needs a year, a month and a day, e.g. %d/%m/%Y %H:%M)");
    if (hour12 != ampm)
        fail("needs %I and %p together (12-hour clock with AM/PM)");
}

void TimeFormat::fail(const std::string &why) const
{
    std::string message = "the time format ";
    appendQuoted(message, m_text);
    throw ReaderError(message + " " + why);
}

} // namespace meterscope::ingest
