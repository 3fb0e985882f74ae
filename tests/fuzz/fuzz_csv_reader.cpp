// libFuzzer target for the CSV reader. The first three bytes choose the
// options and the chunking; the rest is the file. Each input is read twice,
// whole and in uneven chunks, and both runs must report exactly the same;
// the sink aborts on any broken promise of csv_reader.h.

#include "ingest/csv_reader.h"
#include "time/instant.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

namespace {

using namespace meterscope;

void require(bool ok, const char *promise)
{
    if (!ok) {
        std::fprintf(stderr, "csv reader broke a promise: %s\n", promise);
        std::abort();
    }
}

bool isUtf8(std::string_view s)
{
    for (std::size_t i = 0; i < s.size();) {
        const auto lead = std::uint8_t(s[i]);
        std::size_t length = lead < 0x80   ? 1
                             : lead < 0xC2 ? 0
                             : lead < 0xE0 ? 2
                             : lead < 0xF0 ? 3
                             : lead < 0xF5 ? 4
                                           : 0;
        if (length == 0 || i + length > s.size())
            return false;
        std::uint32_t code = length == 1 ? lead : lead & (0x7F >> length);
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = std::uint8_t(s[i + k]);
            if ((next & 0xC0) != 0x80)
                return false;
            code = (code << 6) | (next & 0x3F);
        }
        const std::uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (code < minimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
            return false;
        i += length;
    }
    return true;
}

// Records every event as text and checks each one as it comes.
class CheckingSink : public ingest::ReaderSink {
public:
    std::string log;
    std::uint64_t accepted = 0;
    std::uint64_t missingCount = 0;
    std::uint64_t rejectedReadings = 0;
    std::uint64_t lastLine = 0;

    void layout(const ingest::LayoutReport &layout) override
    {
        require(!m_columnsSeen && log.empty(), "layout() comes first, once");
        for (const ingest::ColumnLayout &column : layout.columns) {
            require(isUtf8(column.header), "column headers are UTF-8");
            m_values += column.role == ingest::ColumnRole::Value ? 1 : 0;
        }
        require(m_values > 0, "at least one value column");
        for (const std::string &note : layout.notes)
            checkReason(note);
        m_columnsSeen = true;
    }

    void columns(const std::vector<ingest::SeriesInfo> &added) override
    {
        require(m_columnsSeen, "layout() comes before the series");
        require(added.size() == m_values, "a series per value column");
        for (const ingest::SeriesInfo &info : added) {
            require(!info.name.empty(), "series names are not empty");
            require(isUtf8(info.name) && isUtf8(info.unit), "series names and units are UTF-8");
            require(m_unique.insert(info.name).second, "series names are unique");
            log += info.name + '\n';
        }
        m_columns += added.size();
    }

    void reading(std::size_t column, timeutil::Micros time, double value, std::uint64_t line) override
    {
        checkEvent(line);
        require(column < m_columns, "reading column exists");
        require(std::isfinite(value), "values are finite");
        // 0000-01-01 .. 10000-01-01, with room for the widest offsets.
        require(time >= -62'167'219'200'000'000 - 86'400'000'000 && time < 253'402'300'800'000'000 + 86'400'000'000,
                "times stay within the years 0000-9999");
        ++accepted;
        log += "R " + std::to_string(line) + ' ' + std::to_string(column) + ' ' + std::to_string(time) + ' '
               + std::to_string(value) + '\n';
    }

    void missing(std::size_t column, std::uint64_t line, std::string_view reason) override
    {
        checkEvent(line);
        checkReason(reason);
        require(column < m_columns, "missing column exists");
        ++missingCount;
        log += "M " + std::to_string(line) + ' ' + std::to_string(column) + ' ' + std::string(reason) + '\n';
    }

    void rejected(std::uint64_t line, std::uint64_t readings, std::string_view reason) override
    {
        checkEvent(line);
        checkReason(reason);
        require(readings == 1 || readings == m_values, "a rejection costs one cell or one record");
        rejectedReadings += readings;
        log += "X " + std::to_string(line) + ' ' + std::to_string(readings) + ' ' + std::string(reason) + '\n';
    }

private:
    void checkEvent(std::uint64_t line)
    {
        require(m_columnsSeen, "columns() comes before any reading");
        require(line >= 1 && line >= lastLine, "lines are 1-based and in file order");
        lastLine = line;
    }

    static void checkReason(std::string_view reason)
    {
        require(!reason.empty(), "reasons are not empty");
        require(reason.size() < 1024, "reasons are short");
        require(isUtf8(reason), "reasons are UTF-8");
        require(reason.find('\n') == std::string_view::npos, "reasons are one line");
    }

    bool m_columnsSeen = false;
    std::size_t m_values = 0;
    std::size_t m_columns = 0;
    std::set<std::string> m_unique;
};

struct Run {
    std::string log;
    std::string error;
    ingest::ReaderStats stats;
};

Run read(std::string_view input, const ingest::ReaderOptions &options, std::uint8_t chunkSeed)
{
    Run run;
    CheckingSink sink;
    try {
        ingest::CsvReader reader(options, sink);
        std::uint32_t state = chunkSeed;
        while (!input.empty()) {
            std::size_t size = input.size();
            if (chunkSeed != 0) {
                state = state * 1'103'515'245u + 12'345u;
                size = std::min<std::size_t>(size, 1 + (state >> 16) % 97);
            }
            reader.feed(input.substr(0, size));
            input.remove_prefix(size);
        }
        reader.finish();
        const ingest::ReaderStats &s = reader.stats();
        require(s.readings == s.accepted + s.missing + s.rejected, "readings == accepted + missing + rejected");
        require(s.accepted == sink.accepted, "accepted counts the readings");
        require(s.missing == sink.missingCount, "missing counts the missing cells");
        require(s.rejected == sink.rejectedReadings, "rejected counts the rejected readings");
        require(s.lines >= sink.lastLine, "lines counts every line");
        require(s.records <= s.lines, "a record takes at least one line");
        run.stats = s;
    } catch (const ingest::ReaderError &e) {
        run.error = e.what();
        require(!run.error.empty() && isUtf8(run.error), "errors are UTF-8 sentences");
    }
    run.log = std::move(sink.log);
    return run;
}

bool operator==(const ingest::ReaderStats &a, const ingest::ReaderStats &b)
{
    return a.bytes == b.bytes && a.lines == b.lines && a.records == b.records && a.readings == b.readings
           && a.accepted == b.accepted && a.missing == b.missing && a.rejected == b.rejected && a.header == b.header
           && a.delimiter == b.delimiter;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 3)
        return 0;
    static constexpr char kDelimiters[] = {0, ',', ';', '\t'};
    static constexpr const char *kZones[] = {"", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe"};
    static constexpr const char *kFormats[]
        = {"%d/%m/%Y %H:%M",     "%m/%d/%Y %I:%M %p", "%Y-%m-%dT%H:%M:%S%z", "%d.%m.%Y",
           "%a, %d %b %Y %T %Z", "%Y/%j %R",          "%e %B %y %I:%M %p",   "%F %T%Ez"};
    static constexpr std::size_t kLineLengths[] = {std::size_t(1) << 20, 16, 64, 300};

    const std::uint8_t a = data[0], b = data[1];
    ingest::ReaderOptions options;
    options.delimiter = kDelimiters[a & 3];
    options.epochUnit = ingest::EpochUnit((a >> 2) & 3);
    options.timeZone = kZones[(a >> 4) & 3];
    if (a & 0x40)
        options.seriesName = "s";
    if (a & 0x80)
        options.timeFormat = kFormats[(b & 3) | ((b >> 3) & 4)];
    options.maxLineLength = kLineLengths[(b >> 2) & 3];
    if (b & 0x10)
        options.fileName = "dir/meter.csv";

    const std::string_view input(reinterpret_cast<const char *>(data) + 3, size - 3);
    const Run whole = read(input, options, 0);
    const Run chunked = read(input, options, std::uint8_t(data[2] | 1));
    require(whole.error == chunked.error, "the same error for any chunking");
    require(whole.log == chunked.log, "the same events for any chunking");
    require(whole.stats == chunked.stats, "the same stats for any chunking");
    return 0;
}
