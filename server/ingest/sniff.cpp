#include "ingest/sniff.h"

#include "ingest/cell_text.h"
#include "ingest/csv_reader.h"

#include <algorithm>
#include <cstdint>
#include <limits>

namespace meterscope::ingest {

namespace {

std::size_t saturatingAdd(std::size_t a, std::size_t b)
{
    return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

} // namespace

FileStart::FileStart(std::size_t maxLineLength)
    : m_limit(saturatingAdd(maxLineLength, kSniffBytes))
{
}

std::size_t FileStart::take(std::string_view bytes)
{
    std::size_t used = 0;
    while (used < bytes.size() && !m_complete) {
        const char c = bytes[used++];
        const std::size_t index = m_held.size();
        m_held += c;
        if (m_lineEnd == std::string::npos) {
            const auto byte = std::uint8_t(c);
            if (c == '"') {
                m_quoted = !m_quoted;
                m_lineBlank = false;
            } else if ((c == '\n' || c == '\r') && !m_quoted) {
                if (m_lineBlank)
                    m_lineBegin = index + 1;
                else
                    m_lineEnd = index;
            } else if (c != ' ' && c != '\t' && !(index < 3 && (byte == 0xEF || byte == 0xBB || byte == 0xBF))) {
                m_lineBlank = false;
            }
        }
        m_complete = m_held.size() >= kSniffBytes && (m_lineEnd != std::string::npos || m_held.size() > m_limit);
    }
    return used;
}

std::string_view FileStart::firstRecord() const
{
    const std::size_t end = std::min(m_lineEnd, m_held.size());
    return std::string_view(m_held).substr(m_lineBegin, end - m_lineBegin);
}

void checkText(std::string_view head, const std::string &fileLabel)
{
    const auto startsWith = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
    const std::string prefix = "not a CSV text file: " + fileLabel;
    if (startsWith("\xFF\xFE") || startsWith("\xFE\xFF"))
        throw ReaderError(prefix + " is UTF-16 text; save it as UTF-8");
    if (startsWith(std::string_view("PK\x03\x04", 4)))
        throw ReaderError(prefix + " is a ZIP archive (an Excel workbook?); export it as CSV");
    if (startsWith("\x1F\x8B"))
        throw ReaderError(prefix + " is gzip-compressed; decompress it first");
    if (head.find('\0') != std::string_view::npos)
        throw ReaderError(prefix + " contains NUL bytes (binary data)");
    std::size_t controls = 0;
    for (const char c : head) {
        const auto byte = std::uint8_t(c);
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || byte == 0x7F)
            ++controls;
    }
    if (controls * 10 > head.size())
        throw ReaderError(prefix + " contains many control characters (binary data)");
}

// On a tie the rarer character wins, since "55,09" in a ';' file makes ','
// as frequent as ';'. Blanks around the record are no delimiters.
char detectDelimiter(std::string_view firstRecord)
{
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (const char c : trimBlanks(firstRecord)) {
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == ',')
            ++commas;
        else if (c == ';')
            ++semicolons;
        else if (c == '\t')
            ++tabs;
    }
    if (tabs > 0 && tabs >= semicolons && tabs >= commas)
        return '\t';
    if (semicolons > 0 && semicolons >= commas)
        return ';';
    return ',';
}

} // namespace meterscope::ingest
