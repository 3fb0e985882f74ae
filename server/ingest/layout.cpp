#include "ingest/layout.h"

#include "ingest/cell_text.h"
#include "ingest/cells.h"
#include "ingest/column_names.h"
#include "ingest/date_order.h"
#include "ingest/time_cell.h"
#include "ingest/value_cell.h"
#include "time/instant.h"

#include <algorithm>
#include <unordered_set>

namespace meterscope::ingest {

namespace {

struct Row {
    std::uint64_t line = 0;
    std::size_t sampleIndex = 0;
    std::vector<std::string> cells;
    std::size_t count = 0;
};

// What the first data records hold in one column.
struct ColumnStats {
    std::size_t numbers = 0;
    std::size_t missing = 0;
    std::size_t text = 0; // neither a number nor missing
    std::size_t times = 0;
    std::size_t splitTimes = 0; // a date here and a time of day in the next column
    std::size_t timesOfDay = 0;
    std::size_t otherDates = 0; // day/month dates where the times are ISO 8601
    bool repeats = false;       // a text cell seen twice
    std::unordered_set<std::string> distinct;

    // At least half of the cells that are not missing.
    bool mostly(std::size_t n) const { return n > 0 && 2 * n >= numbers + text; }
    bool isText() const { return text > 0 && numbers == 0; }
};

constexpr std::size_t kMaxDistinct = 1000;

class Detector {
public:
    Detector(char delimiter, TimeCellParser &times, const ValueParser &values, const ReaderOptions &options)
        : m_delimiter(delimiter)
        , m_times(times)
        , m_values(values)
        , m_options(options)
    {
    }

    std::optional<Decision> decide(const std::vector<SampledRecord> &sample);

private:
    void split(const std::vector<SampledRecord> &sample);
    void detectDateOrder();
    // 0: no time at `column`; 1: a time; 2: a date and a time of day in the next column.
    int timeAt(const Row &row, std::size_t column);
    bool dataLike(const Row &row);
    std::optional<std::size_t> findHeader(std::optional<std::size_t> firstData);
    std::optional<std::size_t> firstDataLike();
    std::vector<ColumnStats> columnStats(std::size_t from);
    void chooseRoles(const std::vector<ColumnStats> &stats);
    void describe(std::uint64_t firstReadLine);
    std::string columnLabel(std::size_t column) const;

    const char m_delimiter;
    TimeCellParser &m_times;
    const ValueParser &m_values;
    const ReaderOptions &m_options;

    std::vector<Row> m_rows;
    const SampledRecord *m_firstBroken = nullptr;
    const std::vector<std::string> *m_header = nullptr;
    std::size_t m_dataRows = 0;
    std::vector<std::size_t> m_intervalEnds;
    std::vector<std::size_t> m_textColumns;
    Layout m_layout;
};

std::optional<Decision> Detector::decide(const std::vector<SampledRecord> &sample)
{
    split(sample);
    if (m_rows.empty()) {
        if (m_firstBroken)
            throw ReaderError("no readable record in " + fileLabel(m_options.fileName) + " (line "
                              + std::to_string(m_firstBroken->line) + ": " + m_firstBroken->broken + ")");
        return std::nullopt;
    }
    if (m_options.timeFormat.empty())
        detectDateOrder();
    const std::optional<std::size_t> data = firstDataLike();
    const std::optional<std::size_t> header = findHeader(data);
    // Without a header, records before the first data record that cannot
    // be data (fewer cells than it) are a preamble.
    std::size_t from = header ? *header + 1 : 0;
    if (!header && data) {
        while (from < *data && m_rows[from].count < m_rows[*data].count && !dataLike(m_rows[from]))
            ++from;
    }
    if (header)
        m_header = &m_rows[*header].cells;
    const Row &shape = header ? m_rows[*header] : m_rows[std::min(from, m_rows.size() - 1)];
    const std::string what = header ? "the header of " : "the first record of ";
    if (shape.count > kMaxColumns)
        throw ReaderError(what + fileLabel(m_options.fileName) + " has more than " + std::to_string(kMaxColumns)
                          + (header ? " columns" : " cells"));
    if (shape.count < 2) {
        std::string message
            = what + fileLabel(m_options.fileName) + " has only one " + (header ? "column (" : "cell (");
        appendQuoted(message, shape.cells.front());
        throw ReaderError(message + "); separate the time and the values with ',' ';' or a tab");
    }
    m_layout.cellCount = shape.count;
    chooseRoles(columnStats(from));
    describe(header ? m_rows[*header].line : m_rows[std::min(from, m_rows.size() - 1)].line);

    Decision decision;
    decision.layout = std::move(m_layout);
    decision.firstData = from > 0 ? m_rows[from - 1].sampleIndex + 1 : 0;
    return decision;
}

void Detector::split(const std::vector<SampledRecord> &sample)
{
    CellSplitter splitter(m_delimiter, kMaxColumns + 1);
    const std::uint64_t skip = m_options.skipLines.value_or(0);
    for (std::size_t i = 0; i < sample.size(); ++i) {
        const SampledRecord &record = sample[i];
        if (record.line <= skip)
            continue;
        if (!record.broken.empty()) {
            if (!m_firstBroken)
                m_firstBroken = &record;
            continue;
        }
        splitter.split(record.bytes, record.hasQuote);
        Row row;
        row.line = record.line;
        row.sampleIndex = i;
        row.count = splitter.count();
        row.cells.assign(splitter.cells().begin(), splitter.cells().end());
        m_rows.push_back(std::move(row));
    }
}

// Only for files without ISO times: a date column beside an ISO time
// column (a billing date) must not change how the times are read.
void Detector::detectDateOrder()
{
    DateOrderGuess guess;
    for (const Row &row : m_rows) {
        for (std::size_t c = 0; c < row.cells.size(); ++c) {
            if (timeAt(row, c) != 0)
                return;
            guess.add(row.cells[c], c + 1 < row.cells.size() ? std::string_view(row.cells[c + 1]) : "");
        }
    }
    if (!guess.found())
        return;
    m_layout.detectedFormat = guess.format();
    m_times.setFormat(m_layout.detectedFormat);
    m_layout.report.dateOrder = guess.dayFirst() ? "day-month-year" : "month-day-year";
    m_layout.report.dateOrderAmbiguous = guess.ambiguous();
    if (guess.ambiguous()) {
        std::string note = "dates such as ";
        appendQuoted(note, guess.example());
        m_layout.report.notes.push_back(
            note + " may be day-first or month-first (no day over 12 among the first " + std::to_string(m_rows.size())
            + " records): read day-first; give --time-format '" + guess.otherFormat() + "' to read them month-first");
    }
}

int Detector::timeAt(const Row &row, std::size_t column)
{
    const std::string &cell = row.cells[column];
    double value = 0;
    if (const ValueStatus status = m_values.parse(cell, value);
        status == ValueStatus::Number || status == ValueStatus::Missing)
        return 0;
    if (column + 1 < row.cells.size() && m_times.isSplitTime(cell, row.cells[column + 1]))
        return 2;
    timeutil::Micros utc = 0;
    return m_times.parse(cell, utc) != TimeStatus::NotATime ? 1 : 0;
}

// A record with a time in some cell, or (epoch numbers) in the first.
bool Detector::dataLike(const Row &row)
{
    if (row.count < 2)
        return false;
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (timeAt(row, c) != 0)
            return true;
    }
    timeutil::Micros utc = 0;
    return m_times.parse(row.cells.front(), utc) != TimeStatus::NotATime;
}

// The first data-like record that the next one confirms (same cell count),
// else the last one.
std::optional<std::size_t> Detector::firstDataLike()
{
    std::optional<std::size_t> previous;
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        if (!dataLike(m_rows[i]))
            continue;
        if (previous && m_rows[*previous].count == m_rows[i].count)
            return previous;
        previous = i;
    }
    return previous;
}

// The header is the nearest record before the data with its cell count that
// is no data itself; else a first record that is no data (and has cells
// enough); with column names given, the first record holding them all.
std::optional<std::size_t> Detector::findHeader(std::optional<std::size_t> data)
{
    std::vector<std::string> names;
    const auto addName = [&](const std::string &reference) {
        const std::string_view ref = trimBlanks(reference);
        if (!ref.empty() && !std::all_of(ref.begin(), ref.end(), isDigit))
            names.emplace_back(ref);
    };
    for (const std::string &reference : m_options.timeColumns)
        addName(reference);
    for (const std::string &reference : m_options.valueColumns)
        addName(reference);
    addName(m_options.seriesColumn);
    if (!names.empty()) {
        for (std::size_t i = 0; i < m_rows.size(); ++i) {
            const std::vector<std::string> *cells = &m_rows[i].cells;
            const bool all = std::all_of(names.begin(), names.end(), [&](const std::string &name) {
                try {
                    findColumn(name, cells, cells->size(), "", m_options);
                    return true;
                } catch (const ReaderError &) {
                    return false;
                }
            });
            if (all)
                return i;
        }
    }
    if (!data) {
        timeutil::Micros utc = 0;
        if (m_times.parse(m_rows.front().cells.front(), utc) != TimeStatus::NotATime)
            return std::nullopt;
        return 0;
    }
    for (std::size_t i = *data; i-- > 0;) {
        if (m_rows[i].count == m_rows[*data].count && !dataLike(m_rows[i]))
            return i;
    }
    if (*data > 0 && m_rows.front().count >= 2 && !dataLike(m_rows.front()))
        return 0;
    return std::nullopt;
}

std::vector<ColumnStats> Detector::columnStats(std::size_t from)
{
    std::vector<ColumnStats> stats(m_layout.cellCount);
    for (std::size_t i = from; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        if (row.count != m_layout.cellCount)
            continue;
        ++m_dataRows;
        for (std::size_t c = 0; c < row.count; ++c) {
            ColumnStats &s = stats[c];
            const std::string &cell = row.cells[c];
            double value = 0;
            const ValueStatus status = m_values.parse(cell, value);
            if (status == ValueStatus::Number) {
                ++s.numbers;
                continue;
            }
            if (status == ValueStatus::Missing) {
                ++s.missing;
                continue;
            }
            ++s.text;
            if (const int time = timeAt(row, c); time != 0) {
                ++s.times;
                s.splitTimes += time == 2 ? 1 : 0;
            }
            timeutil::Micros sinceMidnight = 0;
            if (timeutil::parseTimeOfDay(cell, sinceMidnight) == timeutil::TimeError::None)
                ++s.timesOfDay;
            DateOrderGuess date;
            date.add(cell, {});
            s.otherDates += date.found() ? 1 : 0;
            if (s.distinct.size() < kMaxDistinct && !s.distinct.insert(cell).second)
                s.repeats = true;
        }
    }
    return stats;
}

void Detector::chooseRoles(const std::vector<ColumnStats> &stats)
{
    const std::size_t n = m_layout.cellCount;
    std::vector<std::size_t> &time = m_layout.timeColumns;
    const ReaderOptions &o = m_options;
    if (o.timeColumns.size() > 2)
        throw ReaderError("give at most two time columns (a date, then a time of day), not "
                          + std::to_string(o.timeColumns.size()));
    for (const std::string &reference : o.timeColumns)
        time.push_back(findColumn(reference, m_header, n, "the time column", o));
    for (std::size_t c = 0; time.empty() && c < n; ++c) {
        if (c + 1 < n && stats[c].mostly(stats[c].splitTimes))
            time = {c, c + 1};
        else if (stats[c].mostly(stats[c].times))
            time = {c};
    }
    if (time.empty()) {
        // Epoch numbers, or nothing readable yet: the first column, as always.
        const Row *first = nullptr;
        for (const Row &row : m_rows) {
            if (row.count == n && (!m_header || &row.cells != m_header)) {
                first = &row;
                break;
            }
        }
        const bool split = n >= 3
                           && (first ? m_times.isSplitTime(first->cells[0], first->cells[1])
                                     : m_header && equalsIgnoringCase(trimBlanks((*m_header)[0]), "date")
                                           && equalsIgnoringCase(trimBlanks((*m_header)[1]), "time"));
        time = split ? std::vector<std::size_t>{0, 1} : std::vector<std::size_t>{0};
    }
    const auto isTime = [&](std::size_t c) { return std::find(time.begin(), time.end(), c) != time.end(); };

    if (!o.seriesColumn.empty())
        m_layout.keyColumn = findColumn(o.seriesColumn, m_header, n, "the series column", o);
    std::vector<std::size_t> candidates;
    for (std::size_t c = 0; c < n; ++c) {
        if (isTime(c) || c == m_layout.keyColumn)
            continue;
        if (stats[c].mostly(stats[c].times) || stats[c].mostly(stats[c].timesOfDay)
            || stats[c].mostly(stats[c].otherDates))
            m_intervalEnds.push_back(c);
        else if (stats[c].isText())
            (stats[c].repeats ? candidates : m_textColumns).push_back(c);
    }
    const bool anyNumber = std::any_of(stats.begin(), stats.end(), [](const ColumnStats &s) { return s.numbers > 0; });
    if (!m_layout.keyColumn && o.valueColumns.empty() && anyNumber && candidates.size() == 1 && m_textColumns.empty())
        m_layout.keyColumn = candidates.front();
    else
        m_textColumns.insert(m_textColumns.end(), candidates.begin(), candidates.end());
    std::sort(m_textColumns.begin(), m_textColumns.end());

    for (const std::string &reference : o.valueColumns)
        m_layout.valueColumns.push_back(findColumn(reference, m_header, n, "the value column", o));
    if (o.valueColumns.empty()) {
        for (std::size_t c = 0; c < n; ++c) {
            if (isTime(c) || c == m_layout.keyColumn)
                continue;
            const ColumnStats &s = stats[c];
            const bool end = std::find(m_intervalEnds.begin(), m_intervalEnds.end(), c) != m_intervalEnds.end();
            // Without any number in the first records every other column is
            // a value, so that bad cells are reported rather than ignored.
            const bool empty = s.numbers == 0 && s.text == 0 && m_dataRows >= 2;
            const bool label = s.isText() && s.repeats;
            if (!anyNumber || (!end && !empty && !label))
                m_layout.valueColumns.push_back(c);
        }
    }
    if (!anyNumber)
        m_intervalEnds.clear();
    if (m_layout.valueColumns.empty())
        throw ReaderError("no value column in " + fileLabel(o.fileName)
                          + ": every column is a time, a series key or text; name one with --value-column");
    for (const std::size_t c : m_layout.valueColumns) {
        if (isTime(c) || c == m_layout.keyColumn)
            throw ReaderError(columnLabel(c) + " of " + fileLabel(o.fileName)
                              + " cannot be a value column and a time or series column at once");
    }
    if (m_layout.keyColumn && !o.seriesName.empty())
        throw ReaderError("a series name names a single series, but " + fileLabel(o.fileName)
                          + " has a series column (one series per key); leave it empty");
    m_layout.valueNames = valueColumnNames(m_layout.valueColumns, m_header, o);
}

std::string Detector::columnLabel(std::size_t column) const
{
    std::string label = "column " + std::to_string(column + 1);
    if (m_header) {
        label += " (";
        appendQuoted(label, (*m_header)[column]);
        label += ')';
    }
    return label;
}

void Detector::describe(std::uint64_t firstReadLine)
{
    LayoutReport &report = m_layout.report;
    report.delimiter = m_delimiter;
    report.headerLine = m_header ? firstReadLine : 0;
    report.skippedLines = firstReadLine - 1;
    report.timeFormat = m_options.timeFormat.empty() ? m_layout.detectedFormat : m_options.timeFormat;
    if (!m_options.timeFormat.empty())
        report.dateOrder = "format";
    else if (report.dateOrder.empty())
        report.dateOrder = "year-month-day";
    report.timeZone = m_times.zoneName();
    for (std::size_t c = 0; c < m_layout.cellCount; ++c) {
        ColumnLayout column;
        column.header = m_header ? toUtf8((*m_header)[c]) : "column " + std::to_string(c + 1);
        if (std::find(m_layout.timeColumns.begin(), m_layout.timeColumns.end(), c) != m_layout.timeColumns.end()) {
            column.role = ColumnRole::Time;
        } else if (c == m_layout.keyColumn) {
            column.role = ColumnRole::SeriesKey;
        } else if (const auto at = std::find(m_layout.valueColumns.begin(), m_layout.valueColumns.end(), c);
                   at != m_layout.valueColumns.end()) {
            column.role = ColumnRole::Value;
            column.unit = m_layout.valueNames[std::size_t(at - m_layout.valueColumns.begin())].unit;
        }
        report.columns.push_back(std::move(column));
    }
    std::vector<std::string> &notes = report.notes;
    const std::uint64_t preamble = report.skippedLines;
    if (preamble > 0 && (m_options.skipLines || m_rows.front().line < firstReadLine))
        notes.push_back("skipped " + std::to_string(preamble) + (preamble == 1 ? " line" : " lines") + " before "
                        + (m_header ? "the header on line " : "the first record on line ")
                        + std::to_string(firstReadLine));
    for (const std::size_t c : m_intervalEnds) {
        if (report.columns[c].role == ColumnRole::Ignored)
            notes.push_back(columnLabel(c) + " holds times too: taken for the end of each interval, ignored");
    }
    std::string text;
    for (const std::size_t c : m_textColumns) {
        if (report.columns[c].role != ColumnRole::Ignored)
            continue;
        text += text.empty() ? "" : ", ";
        text += columnLabel(c);
    }
    if (!text.empty())
        notes.push_back(text + " hold" + (text.find(", ") == std::string::npos ? "s" : "")
                        + " text, ignored; if one names the meter, give it with --series-column");
}

} // namespace

std::optional<Decision> decideLayout(const std::vector<SampledRecord> &sample, char delimiter, TimeCellParser &times,
                                     const ValueParser &values, const ReaderOptions &options)
{
    return Detector(delimiter, times, values, options).decide(sample);
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
