#include "ingest/cells.h"

#include "ingest/cell_text.h"

#include <cstring>

namespace meterscope::ingest {

CellSplitter::CellSplitter(char delimiter, std::size_t limit)
    : m_delimiter(delimiter)
    , m_limit(limit)
{
    for (int c = 0; c < 256; ++c)
        m_isBlank[std::size_t(c)] = isBlank(char(c), m_delimiter);
}

void CellSplitter::split(std::string_view record, bool hasQuote)
{
    m_cells.clear();
    m_count = 0;
    m_blank = !hasQuote;
    if (hasQuote) {
        m_unquoted.assign(record);
        splitQuoted();
        return;
    }
    const char *p = record.data();
    const char *const end = p + record.size();
    for (;;) {
        const auto *delimiter = static_cast<const char *>(std::memchr(p, m_delimiter, std::size_t(end - p)));
        const char *cellEnd = delimiter ? delimiter : end;
        add(trimBlanks({p, std::size_t(cellEnd - p)}));
        if (!delimiter)
            break;
        p = delimiter + 1;
    }
}

// The same reading of quotes as RecordScanner. Unquoted content is never
// longer than the raw bytes, so writing it over them, behind the read
// position, is safe.
void CellSplitter::splitQuoted()
{
    char *read = m_unquoted.data();
    char *const end = read + m_unquoted.size();
    for (;;) {
        while (read < end && m_isBlank[std::uint8_t(*read)])
            ++read;
        if (read < end && *read == '"') {
            char *const begin = read;
            char *write = read;
            ++read;
            while (read < end) {
                const char c = *read++;
                if (c != '"') {
                    *write++ = c;
                } else if (read < end && *read == '"') {
                    *write++ = '"';
                    ++read;
                } else {
                    break;
                }
            }
            while (read < end && *read != m_delimiter)
                *write++ = *read++;
            add(trimBlanks({begin, std::size_t(write - begin)}));
        } else {
            char *cellEnd = read;
            while (cellEnd < end && *cellEnd != m_delimiter)
                ++cellEnd;
            add(trimBlanks({read, std::size_t(cellEnd - read)}));
            read = cellEnd;
        }
        if (read == end)
            break;
        ++read;
    }
}

void CellSplitter::add(std::string_view cell)
{
    ++m_count;
    if (!cell.empty())
        m_blank = false;
    if (m_cells.size() < m_limit)
        m_cells.push_back(cell);
}

} // namespace meterscope::ingest
