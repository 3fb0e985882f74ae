#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace meterscope::ingest {

/// Cuts a record into cells: quotes undone (a quote opens a quoted cell only
/// at the start of a cell, after blanks; text after the closing quote is
/// kept), every cell trimmed of blanks. Counts every cell but keeps at most
/// limit() of them, which bounds memory for absurdly wide records.
class CellSplitter {
public:
    CellSplitter(char delimiter, std::size_t limit);

    /// Splits one record (as RecordHandler::record() gives it). The cells
    /// stay valid until the next split.
    void split(std::string_view record, bool hasQuote);

    const std::vector<std::string_view> &cells() const { return m_cells; }
    /// How many cells the record has, also beyond the limit.
    std::size_t count() const { return m_count; }
    /// Every cell is empty and none was quoted: a blank record.
    bool blank() const { return m_blank; }

    void setLimit(std::size_t limit) { m_limit = limit; }

private:
    void splitQuoted();
    void add(std::string_view cell);

    const char m_delimiter;
    std::size_t m_limit;
    std::array<bool, 256> m_isBlank{};
    // A quoted record, unescaped in place.
    std::string m_unquoted;
    std::vector<std::string_view> m_cells;
    std::size_t m_count = 0;
    bool m_blank = true;
};

} // namespace meterscope::ingest
