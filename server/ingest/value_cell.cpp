#include "ingest/value_cell.h"

#include "ingest/cell_text.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstring>

namespace meterscope::ingest {

namespace {

constexpr std::string_view kMissingMarkers[] = {"-", "?", "nan", "null", "n/a", "unavailable", "unknown"};

std::string lowerTrimmed(std::string_view text)
{
    std::string out(trimBlanks(text));
    for (char &c : out)
        c = toLowerAscii(c);
    return out;
}

} // namespace

ValueParser::ValueParser(bool decimalComma, const std::vector<std::string> &extraMissing)
    : m_decimalComma(decimalComma)
{
    for (const std::string &token : extraMissing) {
        m_extraMissing.push_back(lowerTrimmed(token));
        if (!m_extraMissing.back().empty() && isDigit(m_extraMissing.back().front()))
            m_extraStartsWithDigit = true;
    }
}

bool ValueParser::isMissing(std::string_view cell) const
{
    if (cell.empty())
        return true;
    for (const std::string_view marker : kMissingMarkers) {
        if (equalsIgnoringCase(cell, marker))
            return true;
    }
    for (const std::string &token : m_extraMissing) {
        if (equalsIgnoringCase(cell, token))
            return true;
    }
    return false;
}

ValueStatus ValueParser::parse(std::string_view cell, double &value) const
{
    const char *first = cell.data();
    const char *const last = first + cell.size();
    // The common case first: a cell starting with a digit is never a marker
    // (unless the user named such a token).
    if (cell.empty() || !isDigit(*first) || m_extraStartsWithDigit) {
        if (isMissing(cell))
            return ValueStatus::Missing;
        // fast_float follows std::from_chars, which refuses a leading '+'.
        if (*first == '+') {
            ++first;
            if (first == last || *first == '+' || *first == '-')
                return ValueStatus::NotANumber;
        }
    }
    const bool comma = m_decimalComma && std::memchr(first, ',', std::size_t(last - first)) != nullptr;
    const fast_float::parse_options options{fast_float::chars_format::general, comma ? ',' : '.'};
    const auto [end, ec] = fast_float::from_chars_advanced(first, last, value, options);
    if (ec != std::errc() || end != last)
        return ValueStatus::NotANumber;
    if (std::isnan(value))
        return ValueStatus::Missing;
    if (std::isinf(value)) {
        // fast_float turns an overflowing literal into infinity without an error.
        const char *digits = *first == '-' ? first + 1 : first;
        return (*digits == 'i' || *digits == 'I') ? ValueStatus::Infinite : ValueStatus::OutOfRange;
    }
    return ValueStatus::Number;
}

void appendValueReason(std::string &out, ValueStatus status, std::string_view cell)
{
    switch (status) {
    case ValueStatus::Number:
        return;
    case ValueStatus::Missing:
        out += "missing value (";
        if (cell.empty())
            out += "empty cell";
        else
            out.append(cell.size() <= kQuotedChars ? cell : cell.substr(0, kQuotedChars));
        out += ')';
        return;
    case ValueStatus::NotANumber:
        out += "not a number: ";
        break;
    case ValueStatus::Infinite:
        out += "infinite value: ";
        break;
    case ValueStatus::OutOfRange:
        out += "value out of range: ";
        break;
    }
    appendQuoted(out, cell);
}

} // namespace meterscope::ingest
