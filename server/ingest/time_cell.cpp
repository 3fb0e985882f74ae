#include "ingest/time_cell.h"

#include "ingest/cell_text.h"
#include "ingest/time_format.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace meterscope::ingest {

using timeutil::Micros;
using timeutil::ParsedTime;
using timeutil::TimeError;

namespace {

// Instants are kept to the years 0000-9999, the ones ISO 8601 cells can write.
constexpr std::int64_t kFirstSecond = -62'167'219'200; // 0000-01-01T00:00:00Z
constexpr std::int64_t kEndSecond = 253'402'300'800;   // 10000-01-01T00:00:00Z
constexpr Micros kFirstUs = kFirstSecond * timeutil::kMicrosPerSecond;
constexpr Micros kEndUs = kEndSecond * timeutil::kMicrosPerSecond;

// Auto tells epoch units apart by magnitude: seconds stay below 1e11 until
// the year 5138, milliseconds below 1e14 and microseconds above.
constexpr std::uint64_t kMillisFrom = 100'000'000'000;
constexpr std::uint64_t kMicrosFrom = 100'000'000'000'000;

TimeStatus fromTimeError(TimeError error)
{
    switch (error) {
    case TimeError::None:
        return TimeStatus::Ok;
    case TimeError::NotATime:
        return TimeStatus::NotATime;
    case TimeError::InvalidDate:
        return TimeStatus::InvalidDate;
    case TimeError::InvalidTime:
        return TimeStatus::InvalidTime;
    }
    return TimeStatus::NotATime;
}

EpochUnit unitForMagnitude(EpochUnit unit, std::uint64_t whole)
{
    if (unit != EpochUnit::Auto)
        return unit;
    if (whole < kMillisFrom)
        return EpochUnit::Seconds;
    return whole < kMicrosFrom ? EpochUnit::Milliseconds : EpochUnit::Microseconds;
}

Micros unitUs(EpochUnit unit)
{
    switch (unit) {
    case EpochUnit::Milliseconds:
        return 1'000;
    case EpochUnit::Microseconds:
        return 1;
    case EpochUnit::Auto:
    case EpochUnit::Seconds:
        break;
    }
    return timeutil::kMicrosPerSecond;
}

} // namespace

TimeCellParser::TimeCellParser(const ReaderOptions &options)
    : m_epochUnit(options.epochUnit)
{
    try {
        m_zone = timeutil::Zone::byName(options.timeZone);
    } catch (const std::invalid_argument &e) {
        throw ReaderError(e.what());
    }
    if (!options.timeFormat.empty())
        setFormat(options.timeFormat);
}

TimeCellParser::~TimeCellParser() = default;

void TimeCellParser::setFormat(const std::string &format)
{
    m_format = std::make_unique<TimeFormat>(format);
}

TimeStatus TimeCellParser::parse(std::string_view cell, Micros &utc)
{
    ParsedTime parsed;
    if (m_format) {
        if (const TimeStatus status = m_format->parse(cell, parsed); status != TimeStatus::Ok)
            return status;
        return toUtc(parsed, utc);
    }
    const TimeError error = timeutil::parseIsoTime(cell, parsed);
    if (error == TimeError::None)
        return toUtc(parsed, utc);
    if (error == TimeError::NotATime)
        return parseEpoch(cell, utc);
    return fromTimeError(error);
}

bool TimeCellParser::isSplitTime(std::string_view date, std::string_view time)
{
    if (time.empty() || !isDigit(time.front()))
        return false;
    char buffer[64];
    const std::string_view joined = join(buffer, date, time);
    if (joined.empty())
        return false;
    ParsedTime parsed;
    if (m_format)
        return m_format->parse(date, parsed) == TimeStatus::NotATime
               && m_format->parse(joined, parsed) != TimeStatus::NotATime;
    std::int64_t days = 0;
    return timeutil::parseDate(date, days) == TimeError::None
           && timeutil::parseIsoTime(joined, parsed) == TimeError::None;
}

std::string_view TimeCellParser::join(char (&buffer)[64], std::string_view date, std::string_view time)
{
    if (date.size() + 1 + time.size() > sizeof buffer)
        return {};
    std::memcpy(buffer, date.data(), date.size());
    buffer[date.size()] = ' ';
    std::memcpy(buffer + date.size() + 1, time.data(), time.size());
    return {buffer, date.size() + 1 + time.size()};
}

void TimeCellParser::appendReason(std::string &out, TimeStatus status, std::string_view text) const
{
    switch (status) {
    case TimeStatus::Ok:
        return;
    case TimeStatus::NotATime:
        if (m_format) {
            out += "time does not match the format ";
            appendQuoted(out, m_format->text());
            out += ": ";
        } else {
            out += "not a time: ";
        }
        appendQuoted(out, text);
        return;
    case TimeStatus::InvalidDate:
        out += "invalid date: ";
        appendQuoted(out, text);
        return;
    case TimeStatus::InvalidTime:
        out += "invalid time of day or offset: ";
        appendQuoted(out, text);
        return;
    case TimeStatus::OutOfRange:
        out += "time out of range (years 0000-9999): ";
        appendQuoted(out, text);
        return;
    case TimeStatus::Nonexistent:
        out += "local time ";
        appendQuoted(out, text);
        out += " does not exist in ";
        out += m_zone.name();
        out += " (skipped by the daylight-saving change)";
        return;
    case TimeStatus::Ambiguous:
        out += "local time ";
        appendQuoted(out, text);
        out += " is ambiguous in ";
        out += m_zone.name();
        out += " (occurs twice when daylight saving ends); add an offset";
        return;
    }
}

TimeStatus TimeCellParser::parseEpoch(std::string_view cell, Micros &utc) const
{
    const std::string_view s = trimBlanks(cell);
    std::size_t pos = 0;
    bool negative = false;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        negative = s[pos] == '-';
        ++pos;
    }
    // Whole and fraction are read as integers: a double would lose the
    // microseconds of a time given in seconds.
    std::uint64_t whole = 0;
    bool overflow = false;
    std::size_t digits = 0;
    for (; pos < s.size() && isDigit(s[pos]); ++pos, ++digits) {
        if (whole > (UINT64_MAX - 9) / 10)
            overflow = true;
        else
            whole = whole * 10 + std::uint64_t(s[pos] - '0');
    }
    Micros fraction = 0;
    Micros scale = timeutil::kMicrosPerSecond;
    if (pos < s.size() && s[pos] == '.') {
        for (++pos; pos < s.size() && isDigit(s[pos]); ++pos, ++digits) {
            scale /= 10;
            fraction += (s[pos] - '0') * scale;
        }
    }
    if (digits == 0)
        return TimeStatus::NotATime;
    if (pos != s.size()) {
        if (s[pos] != 'e' && s[pos] != 'E')
            return TimeStatus::NotATime;
        // Spreadsheets write large numbers as 1.5463017E+09.
        double value = 0;
        const char *first = s.data() + (s.front() == '+' ? 1 : 0);
        const auto [end, ec] = fast_float::from_chars(first, s.data() + s.size(), value);
        if (ec != std::errc() || end != s.data() + s.size())
            return TimeStatus::NotATime;
        const double magnitude = std::fabs(value);
        if (!(magnitude < 1e19))
            return TimeStatus::OutOfRange;
        const double us = value * double(unitUs(unitForMagnitude(m_epochUnit, std::uint64_t(magnitude))));
        if (!(us >= double(kFirstUs) && us < double(kEndUs)))
            return TimeStatus::OutOfRange;
        utc = Micros(us);
        return TimeStatus::Ok;
    }
    if (overflow)
        return TimeStatus::OutOfRange;
    const EpochUnit unit = unitForMagnitude(m_epochUnit, whole);
    const Micros perUnit = unitUs(unit);
    if (whole > std::uint64_t(kEndUs / perUnit))
        return TimeStatus::OutOfRange;
    // The fraction is in microseconds of a second; scale it to the unit.
    const Micros magnitude = Micros(whole) * perUnit + fraction * perUnit / timeutil::kMicrosPerSecond;
    utc = negative ? -magnitude : magnitude;
    if (utc < kFirstUs || utc >= kEndUs)
        return TimeStatus::OutOfRange;
    return TimeStatus::Ok;
}

TimeStatus TimeCellParser::toUtc(const ParsedTime &parsed, Micros &utc) const
{
    if (parsed.hasOffset) {
        utc = parsed.timeUs;
        return TimeStatus::Ok;
    }
    switch (m_zone.toUtc(parsed.timeUs, utc)) {
    case timeutil::Zone::LocalResult::Ok:
        return TimeStatus::Ok;
    case timeutil::Zone::LocalResult::Nonexistent:
        return TimeStatus::Nonexistent;
    case timeutil::Zone::LocalResult::Ambiguous:
        return TimeStatus::Ambiguous;
    }
    return TimeStatus::NotATime;
}

} // namespace meterscope::ingest
