#pragma once

#include "ingest/time_cell.h"

#include <string>
#include <string_view>

namespace meterscope::ingest {

/// A strptime-style layout of time cells (ReaderOptions::timeFormat lists
/// the conversions), for the layouts the ISO parser does not know.
///
/// Hand-written rather than date::from_stream, for two reasons.
/// meterscope-bench-reader measures date::from_stream, even on one reused
/// stream over the cell, at 9-10 times the cost of this parser per cell;
/// it would make reading such a file 3-5 times slower (2.0-4.2x more CPU
/// per row, 1 to 4 meters a row), where the limit set for the change was
/// 10% (#18). And date 3.0.1 runs into undefined behaviour on some cells
/// (an uninitialised %S, a negated minutes::min() in %z), found by fuzzing.
class TimeFormat {
public:
    /// Throws ReaderError for a layout that cannot give an instant (no full
    /// date, an unknown conversion, %I without %p), before the first cell.
    explicit TimeFormat(std::string format);

    /// The layout as the user wrote it.
    const std::string &text() const { return m_text; }

    /// Reads one trimmed cell; a naive time unless the layout has %z.
    TimeStatus parse(std::string_view cell, timeutil::ParsedTime &out) const;

private:
    void compile();
    [[noreturn]] void fail(const std::string &why) const;

    std::string m_text;
    std::string m_layout;
    bool m_dayOfYear = false;
    bool m_hasOffset = false;
};

} // namespace meterscope::ingest
