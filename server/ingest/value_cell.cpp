#include "ingest/value_cell.h"

#include "ingest/cell_text.h"

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstring>

namespace meterscope::ingest {

namespace {

bool isMissingMarker(std::string_view cell)
{
    return cell.empty() || cell == "-" || equalsIgnoringCase(cell, "nan") || equalsIgnoringCase(cell, "null");
}

} // namespace

ValueStatus parseValue(std::string_view cell, bool decimalComma, double &value)
{
    const char *first = cell.data();
    const char *const last = first + cell.size();
    // The common case first: a cell starting with a digit is never a marker.
    if (cell.empty() || !(*first >= '0' && *first <= '9')) {
        if (isMissingMarker(cell))
            return ValueStatus::Missing;
        // fast_float follows std::from_chars, which refuses a leading '+'.
        if (*first == '+') {
            ++first;
            if (first == last || *first == '+' || *first == '-')
                return ValueStatus::NotANumber;
        }
    }
    const bool comma = decimalComma && std::memchr(first, ',', std::size_t(last - first)) != nullptr;
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
