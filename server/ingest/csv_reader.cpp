#include "ingest/csv_reader.h"

#include "ingest/cell_text.h"
#include "ingest/time_cell.h"
#include "ingest/value_cell.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace meterscope::ingest {

namespace {

// How much of the file start is judged for binary content.
constexpr std::size_t kSniffBytes = 4096;
// Bounds the cells kept per record (each costs a string_view) before the
// column count is known; afterwards one more than expected is kept.
constexpr std::size_t kMaxColumns = 10'000;
// Records rejected before the layout is known wait for it to learn how
// many readings they cost; this bounds how many may wait.
constexpr std::size_t kMaxEarlyRejections = 100;
constexpr std::string_view kFallbackSeriesName = "series";

// Where the framing state machine is. Between: before the first byte of a
// record. Skip: a record that grew beyond maxLineLength, dropped up to the
// next line ending.
enum class Scan : std::uint8_t { Between, FieldStart, Unquoted, Quoted, QuoteInQuoted, Skip };

bool isLineEnd(char c)
{
    return c == '\n' || c == '\r';
}

bool equalsIgnoringCase(std::string_view text, std::string_view lowercase)
{
    if (text.size() != lowercase.size())
        return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i] >= 'A' && text[i] <= 'Z' ? char(text[i] - 'A' + 'a') : text[i];
        if (c != lowercase[i])
            return false;
    }
    return true;
}

std::size_t saturatingAdd(std::size_t a, std::size_t b)
{
    return a > std::numeric_limits<std::size_t>::max() - b ? std::numeric_limits<std::size_t>::max() : a + b;
}

// The most frequent of ',' ';' and tab outside quotes; on a tie the rarer
// character wins, since "55,09" in a ';' file makes ',' as frequent as ';'.
// Blanks around the record are no delimiters.
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

} // namespace

class CsvReader::Impl {
public:
    Impl(ReaderOptions options, ReaderSink &sink);

    void feed(std::string_view bytes);
    void finish();

    ReaderStats m_stats;

private:
    struct EarlyRejection {
        std::uint64_t line;
        std::string reason;
    };

    // Start of the file: binary check and delimiter detection.
    std::size_t takeSniffBytes(std::string_view bytes);
    void endSniff();
    void checkText(std::string_view head) const;

    // Framing: finds records in the byte stream, counting physical lines.
    void scan(const char *p, const char *end);
    void beginRecord();
    bool tooLong(const char *recordBegin, const char *p) const;
    void skipTooLong();
    void keepPartialRecord(const char *recordBegin, const char *end);
    void endRecord(const char *recordBegin, const char *end);
    void lineEnded(char c);

    // Records: cells, header, layout, readings.
    void onRecord(std::string_view bytes);
    void split(std::string_view bytes);
    void splitQuoted();
    void addCell(std::string_view cell);
    bool isHeader();
    void takeHeader();
    void chooseLayout();
    void chooseLayoutFromHeader();
    void setLayout(std::size_t timeColumns, std::size_t cellCount);
    std::vector<std::string> seriesNames(std::size_t timeColumns, std::size_t cellCount) const;
    void readRecord();
    void rejectRecord(std::string_view reason);
    void rejectRecord(std::uint64_t line, std::string_view reason);
    void setCellCountReason(std::size_t expected);

    [[noreturn]] void fail(const std::string &what) const;
    std::string fileLabel() const;

    ReaderOptions m_options;
    ReaderSink &m_sink;
    TimeCellParser m_times;

    bool m_finished = false;

    bool m_sniffing = true;
    std::string m_sniff;
    std::size_t m_sniffLineBegin = 0;
    std::size_t m_sniffLineEnd = std::string::npos;
    bool m_sniffQuoted = false;
    bool m_sniffLineBlank = true;

    char m_delimiter = ',';
    bool m_decimalComma = false;
    std::array<bool, 256> m_unquotedSpecial{};
    std::array<bool, 256> m_quotedSpecial{};
    std::array<bool, 256> m_blank{};

    Scan m_scan = Scan::Between;
    bool m_prevCR = false;
    char m_lastByte = '\n';
    std::uint64_t m_recordLine = 0;
    std::uint64_t m_quoteLine = 0;
    bool m_recordHasQuote = false;
    bool m_recordHasNul = false;
    // Bytes of the current record in earlier chunks; m_pending holds them
    // while they fit in maxLineLength.
    std::size_t m_recordLength = 0;
    std::string m_pending;

    std::vector<std::string_view> m_cells;
    std::size_t m_cellTotal = 0;
    std::size_t m_cellLimit = kMaxColumns + 1;
    bool m_cellsBlank = true;

    bool m_sawRecord = false;
    std::optional<std::vector<std::string>> m_header;
    std::vector<EarlyRejection> m_early;

    bool m_layoutKnown = false;
    std::size_t m_timeColumns = 1;
    std::size_t m_cellCount = 0;
    std::size_t m_valueColumns = 0;
    std::vector<std::string> m_names;
    std::string m_reason;
};

CsvReader::Impl::Impl(ReaderOptions options, ReaderSink &sink)
    : m_options(std::move(options))
    , m_sink(sink)
    , m_times(m_options)
{
    const char d = m_options.delimiter;
    if (d != 0 && d != ',' && d != ';' && d != '\t') {
        std::string message = "unsupported delimiter ";
        appendQuoted(message, std::string_view(&d, 1));
        fail(message + "; use ',', ';' or a tab, or leave it empty to detect it");
    }
}

void CsvReader::Impl::feed(std::string_view bytes)
{
    if (m_finished)
        throw std::logic_error("CsvReader::feed() called after finish()");
    m_stats.bytes += bytes.size();
    if (m_sniffing) {
        bytes.remove_prefix(takeSniffBytes(bytes));
        if (m_sniffing)
            return;
    }
    scan(bytes.data(), bytes.data() + bytes.size());
}

void CsvReader::Impl::finish()
{
    if (m_finished)
        return;
    if (m_sniffing)
        endSniff();
    m_finished = true;

    switch (m_scan) {
    case Scan::Between:
    case Scan::Skip:
        break;
    case Scan::Quoted:
        ++m_stats.records;
        m_reason = "the quote opened on line " + std::to_string(m_quoteLine) + " is never closed";
        rejectRecord(m_reason);
        break;
    case Scan::FieldStart:
    case Scan::Unquoted:
    case Scan::QuoteInQuoted:
        if (m_recordLength > m_options.maxLineLength)
            skipTooLong();
        else
            endRecord(m_pending.data(), m_pending.data());
        break;
    }
    m_scan = Scan::Between;
    if (!isLineEnd(m_lastByte))
        ++m_stats.lines;

    if (!m_layoutKnown) {
        if (m_header) {
            chooseLayoutFromHeader();
        } else if (!m_early.empty()) {
            fail("no readable record in " + fileLabel() + " (line " + std::to_string(m_early.front().line) + ": "
                 + m_early.front().reason + ")");
        }
    }
}

// The first bytes decide the delimiter and whether this is text at all. They
// are kept until the first non-blank record and kSniffBytes are in, so the
// decision does not depend on how the file is cut into chunks.
std::size_t CsvReader::Impl::takeSniffBytes(std::string_view bytes)
{
    const std::size_t limit = saturatingAdd(m_options.maxLineLength, kSniffBytes);
    std::size_t used = 0;
    while (used < bytes.size()) {
        const char c = bytes[used++];
        const std::size_t index = m_sniff.size();
        m_sniff += c;
        if (m_sniffLineEnd == std::string::npos) {
            const auto byte = std::uint8_t(c);
            if (c == '"') {
                m_sniffQuoted = !m_sniffQuoted;
                m_sniffLineBlank = false;
            } else if (isLineEnd(c) && !m_sniffQuoted) {
                if (m_sniffLineBlank)
                    m_sniffLineBegin = index + 1;
                else
                    m_sniffLineEnd = index;
            } else if (c != ' ' && c != '\t' && !(index < 3 && (byte == 0xEF || byte == 0xBB || byte == 0xBF))) {
                m_sniffLineBlank = false;
            }
        }
        const bool enough
            = m_sniff.size() >= kSniffBytes && (m_sniffLineEnd != std::string::npos || m_sniff.size() > limit);
        if (enough) {
            endSniff();
            break;
        }
    }
    return used;
}

void CsvReader::Impl::endSniff()
{
    m_sniffing = false;
    const std::string buffer = std::move(m_sniff);
    m_sniff = std::string();
    std::string_view text = buffer;
    checkText(text.substr(0, kSniffBytes));
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);

    if (m_options.delimiter != 0) {
        m_delimiter = m_options.delimiter;
    } else {
        const std::size_t end = std::min(m_sniffLineEnd, buffer.size());
        m_delimiter = detectDelimiter(std::string_view(buffer).substr(m_sniffLineBegin, end - m_sniffLineBegin));
    }
    m_stats.delimiter = m_delimiter;
    m_decimalComma = m_delimiter == ';';
    for (const char c : {m_delimiter, '\n', '\r', '\0'})
        m_unquotedSpecial[std::uint8_t(c)] = true;
    for (const char c : {'"', '\n', '\r', '\0'})
        m_quotedSpecial[std::uint8_t(c)] = true;
    m_blank[std::uint8_t(' ')] = true;
    m_blank[std::uint8_t('\t')] = m_delimiter != '\t';

    scan(text.data(), text.data() + text.size());
}

void CsvReader::Impl::checkText(std::string_view head) const
{
    const auto startsWith = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
    const std::string prefix = "not a CSV text file: " + fileLabel();
    if (startsWith("\xFF\xFE") || startsWith("\xFE\xFF"))
        fail(prefix + " is UTF-16 text; save it as UTF-8");
    if (startsWith(std::string_view("PK\x03\x04", 4)))
        fail(prefix + " is a ZIP archive (an Excel workbook?); export it as CSV");
    if (startsWith("\x1F\x8B"))
        fail(prefix + " is gzip-compressed; decompress it first");
    if (head.find('\0') != std::string_view::npos)
        fail(prefix + " contains NUL bytes (binary data)");
    std::size_t controls = 0;
    for (const char c : head) {
        const auto byte = std::uint8_t(c);
        if ((byte < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || byte == 0x7F)
            ++controls;
    }
    if (controls * 10 > head.size())
        fail(prefix + " contains many control characters (binary data)");
}

// The byte-level state machine that finds records. It keeps its whole state
// between calls, so a record, a quoted field or a CRLF may be cut anywhere by
// the chunking. The length limit is checked only at special characters,
// never at chunk ends, for the same reason; bytes past the limit are not
// kept, which bounds memory.
void CsvReader::Impl::scan(const char *p, const char *const end)
{
    if (p == end)
        return;
    m_lastByte = end[-1];
    const char *record = p;
    while (p < end) {
        switch (m_scan) {
        case Scan::Between:
            if (*p == '\n' && m_prevCR) {
                m_prevCR = false;
                ++p;
                break;
            }
            m_prevCR = false;
            beginRecord();
            record = p;
            m_scan = Scan::FieldStart;
            break;
        case Scan::FieldStart:
            if (m_blank[std::uint8_t(*p)]) {
                ++p;
            } else if (*p == '"') {
                if (tooLong(record, p)) {
                    skipTooLong();
                    break;
                }
                m_recordHasQuote = true;
                m_quoteLine = m_stats.lines + 1;
                m_scan = Scan::Quoted;
                ++p;
            } else {
                m_scan = Scan::Unquoted;
            }
            break;
        case Scan::Unquoted: {
            while (p < end && !m_unquotedSpecial[std::uint8_t(*p)])
                ++p;
            if (p == end)
                break;
            if (tooLong(record, p)) {
                skipTooLong();
                break;
            }
            const char c = *p;
            if (c == m_delimiter) {
                m_scan = Scan::FieldStart;
            } else if (c == '\0') {
                m_recordHasNul = true;
            } else {
                endRecord(record, p);
                lineEnded(c);
                m_scan = Scan::Between;
            }
            ++p;
            break;
        }
        case Scan::Quoted: {
            const char *run = p;
            while (p < end && !m_quotedSpecial[std::uint8_t(*p)])
                ++p;
            if (p != run)
                m_prevCR = false;
            if (p == end)
                break;
            if (tooLong(record, p)) {
                skipTooLong();
                break;
            }
            const char c = *p++;
            if (c == '"') {
                m_prevCR = false;
                m_scan = Scan::QuoteInQuoted;
            } else if (c == '\0') {
                m_prevCR = false;
                m_recordHasNul = true;
            } else if (c == '\r' || !m_prevCR) {
                lineEnded(c);
            } else {
                m_prevCR = false;
            }
            break;
        }
        case Scan::QuoteInQuoted:
            if (*p == '"') {
                m_scan = Scan::Quoted;
                ++p;
            } else {
                m_scan = Scan::Unquoted;
            }
            break;
        case Scan::Skip: {
            const char *run = p;
            while (p < end && !isLineEnd(*p))
                ++p;
            if (p != run)
                m_prevCR = false;
            if (p == end)
                break;
            if (*p == '\n' && m_prevCR) {
                m_prevCR = false;
            } else {
                lineEnded(*p);
                m_scan = Scan::Between;
            }
            ++p;
            break;
        }
        }
    }
    if (m_scan != Scan::Between && m_scan != Scan::Skip)
        keepPartialRecord(record, end);
}

void CsvReader::Impl::beginRecord()
{
    m_recordLine = m_stats.lines + 1;
    m_recordHasQuote = false;
    m_recordHasNul = false;
    m_recordLength = 0;
    m_pending.clear();
}

bool CsvReader::Impl::tooLong(const char *recordBegin, const char *p) const
{
    return m_recordLength + std::size_t(p - recordBegin) > m_options.maxLineLength;
}

void CsvReader::Impl::skipTooLong()
{
    std::string reason = "record longer than " + std::to_string(m_options.maxLineLength) + " bytes";
    if (m_scan == Scan::Quoted)
        reason += " (inside the quote opened on line " + std::to_string(m_quoteLine) + ")";
    m_scan = Scan::Skip;
    m_pending.clear();
    m_recordLength = 0;
    ++m_stats.records;
    rejectRecord(reason);
}

void CsvReader::Impl::keepPartialRecord(const char *recordBegin, const char *end)
{
    const auto length = std::size_t(end - recordBegin);
    m_recordLength += length;
    if (m_recordLength <= m_options.maxLineLength)
        m_pending.append(recordBegin, length);
}

void CsvReader::Impl::endRecord(const char *recordBegin, const char *end)
{
    std::string_view bytes(recordBegin, std::size_t(end - recordBegin));
    if (m_recordLength > 0) {
        m_pending.append(bytes);
        bytes = m_pending;
    }
    onRecord(bytes);
    m_pending.clear();
    m_recordLength = 0;
}

void CsvReader::Impl::lineEnded(char c)
{
    ++m_stats.lines;
    m_prevCR = c == '\r';
}

void CsvReader::Impl::onRecord(std::string_view bytes)
{
    if (m_recordHasNul) {
        ++m_stats.records;
        rejectRecord("record contains a NUL byte (binary data)");
        return;
    }
    split(bytes);
    if (m_cellsBlank)
        return;
    if (isHeader()) {
        takeHeader();
        return;
    }
    m_sawRecord = true;
    ++m_stats.records;
    if (!m_layoutKnown) {
        if (m_header && m_cellTotal != m_header->size()) {
            setCellCountReason(m_header->size());
            rejectRecord(m_reason);
            return;
        }
        chooseLayout();
    }
    readRecord();
}

void CsvReader::Impl::split(std::string_view bytes)
{
    m_cells.clear();
    m_cellTotal = 0;
    m_cellsBlank = !m_recordHasQuote;
    if (m_recordHasQuote) {
        // Unescaping happens in place, in m_pending, which then holds the record.
        if (bytes.data() != m_pending.data())
            m_pending.assign(bytes);
        splitQuoted();
        return;
    }
    const char *p = bytes.data();
    const char *const end = p + bytes.size();
    for (;;) {
        const auto *delimiter = static_cast<const char *>(std::memchr(p, m_delimiter, std::size_t(end - p)));
        const char *cellEnd = delimiter ? delimiter : end;
        addCell(trimBlanks({p, std::size_t(cellEnd - p)}));
        if (!delimiter)
            break;
        p = delimiter + 1;
    }
}

// Same reading of quotes as scan(): a quote opens a quoted cell only at the
// start of a cell (after blanks); text after the closing quote is kept.
// Unquoted content is never longer than the raw bytes, so writing it over
// them, behind the read position, is safe.
void CsvReader::Impl::splitQuoted()
{
    char *read = m_pending.data();
    char *const end = read + m_pending.size();
    for (;;) {
        while (read < end && m_blank[std::uint8_t(*read)])
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
            addCell(trimBlanks({begin, std::size_t(write - begin)}));
        } else {
            char *cellEnd = read;
            while (cellEnd < end && *cellEnd != m_delimiter)
                ++cellEnd;
            addCell(trimBlanks({read, std::size_t(cellEnd - read)}));
            read = cellEnd;
        }
        if (read == end)
            break;
        ++read;
    }
}

void CsvReader::Impl::addCell(std::string_view cell)
{
    ++m_cellTotal;
    if (!cell.empty())
        m_cellsBlank = false;
    if (m_cells.size() < m_cellLimit)
        m_cells.push_back(cell);
}

// A date cell followed by a time cell is data even when the date alone does
// not match the time format.
bool CsvReader::Impl::isHeader()
{
    if (m_sawRecord || m_header)
        return false;
    timeutil::Micros utc = 0;
    if (m_times.parse(m_cells.front(), utc) != TimeStatus::NotATime)
        return false;
    return !(m_cellTotal >= 3 && m_times.isSplitTime(m_cells[0], m_cells[1]));
}

void CsvReader::Impl::takeHeader()
{
    if (m_cellTotal > kMaxColumns)
        fail("the header of " + fileLabel() + " has more than " + std::to_string(kMaxColumns) + " columns");
    if (m_cellTotal < 2) {
        std::string message = "the header of " + fileLabel() + " has only one column (";
        appendQuoted(message, m_cells.front());
        fail(message + "); separate the time and the values with ',' ';' or a tab");
    }
    m_header.emplace(m_cells.begin(), m_cells.end());
    m_stats.header = true;
}

void CsvReader::Impl::chooseLayout()
{
    if (m_cellTotal > kMaxColumns)
        fail("the first record of " + fileLabel() + " has more than " + std::to_string(kMaxColumns) + " cells");
    if (m_cellTotal < 2) {
        std::string message = "the first record of " + fileLabel() + " has only one cell (";
        appendQuoted(message, m_cells.front());
        fail(message + "); separate the time and the values with ',' ';' or a tab");
    }
    const bool split = m_cellTotal >= 3 && m_times.isSplitTime(m_cells[0], m_cells[1]);
    setLayout(split ? 2 : 1, m_cellTotal);
}

// Without a data record to look at (a header-only file, or only broken
// records), the header alone decides; "date,time,..." still means two
// time columns.
void CsvReader::Impl::chooseLayoutFromHeader()
{
    const std::vector<std::string> &header = *m_header;
    const bool split
        = header.size() >= 3 && equalsIgnoringCase(header[0], "date") && equalsIgnoringCase(header[1], "time");
    setLayout(split ? 2 : 1, header.size());
}

void CsvReader::Impl::setLayout(std::size_t timeColumns, std::size_t cellCount)
{
    m_names = seriesNames(timeColumns, cellCount);
    m_timeColumns = timeColumns;
    m_cellCount = cellCount;
    m_valueColumns = cellCount - timeColumns;
    m_cellLimit = cellCount + 1;
    m_layoutKnown = true;
    m_sink.columns(m_names);
    for (const EarlyRejection &early : m_early)
        rejectRecord(early.line, early.reason);
    m_early = {};
}

std::vector<std::string> CsvReader::Impl::seriesNames(std::size_t timeColumns, std::size_t cellCount) const
{
    const std::size_t valueColumns = cellCount - timeColumns;
    std::vector<std::string> names;
    names.reserve(valueColumns);
    if (!m_options.seriesName.empty()) {
        if (valueColumns > 1) {
            std::string message = "a series name (";
            appendQuoted(message, m_options.seriesName);
            fail(message + ") names a single series, but " + fileLabel() + " has " + std::to_string(valueColumns)
                 + " value columns; leave it empty to name each series" + " after its column");
        }
        names.push_back(toUtf8(m_options.seriesName));
        return names;
    }
    if (m_header) {
        for (std::size_t k = 1; k <= valueColumns; ++k) {
            std::string name = toUtf8((*m_header)[timeColumns + k - 1]);
            names.push_back(name.empty() ? "column_" + std::to_string(k) : std::move(name));
        }
    } else {
        std::string base = seriesNameFromFile(m_options.fileName);
        if (base.empty())
            base = kFallbackSeriesName;
        if (valueColumns == 1)
            names.push_back(base);
        for (std::size_t k = 1; valueColumns > 1 && k <= valueColumns; ++k)
            names.push_back(base + "_" + std::to_string(k));
    }
    std::unordered_map<std::string_view, std::size_t> seen;
    for (std::size_t k = 0; k < names.size(); ++k) {
        const auto [it, inserted] = seen.emplace(names[k], k);
        if (inserted)
            continue;
        std::string message = "duplicate column name ";
        appendQuoted(message, names[k]);
        fail(message + " in the header of " + fileLabel() + " (value columns " + std::to_string(it->second + 1)
             + " and " + std::to_string(k + 1) + "); each series needs its own name");
    }
    return names;
}

void CsvReader::Impl::readRecord()
{
    if (m_cellTotal != m_cellCount) {
        setCellCountReason(m_cellCount);
        rejectRecord(m_reason);
        return;
    }
    char joined[64];
    std::string_view timeText = m_cells[0];
    if (m_timeColumns == 2) {
        const std::string_view text = TimeCellParser::join(joined, m_cells[0], m_cells[1]);
        if (!text.empty())
            timeText = text;
    }
    timeutil::Micros time = 0;
    if (const TimeStatus status = m_times.parse(timeText, time); status != TimeStatus::Ok) {
        m_reason.clear();
        m_times.appendReason(m_reason, status, timeText);
        rejectRecord(m_reason);
        return;
    }
    const std::uint64_t line = m_recordLine;
    for (std::size_t column = 0; column < m_valueColumns; ++column) {
        const std::string_view cell = m_cells[m_timeColumns + column];
        double value = 0;
        const ValueStatus status = parseValue(cell, m_decimalComma, value);
        ++m_stats.readings;
        if (status == ValueStatus::Number) {
            ++m_stats.accepted;
            m_sink.reading(column, time, value, line);
            continue;
        }
        m_reason.clear();
        appendValueReason(m_reason, status, cell);
        if (m_valueColumns > 1) {
            m_reason += " in column ";
            appendQuoted(m_reason, m_names[column]);
        }
        if (status == ValueStatus::Missing) {
            ++m_stats.missing;
            m_sink.missing(column, line, m_reason);
        } else {
            ++m_stats.rejected;
            m_sink.rejected(line, 1, m_reason);
        }
    }
}

void CsvReader::Impl::rejectRecord(std::string_view reason)
{
    rejectRecord(m_recordLine, reason);
}

// Before the layout is known nobody knows what a record costs, and the sink
// must hear the columns first: such rejections wait (a few) for the layout.
void CsvReader::Impl::rejectRecord(std::uint64_t line, std::string_view reason)
{
    if (!m_layoutKnown) {
        if (m_early.size() == kMaxEarlyRejections) {
            if (!m_header)
                fail("no readable record among the first " + std::to_string(kMaxEarlyRejections) + " records of "
                     + fileLabel() + " (line " + std::to_string(m_early.front().line) + ": " + m_early.front().reason
                     + ")");
            chooseLayoutFromHeader();
        } else {
            m_early.push_back({line, std::string(reason)});
            return;
        }
    }
    m_stats.readings += m_valueColumns;
    m_stats.rejected += m_valueColumns;
    m_sink.rejected(line, m_valueColumns, reason);
}

void CsvReader::Impl::setCellCountReason(std::size_t expected)
{
    m_reason = "expected " + std::to_string(expected) + " cells, found " + std::to_string(m_cellTotal);
}

void CsvReader::Impl::fail(const std::string &what) const
{
    throw ReaderError(what);
}

std::string CsvReader::Impl::fileLabel() const
{
    if (m_options.fileName.empty())
        return "the input";
    std::string label;
    appendQuoted(label, m_options.fileName);
    return label;
}

CsvReader::CsvReader(ReaderOptions options, ReaderSink &sink)
    : d(std::make_unique<Impl>(std::move(options), sink))
{
}

CsvReader::~CsvReader() = default;

void CsvReader::feed(std::string_view bytes)
{
    d->feed(bytes);
}

void CsvReader::finish()
{
    d->finish();
}

const ReaderStats &CsvReader::stats() const
{
    return d->m_stats;
}

bool readStream(std::istream &in, CsvReader &reader, const std::function<bool(const ReaderStats &)> &progress,
                std::size_t chunkSize)
{
    std::vector<char> buffer(std::max<std::size_t>(chunkSize, 1));
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        const std::streamsize count = in.gcount();
        if (in.bad())
            throw ReaderError("reading the CSV input failed after " + std::to_string(reader.stats().bytes)
                              + " bytes (I/O error)");
        if (count == 0)
            break;
        reader.feed({buffer.data(), std::size_t(count)});
        if (progress && !progress(reader.stats()))
            return false;
    }
    reader.finish();
    return true;
}

std::string seriesNameFromFile(std::string_view fileName)
{
    if (const std::size_t slash = fileName.find_last_of("/\\"); slash != std::string_view::npos)
        fileName.remove_prefix(slash + 1);
    if (const std::size_t dot = fileName.rfind('.'); dot != std::string_view::npos && dot > 0)
        fileName = fileName.substr(0, dot);
    return toUtf8(fileName);
}

} // namespace meterscope::ingest
