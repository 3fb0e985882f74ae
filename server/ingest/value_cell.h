#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace meterscope::ingest {

/// What a value cell holds.
enum class ValueStatus {
    Number,     ///< a finite number
    Missing,    ///< a missing marker (see ValueParser): no reading, not an error
    NotANumber, ///< text, hex, thousands separators...
    Infinite,   ///< inf, Infinity
    OutOfRange, ///< a number too large for a double, such as 1e400
};

/// Reads trimmed value cells: decimal or scientific notation with an
/// optional leading sign. With `decimalComma` a comma may stand for the
/// decimal point ("55,09"); a point is still accepted. Missing markers, in
/// any case: empty, "-", "?", NaN, NULL, N/A, unavailable, unknown, and the
/// extra tokens given (ReaderOptions::missingTokens).
class ValueParser {
public:
    ValueParser(bool decimalComma, const std::vector<std::string> &extraMissing);

    ValueStatus parse(std::string_view cell, double &value) const;
    bool isMissing(std::string_view cell) const;

private:
    bool m_decimalComma;
    // Lower case, without surrounding blanks.
    std::vector<std::string> m_extraMissing;
    bool m_extraStartsWithDigit = false;
};

/// Appends the reason for a cell that is not a Number, quoting it:
/// "missing value (NaN)", "not a number: 'abc'", "value out of range: '1e400'".
void appendValueReason(std::string &out, ValueStatus status, std::string_view cell);

} // namespace meterscope::ingest
