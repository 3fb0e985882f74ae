#include "ingest/csv_reader.h"

#include "ingest/cell_text.h"
#include "ingest/cells.h"
#include "ingest/framing.h"
#include "ingest/layout.h"
#include "ingest/sniff.h"
#include "ingest/time_cell.h"
#include "ingest/value_cell.h"

#include <algorithm>
#include <optional>
#include <stdexcept>

namespace meterscope::ingest {

namespace {

// Records rejected before the layout is known wait for it to learn how
// many readings they cost; this bounds how many may wait.
constexpr std::size_t kMaxEarlyRejections = 100;

} // namespace

// The stages: FileStart judges the first bytes, RecordScanner finds records,
// CellSplitter cuts them into cells; here the first records decide the
// header and the Layout, and every later record becomes readings.
class CsvReader::Impl : private RecordHandler {
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

    void endSniff();

    void record(std::string_view bytes, std::uint64_t line, bool hasQuote) override;
    void brokenRecord(std::uint64_t line, std::string_view reason) override;

    bool isHeader();
    void takeHeader();
    void setLayout(Layout layout);
    void readRecord();
    void rejectRecord(std::string_view reason);
    void rejectRecord(std::uint64_t line, std::string_view reason);
    void setCellCountReason(std::size_t expected);

    ReaderOptions m_options;
    ReaderSink &m_sink;
    TimeCellParser m_times;

    bool m_finished = false;
    std::optional<FileStart> m_start;
    std::optional<RecordScanner> m_scanner;
    std::optional<CellSplitter> m_cells;
    bool m_decimalComma = false;

    std::uint64_t m_recordLine = 0;
    bool m_sawRecord = false;
    std::optional<std::vector<std::string>> m_header;
    std::vector<EarlyRejection> m_early;

    std::optional<Layout> m_layout;
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
        throw ReaderError(message + "; use ',', ';' or a tab, or leave it empty to detect it");
    }
    m_start.emplace(m_options.maxLineLength);
}

void CsvReader::Impl::feed(std::string_view bytes)
{
    if (m_finished)
        throw std::logic_error("CsvReader::feed() called after finish()");
    m_stats.bytes += bytes.size();
    if (m_start) {
        bytes.remove_prefix(m_start->take(bytes));
        if (!m_start->complete())
            return;
        endSniff();
    }
    m_scanner->scan(bytes);
    m_stats.lines = m_scanner->lines();
}

void CsvReader::Impl::finish()
{
    if (m_finished)
        return;
    if (m_start)
        endSniff();
    m_finished = true;
    m_scanner->finish();
    m_stats.lines = m_scanner->lines();

    if (!m_layout) {
        if (m_header) {
            setLayout(layoutFromHeader(*m_header, m_options));
        } else if (!m_early.empty()) {
            throw ReaderError("no readable record in " + fileLabel(m_options.fileName) + " (line "
                              + std::to_string(m_early.front().line) + ": " + m_early.front().reason + ")");
        }
    }
}

void CsvReader::Impl::endSniff()
{
    const FileStart start = std::move(*m_start);
    m_start.reset();
    const char delimiter = m_options.delimiter != 0 ? m_options.delimiter : detectDelimiter(start.firstRecord());
    // Before the column count is known, one more cell than the most allowed is kept.
    m_cells.emplace(delimiter, kMaxColumns + 1);
    m_scanner.emplace(delimiter, m_options.maxLineLength, static_cast<RecordHandler &>(*this));
    std::string_view text = start.held();
    checkText(text.substr(0, kSniffBytes), fileLabel(m_options.fileName));
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    m_stats.delimiter = delimiter;
    m_decimalComma = delimiter == ';';
    m_scanner->scan(text);
    m_stats.lines = m_scanner->lines();
}

void CsvReader::Impl::record(std::string_view bytes, std::uint64_t line, bool hasQuote)
{
    m_recordLine = line;
    m_cells->split(bytes, hasQuote);
    if (m_cells->blank())
        return;
    if (isHeader()) {
        takeHeader();
        return;
    }
    m_sawRecord = true;
    ++m_stats.records;
    if (!m_layout) {
        if (m_header && m_cells->count() != m_header->size()) {
            setCellCountReason(m_header->size());
            rejectRecord(m_reason);
            return;
        }
        setLayout(
            layoutFromRecord(m_cells->cells(), m_cells->count(), m_header ? &*m_header : nullptr, m_times, m_options));
    }
    readRecord();
}

void CsvReader::Impl::brokenRecord(std::uint64_t line, std::string_view reason)
{
    ++m_stats.records;
    rejectRecord(line, reason);
}

// A date cell followed by a time cell is data even when the date alone does
// not match the time format.
bool CsvReader::Impl::isHeader()
{
    if (m_sawRecord || m_header)
        return false;
    const std::vector<std::string_view> &cells = m_cells->cells();
    timeutil::Micros utc = 0;
    if (m_times.parse(cells.front(), utc) != TimeStatus::NotATime)
        return false;
    return !(m_cells->count() >= 3 && m_times.isSplitTime(cells[0], cells[1]));
}

void CsvReader::Impl::takeHeader()
{
    const std::vector<std::string_view> &cells = m_cells->cells();
    if (m_cells->count() > kMaxColumns)
        throw ReaderError("the header of " + fileLabel(m_options.fileName) + " has more than "
                          + std::to_string(kMaxColumns) + " columns");
    if (m_cells->count() < 2) {
        std::string message = "the header of " + fileLabel(m_options.fileName) + " has only one column (";
        appendQuoted(message, cells.front());
        throw ReaderError(message + "); separate the time and the values with ',' ';' or a tab");
    }
    m_header.emplace(cells.begin(), cells.end());
    m_stats.header = true;
}

void CsvReader::Impl::setLayout(Layout layout)
{
    m_layout = std::move(layout);
    m_cells->setLimit(m_layout->cellCount + 1);
    m_sink.columns(m_layout->seriesNames);
    for (const EarlyRejection &early : m_early)
        rejectRecord(early.line, early.reason);
    m_early = {};
}

void CsvReader::Impl::readRecord()
{
    const Layout &layout = *m_layout;
    const std::vector<std::string_view> &cells = m_cells->cells();
    if (m_cells->count() != layout.cellCount) {
        setCellCountReason(layout.cellCount);
        rejectRecord(m_reason);
        return;
    }
    char joined[64];
    std::string_view timeText = cells[layout.timeColumns[0]];
    if (layout.timeColumns.size() == 2) {
        const std::string_view text = TimeCellParser::join(joined, timeText, cells[layout.timeColumns[1]]);
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
    const std::size_t valueColumns = layout.valueColumns.size();
    for (std::size_t column = 0; column < valueColumns; ++column) {
        const std::string_view cell = cells[layout.valueColumns[column]];
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
        if (valueColumns > 1) {
            m_reason += " in column ";
            appendQuoted(m_reason, layout.seriesNames[column]);
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
    if (!m_layout) {
        if (m_early.size() == kMaxEarlyRejections) {
            if (!m_header)
                throw ReaderError("no readable record among the first " + std::to_string(kMaxEarlyRejections)
                                  + " records of " + fileLabel(m_options.fileName) + " (line "
                                  + std::to_string(m_early.front().line) + ": " + m_early.front().reason + ")");
            setLayout(layoutFromHeader(*m_header, m_options));
        } else {
            m_early.push_back({line, std::string(reason)});
            return;
        }
    }
    const std::size_t valueColumns = m_layout->valueColumns.size();
    m_stats.readings += valueColumns;
    m_stats.rejected += valueColumns;
    m_sink.rejected(line, valueColumns, reason);
}

void CsvReader::Impl::setCellCountReason(std::size_t expected)
{
    m_reason = "expected " + std::to_string(expected) + " cells, found " + std::to_string(m_cells->count());
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

} // namespace meterscope::ingest
