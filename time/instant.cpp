#include "time/instant.h"

#include <charconv>
#include <limits>

namespace meterscope::timeutil {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// Reads between minDigits and maxDigits decimal digits at `pos`.
bool readNumber(std::string_view s, std::size_t &pos, int minDigits, int maxDigits, int &value)
{
    int digits = 0;
    value = 0;
    while (pos < s.size() && digits < maxDigits && isDigit(s[pos])) {
        value = value * 10 + (s[pos] - '0');
        ++pos;
        ++digits;
    }
    return digits >= minDigits;
}

struct Civil {
    int year;
    unsigned month;
    unsigned day;
};

Civil civilFromDays(std::int64_t z)
{
    // Howard Hinnant's civil_from_days.
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = unsigned(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t y = std::int64_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {int(y + (m <= 2)), m, d};
}

TimeError parseDatePart(std::string_view s, std::size_t &pos, std::int64_t &days)
{
    int year = 0, month = 0, day = 0;
    if (!readNumber(s, pos, 4, 4, year) || pos >= s.size() || s[pos] != '-')
        return TimeError::NotATime;
    ++pos;
    if (!readNumber(s, pos, 1, 2, month) || pos >= s.size() || s[pos] != '-')
        return TimeError::NotATime;
    ++pos;
    if (!readNumber(s, pos, 1, 2, day))
        return TimeError::NotATime;
    if (!isValidDate(year, unsigned(month), unsigned(day)))
        return TimeError::InvalidDate;
    days = daysFromCivil(year, unsigned(month), unsigned(day));
    return TimeError::None;
}

TimeError parseClockPart(std::string_view s, std::size_t &pos, Micros &sinceMidnight)
{
    int hour = 0, minute = 0, second = 0;
    if (!readNumber(s, pos, 1, 2, hour) || pos >= s.size() || s[pos] != ':')
        return TimeError::NotATime;
    ++pos;
    if (!readNumber(s, pos, 2, 2, minute))
        return TimeError::NotATime;
    Micros fraction = 0;
    if (pos < s.size() && s[pos] == ':') {
        ++pos;
        if (!readNumber(s, pos, 2, 2, second))
            return TimeError::NotATime;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            if (pos >= s.size() || !isDigit(s[pos]))
                return TimeError::NotATime;
            Micros scale = 100'000;
            while (pos < s.size() && isDigit(s[pos])) {
                fraction += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
        }
    }
    if (hour > 23 || minute > 59 || second > 59)
        return TimeError::InvalidTime;
    sinceMidnight = ((Micros(hour) * 60 + minute) * 60 + second) * kMicrosPerSecond + fraction;
    return TimeError::None;
}

void appendDigits(std::string &out, unsigned value, int width)
{
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = char('0' + value % 10);
        value /= 10;
    }
    out.append(buf, std::size_t(width));
}

} // namespace

std::int64_t daysFromCivil(int year, unsigned month, unsigned day)
{
    // Howard Hinnant's days_from_civil.
    const std::int64_t y = std::int64_t(year) - (month <= 2);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + std::int64_t(doe) - 719468;
}

bool isValidDate(int year, unsigned month, unsigned day)
{
    static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1)
        return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

TimeError parseIsoTime(std::string_view text, ParsedTime &out)
{
    const std::string_view s = trim(text);
    std::size_t pos = 0;
    std::int64_t days = 0;
    if (const TimeError e = parseDatePart(s, pos, days); e != TimeError::None)
        return e;
    Micros clock = 0;
    bool hasOffset = false;
    Micros offset = 0;
    if (pos < s.size()) {
        if (s[pos] != ' ' && s[pos] != 'T' && s[pos] != 't')
            return TimeError::NotATime;
        ++pos;
        if (const TimeError e = parseClockPart(s, pos, clock); e != TimeError::None)
            return e;
        while (pos < s.size() && s[pos] == ' ')
            ++pos;
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
                hasOffset = true;
            } else if (s[pos] == '+' || s[pos] == '-') {
                const bool negative = s[pos] == '-';
                ++pos;
                int hours = 0, minutes = 0;
                if (!readNumber(s, pos, 2, 2, hours))
                    return TimeError::NotATime;
                // A colon promises minutes: "+01:" is not an offset.
                const bool colon = pos < s.size() && s[pos] == ':';
                if (colon)
                    ++pos;
                if ((colon || pos < s.size()) && !readNumber(s, pos, 2, 2, minutes))
                    return TimeError::NotATime;
                if (hours > 23 || minutes > 59)
                    return TimeError::InvalidTime;
                offset = (Micros(hours) * 60 + minutes) * 60 * kMicrosPerSecond;
                if (negative)
                    offset = -offset;
                hasOffset = true;
            }
            if (pos != s.size())
                return TimeError::NotATime;
        }
    }
    out.timeUs = days * kMicrosPerDay + clock - offset;
    out.hasOffset = hasOffset;
    return TimeError::None;
}

TimeError parseDate(std::string_view text, std::int64_t &days)
{
    const std::string_view s = trim(text);
    std::size_t pos = 0;
    if (const TimeError e = parseDatePart(s, pos, days); e != TimeError::None)
        return e;
    return pos == s.size() ? TimeError::None : TimeError::NotATime;
}

TimeError parseTimeOfDay(std::string_view text, Micros &sinceMidnight)
{
    const std::string_view s = trim(text);
    std::size_t pos = 0;
    if (const TimeError e = parseClockPart(s, pos, sinceMidnight); e != TimeError::None)
        return e;
    return pos == s.size() ? TimeError::None : TimeError::NotATime;
}

std::string_view describe(TimeError error)
{
    switch (error) {
    case TimeError::None:
        return "valid";
    case TimeError::NotATime:
        return "not a time";
    case TimeError::InvalidDate:
        return "invalid date";
    case TimeError::InvalidTime:
        return "invalid time of day or offset";
    }
    return "not a time";
}

void appendIso(std::string &out, Micros utc, const Zone &zone)
{
    const int offsetSeconds = zone.offsetSecondsAt(utc);
    const Micros local = utc + Micros(offsetSeconds) * kMicrosPerSecond;
    std::int64_t days = local / kMicrosPerDay;
    Micros rest = local % kMicrosPerDay;
    if (rest < 0) {
        rest += kMicrosPerDay;
        --days;
    }
    const Civil c = civilFromDays(days);
    const auto seconds = unsigned(rest / kMicrosPerSecond);
    const auto fractionUs = unsigned(rest % kMicrosPerSecond);
    if (c.year < 0 || c.year > 9999) {
        out += std::to_string(c.year);
    } else {
        appendDigits(out, unsigned(c.year), 4);
    }
    out += '-';
    appendDigits(out, c.month, 2);
    out += '-';
    appendDigits(out, c.day, 2);
    out += 'T';
    appendDigits(out, seconds / 3600, 2);
    out += ':';
    appendDigits(out, seconds / 60 % 60, 2);
    out += ':';
    appendDigits(out, seconds % 60, 2);
    if (fractionUs != 0) {
        unsigned digits = fractionUs;
        int width = 6;
        while (digits % 10 == 0) {
            digits /= 10;
            --width;
        }
        out += '.';
        appendDigits(out, digits, width);
    }
    if (zone.isUtc()) {
        out += 'Z';
        return;
    }
    const int magnitude = offsetSeconds < 0 ? -offsetSeconds : offsetSeconds;
    out += offsetSeconds < 0 ? '-' : '+';
    appendDigits(out, unsigned(magnitude / 3600), 2);
    out += ':';
    appendDigits(out, unsigned(magnitude / 60 % 60), 2);
}

std::string formatIso(Micros utc, const Zone &zone)
{
    std::string out;
    out.reserve(32);
    appendIso(out, utc, zone);
    return out;
}

std::optional<Micros> parseInstant(std::string_view text, const Zone &zone, std::string *error)
{
    const std::string_view s = trim(text);
    auto fail = [&](std::string_view why) -> std::optional<Micros> {
        if (error)
            *error = "'" + std::string(s) + "' " + std::string(why);
        return std::nullopt;
    };
    std::int64_t seconds = 0;
    // Epoch seconds have ten digits these days; a short number such as
    // 20190101 is far likelier a mistyped date than a time in 1970.
    const bool longNumber = s.size() >= 9;
    if (auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), seconds);
        end == s.data() + s.size() && longNumber) {
        // Beyond this the microseconds would overflow.
        constexpr std::int64_t kLimit = std::numeric_limits<Micros>::max() / kMicrosPerSecond;
        if (ec != std::errc() || seconds > kLimit || seconds < -kLimit)
            return fail("is out of range for epoch seconds");
        return seconds * kMicrosPerSecond;
    }
    ParsedTime parsed;
    const TimeError e = parseIsoTime(s, parsed);
    if (e == TimeError::NotATime)
        return fail("is not a time; use ISO 8601 such as 2019-01-01T00:15:00Z");
    if (e != TimeError::None)
        return fail("is not a valid time (" + std::string(describe(e)) + ")");
    if (parsed.hasOffset)
        return parsed.timeUs;
    Micros utc = 0;
    switch (zone.toUtc(parsed.timeUs, utc)) {
    case Zone::LocalResult::Ok:
        return utc;
    case Zone::LocalResult::Nonexistent:
        return fail("does not exist in " + zone.name() + " (skipped by a daylight-saving change)");
    case Zone::LocalResult::Ambiguous:
        return fail("is ambiguous in " + zone.name() + " (repeated by a daylight-saving change); add an offset");
    }
    return std::nullopt;
}

} // namespace meterscope::timeutil
