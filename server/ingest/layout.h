#pragma once

#include "ingest/csv_reader.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace meterscope::ingest {

class TimeCellParser;
class ValueParser;

/// What each column of a file is for: which cells make the time, which are
/// values, which names the series. Every data record must have cellCount cells.
struct Layout {
    std::size_t cellCount = 0;
    /// One column holding the time, or two: a date, then a time of day.
    std::vector<std::size_t> timeColumns;
    /// In file order.
    std::vector<std::size_t> valueColumns;
    /// One per value column. Wide format: the series, valid UTF-8 and
    /// unique. Long format: the column's part of "<key>:<name>" and its unit.
    std::vector<SeriesInfo> valueNames;
    /// Long format: the column whose cells name the series.
    std::optional<std::size_t> keyColumn;
    /// A format for the time cells found from the data (day/month order);
    /// empty = as the options say.
    std::string detectedFormat;
    LayoutReport report;
};

/// One of the first records of a file, held until the layout is decided.
struct SampledRecord {
    std::uint64_t line = 0;
    /// As RecordHandler::record() gave it.
    std::string bytes;
    bool hasQuote = false;
    /// Set for a record that cannot be read (RecordHandler::brokenRecord()).
    std::string broken;
};

/// The layout and where the data starts.
struct Decision {
    Layout layout;
    /// Index in the sample of the first record read as data: the preamble
    /// and the header come before it (and lines up to ReaderOptions::skipLines).
    std::size_t firstData = 0;
};

/// Decides the layout from the first records of a file (see CsvReader for
/// the rules): header and preamble, the role of every column (options
/// first), the day/month order (which it sets on `times`). Returns nullopt
/// when the sample has no record at all. Throws ReaderError when it cannot
/// work: no readable record, one cell, more than kMaxColumns, a COL that
/// names no column, names that cannot work.
std::optional<Decision> decideLayout(const std::vector<SampledRecord> &sample, char delimiter, TimeCellParser &times,
                                     const ValueParser &values, const ReaderOptions &options);

/// Most columns a record may have.
inline constexpr std::size_t kMaxColumns = 10'000;

} // namespace meterscope::ingest
