#pragma once

#include "ingest/csv_reader.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meterscope::ingest {

class TimeCellParser;

/// What each column of a file is for: which cells make the time and which
/// are series, with their names. Every data record must have cellCount cells.
struct Layout {
    std::size_t cellCount = 0;
    /// One column holding the time, or two: a date, then a time of day.
    std::vector<std::size_t> timeColumns;
    /// One series each, in file order.
    std::vector<std::size_t> valueColumns;
    /// One per value column: valid UTF-8 and unique.
    std::vector<std::string> seriesNames;
};

/// Chooses the layout from the first data record (and the header, if there
/// is one; it may be null): the time in the first column, or a date and a
/// time of day in the first two; every other column a value. Throws
/// ReaderError for a record of one cell or more than kMaxColumns cells, and
/// for names that cannot work (see ReaderSink::columns()).
Layout layoutFromRecord(const std::vector<std::string_view> &cells, std::size_t cellCount,
                        const std::vector<std::string> *header, TimeCellParser &times, const ReaderOptions &options);

/// Chooses the layout from the header alone, for a file without a readable
/// data record: "date,time,..." means two time columns.
Layout layoutFromHeader(const std::vector<std::string> &header, const ReaderOptions &options);

/// Most columns a record may have.
inline constexpr std::size_t kMaxColumns = 10'000;

} // namespace meterscope::ingest
