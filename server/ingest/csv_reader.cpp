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
#include <unordered_map>

namespace meterscope::ingest {

namespace {

// The first records are held until they decide the layout: this many, or
// this many bytes (a day of 15-minute readings of ten meters in long format).
constexpr std::size_t kSampleRecords = 1000;
constexpr std::size_t kSampleBytes = 1 << 20;
// Most series a series column may make.
constexpr std::size_t kMaxSeries = 100'000;

} // namespace

// The stages: FileStart judges the first bytes, RecordScanner finds records,
// CellSplitter cuts them into cells; the first records are sampled and
// decideLayout() chooses the header and the Layout from them; then every
// record becomes readings.
class CsvReader::Impl : private RecordHandler {
public:
    Impl(ReaderOptions options, ReaderSink &sink);

    void feed(std::string_view bytes);
    void finish();

    ReaderStats m_stats;

private:
    void endSniff();

    void record(std::string_view bytes, std::uint64_t line, bool hasQuote) override;
    void brokenRecord(std::uint64_t line, std::string_view reason) override;

    void sample(SampledRecord record);
    void decide();
    void setLayout(Layout layout);
    void readRecord();
    std::size_t seriesFor(std::string_view key);
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
    std::optional<ValueParser> m_values;
    char m_delimiter = 0;

    std::uint64_t m_recordLine = 0;
    // Records handed to ReaderSink::sampled().
    std::size_t m_sampled = 0;
    bool m_decided = false;
    std::vector<SampledRecord> m_sample;
    std::size_t m_sampleBytes = 0;

    std::optional<Layout> m_layout;
    // Long format: the first series of each key (one per value column).
    std::unordered_map<std::string, std::size_t> m_keys;
    std::string m_lastKey;
    std::size_t m_lastBase = 0;
    std::size_t m_seriesCount = 0;
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
    if (!m_decided)
        decide();
}

void CsvReader::Impl::endSniff()
{
    const FileStart start = std::move(*m_start);
    m_start.reset();
    m_delimiter = m_options.delimiter != 0 ? m_options.delimiter : detectDelimiter(start.firstRecord());
    // Before the column count is known, one more cell than the most allowed is kept.
    m_cells.emplace(m_delimiter, kMaxColumns + 1);
    m_scanner.emplace(m_delimiter, m_options.maxLineLength, static_cast<RecordHandler &>(*this));
    m_values.emplace(m_delimiter == ';', m_options.missingTokens);
    std::string_view text = start.held();
    checkText(text.substr(0, kSniffBytes), fileLabel(m_options.fileName));
    if (text.substr(0, 3) == "\xEF\xBB\xBF")
        text.remove_prefix(3);
    m_stats.delimiter = m_delimiter;
    m_scanner->scan(text);
    m_stats.lines = m_scanner->lines();
}

void CsvReader::Impl::record(std::string_view bytes, std::uint64_t line, bool hasQuote)
{
    m_recordLine = line;
    m_cells->split(bytes, hasQuote);
    if (m_cells->blank())
        return;
    if (m_sampled < m_options.sampleRecords) {
        ++m_sampled;
        m_sink.sampled(line, m_cells->cells());
    }
    if (!m_decided) {
        sample({line, std::string(bytes), hasQuote, {}});
        return;
    }
    ++m_stats.records;
    readRecord();
}

void CsvReader::Impl::brokenRecord(std::uint64_t line, std::string_view reason)
{
    if (!m_decided) {
        sample({line, {}, false, std::string(reason)});
        return;
    }
    ++m_stats.records;
    rejectRecord(line, reason);
}

void CsvReader::Impl::sample(SampledRecord record)
{
    m_sampleBytes += record.bytes.size() + record.broken.size();
    m_sample.push_back(std::move(record));
    if (m_sample.size() >= kSampleRecords || m_sampleBytes >= kSampleBytes)
        decide();
}

// Decides the layout, then reads the sampled records after the header as
// if they came now.
void CsvReader::Impl::decide()
{
    m_decided = true;
    std::vector<SampledRecord> sample = std::move(m_sample);
    m_sample = {};
    std::optional<Decision> decision = decideLayout(sample, m_delimiter, m_times, *m_values, m_options);
    if (!decision)
        return;
    m_stats.header = decision->layout.report.headerLine != 0;
    setLayout(std::move(decision->layout));
    const std::uint64_t skip = m_options.skipLines.value_or(0);
    for (std::size_t i = decision->firstData; i < sample.size(); ++i) {
        const SampledRecord &record = sample[i];
        if (record.line <= skip)
            continue;
        if (!record.broken.empty()) {
            brokenRecord(record.line, record.broken);
            continue;
        }
        m_recordLine = record.line;
        m_cells->split(record.bytes, record.hasQuote);
        ++m_stats.records;
        readRecord();
    }
}

void CsvReader::Impl::setLayout(Layout layout)
{
    m_layout = std::move(layout);
    m_cells->setLimit(m_layout->cellCount + 1);
    m_sink.layout(m_layout->report);
    if (!m_layout->keyColumn) {
        m_seriesCount = m_layout->valueNames.size();
        m_sink.columns(m_layout->valueNames);
    }
}

// The first series of the key's group, announcing the group when the key is new.
std::size_t CsvReader::Impl::seriesFor(std::string_view key)
{
    if (key == m_lastKey)
        return m_lastBase;
    std::string name = toUtf8(key);
    auto found = m_keys.find(name);
    if (found == m_keys.end()) {
        const std::vector<SeriesInfo> &values = m_layout->valueNames;
        if (m_seriesCount + values.size() > kMaxSeries)
            throw ReaderError("the series column of " + fileLabel(m_options.fileName) + " names more than "
                              + std::to_string(kMaxSeries) + " series");
        std::vector<SeriesInfo> added;
        for (const SeriesInfo &value : values)
            added.push_back({values.size() == 1 ? name : name + ":" + value.name, value.unit});
        found = m_keys.emplace(name, m_seriesCount).first;
        m_seriesCount += values.size();
        m_sink.columns(added);
    }
    m_lastKey.assign(key);
    m_lastBase = found->second;
    return m_lastBase;
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
    std::size_t base = 0;
    if (layout.keyColumn) {
        const std::string_view key = cells[*layout.keyColumn];
        if (key.empty()) {
            m_reason = "no series key in column ";
            appendQuoted(m_reason, layout.report.columns[*layout.keyColumn].header);
            rejectRecord(m_reason);
            return;
        }
        base = seriesFor(key);
    }
    const std::uint64_t line = m_recordLine;
    const std::size_t valueColumns = layout.valueColumns.size();
    for (std::size_t column = 0; column < valueColumns; ++column) {
        const std::string_view cell = cells[layout.valueColumns[column]];
        double value = 0;
        const ValueStatus status = m_values->parse(cell, value);
        ++m_stats.readings;
        if (status == ValueStatus::Number) {
            ++m_stats.accepted;
            m_sink.reading(base + column, time, value, line);
            continue;
        }
        m_reason.clear();
        appendValueReason(m_reason, status, cell);
        if (valueColumns > 1) {
            m_reason += " in column ";
            appendQuoted(m_reason, layout.valueNames[column].name);
        }
        if (status == ValueStatus::Missing) {
            ++m_stats.missing;
            m_sink.missing(base + column, line, m_reason);
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

void CsvReader::Impl::rejectRecord(std::uint64_t line, std::string_view reason)
{
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
