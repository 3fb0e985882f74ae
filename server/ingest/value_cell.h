#pragma once

#include <string>
#include <string_view>

namespace meterscope::ingest {

/// What a value cell holds.
enum class ValueStatus {
    Number,     ///< a finite number
    Missing,    ///< empty, "-", NaN or NULL (any case): no reading, not an error
    NotANumber, ///< text, hex, thousands separators...
    Infinite,   ///< inf, Infinity
    OutOfRange, ///< a number too large for a double, such as 1e400
};

/// Reads a trimmed value cell: decimal or scientific notation with an
/// optional leading sign. With `decimalComma` a comma may stand for the
/// decimal point ("55,09"); a point is still accepted.
ValueStatus parseValue(std::string_view cell, bool decimalComma, double &value);

/// Appends the reason for a cell that is not a Number, quoting it:
/// "missing value (NaN)", "not a number: 'abc'", "value out of range: '1e400'".
void appendValueReason(std::string &out, ValueStatus status, std::string_view cell);

} // namespace meterscope::ingest
