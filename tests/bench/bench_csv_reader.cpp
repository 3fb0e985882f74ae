// meterscope-bench-reader: the CSV reader alone (no server, no database) on
// meter-like files, one with ISO times (the reader's fast path, the
// baseline) and ones that need --time-format. It also times the time cells
// alone: the reader's own strptime-style parser against date::from_stream
// (Howard Hinnant's date, which the project already links) on the same
// cells, and says what date::from_stream would add to reading such a file.
// Figures are medians of --runs runs in this process, in CPU time of the
// reading thread; only ratios compare.
#include "ingest/csv_reader.h"
#include "ingest/time_cell.h"
#include "support/bench_tools.h"

#include <date/date.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <istream>
#include <random>
#include <streambuf>
#include <string>
#include <time.h>
#include <vector>

using namespace meterscope;
using test::die;

namespace {

struct Layout {
    const char *name;
    const char *format;     ///< --time-format; empty for ISO
    const char *dateFormat; ///< how the generator writes a time (strftime)
    bool quoted = false;    ///< the time holds the delimiter
};

// The sample's layout, a day-first European export and an RFC 1123-like one.
constexpr Layout kLayouts[] = {
    {"ISO 2019-01-31 13:45:00", "", "%Y-%m-%d %H:%M:%S"},
    {"--time-format %d/%m/%Y %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M"},
    {"--time-format %a, %d %b %Y %T %Z", "%a, %d %b %Y %T %Z", "%a, %d %b %Y %H:%M:%S GMT", true},
};

// A wide export of `meters` meters at a 15-minute cadence: a daily profile
// (low at night, peaks morning and evening), each meter its own scale, noise.
std::string generate(const Layout &layout, std::size_t rows, int meters)
{
    std::mt19937 random(42);
    std::normal_distribution<double> noise(0.0, 0.08);
    std::string out = "time";
    for (int m = 1; m <= meters; ++m)
        out += ",meter_" + std::to_string(m);
    out += '\n';
    const auto start = date::sys_days(date::year(2019) / 1 / 1);
    char value[32];
    for (std::size_t i = 0; i < rows; ++i) {
        const auto time = start + std::chrono::minutes(15 * i);
        const std::string text = date::format(layout.dateFormat, time);
        out += layout.quoted ? '"' + text + '"' : text;
        const double hour = double(i % 96) / 4.0;
        const double profile
            = 0.3 + 0.5 * std::exp(-std::pow(hour - 7.5, 2) / 4) + 0.8 * std::exp(-std::pow(hour - 19, 2) / 6);
        for (int m = 1; m <= meters; ++m) {
            std::snprintf(value, sizeof value, ",%.3f", std::max(0.0, profile * (1 + 0.1 * m) + noise(random)));
            out += value;
        }
        out += '\n';
    }
    return out;
}

// The same readings, one a row: as a one-series file ("time,kWh", meter
// after meter) or in long format ("meter,time,kWh", grouped by meter, as
// smart-meter trials write them).
std::string generateOneARow(std::size_t rows, int meters, bool withKey)
{
    std::mt19937 random(7);
    std::normal_distribution<double> noise(0.0, 0.08);
    std::string out = withKey ? "meter,time,kWh\n" : "time,kWh\n";
    const auto start = date::sys_days(date::year(2019) / 1 / 1);
    char value[32];
    for (int m = 1; m <= meters; ++m) {
        const std::string key = "MAC" + std::to_string(100000 + m) + ",";
        for (std::size_t i = 0; i < rows; ++i) {
            if (withKey)
                out += key;
            out += date::format("%Y-%m-%d %H:%M:%S", start + std::chrono::minutes(15 * i));
            const double hour = double(i % 96) / 4.0;
            const double profile = 0.3 + 0.5 * std::exp(-std::pow(hour - 7.5, 2) / 4);
            std::snprintf(value, sizeof value, ",%.3f\n", std::max(0.0, profile * (1 + 0.1 * m) + noise(random)));
            out += value;
        }
    }
    return out;
}

class CountingSink : public ingest::ReaderSink {
public:
    void layout(const ingest::LayoutReport &) override { }
    void columns(const std::vector<ingest::SeriesInfo> &) override { }
    void reading(std::size_t, timeutil::Micros time, double value, std::uint64_t) override
    {
        ++readings;
        checksum += time + std::int64_t(value);
    }
    void missing(std::size_t, std::uint64_t, std::string_view) override { ++problems; }
    void rejected(std::uint64_t, std::uint64_t, std::string_view) override { ++problems; }

    std::uint64_t readings = 0;
    std::uint64_t problems = 0;
    std::int64_t checksum = 0;
};

// A stream buffer that reads a cell in place.
class CellBuffer : public std::streambuf {
public:
    void point(std::string_view text)
    {
        char *begin = const_cast<char *>(text.data());
        setg(begin, begin, begin + text.size());
    }
};

// CPU time of this thread: the reader is single-threaded, and on a shared
// machine wall time mostly measures the neighbours.
double cpuSeconds()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return double(now.tv_sec) + double(now.tv_nsec) * 1e-9;
}

template<typename Body>
double medianSeconds(int runs, Body &&body)
{
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const double begin = cpuSeconds();
        body();
        times.push_back(cpuSeconds() - begin);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// Reads the whole text in 1 MiB chunks, as an import does.
void readAll(const std::string &text, const Layout &layout, CountingSink &sink)
{
    ingest::ReaderOptions options;
    options.fileName = "bench.csv";
    options.timeFormat = layout.format;
    ingest::CsvReader reader(options, sink);
    constexpr std::size_t kChunk = 1 << 20;
    for (std::size_t at = 0; at < text.size(); at += kChunk)
        reader.feed(std::string_view(text).substr(at, kChunk));
    reader.finish();
}

std::vector<std::string> timeCells(const std::string &text, bool quoted)
{
    std::vector<std::string> cells;
    std::size_t at = text.find('\n') + 1;
    while (at < text.size()) {
        const std::size_t begin = at + (quoted ? 1 : 0);
        const std::size_t end = text.find(quoted ? '"' : ',', begin);
        cells.push_back(text.substr(begin, end - begin));
        at = text.find('\n', end) + 1;
    }
    return cells;
}

} // namespace

int main(int argc, char **argv)
{
    std::size_t rows = 1'000'000;
    int meters = 4;
    int runs = 5;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--rows" && i + 1 < argc)
            rows = std::stoul(argv[++i]);
        else if (arg == "--meters" && i + 1 < argc)
            meters = std::stoi(argv[++i]);
        else if (arg == "--runs" && i + 1 < argc)
            runs = std::stoi(argv[++i]);
        else
            die("usage: meterscope-bench-reader [--rows N] [--meters N] [--runs N]");
    }
    std::printf("%zu rows of %d meters at 15 minutes, median CPU time of %d runs\n", rows, meters, runs);
    std::printf("  %-36s %14s %12s %10s\n", "reader", "rows/s", "ns/row", "vs ISO");
    double isoSeconds = 0;
    std::vector<double> readerNsPerRow;
    std::vector<std::string> texts;
    for (const Layout &layout : kLayouts) {
        texts.push_back(generate(layout, rows, meters));
        CountingSink sink;
        const double seconds = medianSeconds(runs, [&] { readAll(texts.back(), layout, sink); });
        if (sink.problems != 0 || sink.readings != std::uint64_t(runs) * rows * std::uint64_t(meters))
            die(std::string("the reader did not read every reading of ") + layout.name);
        if (isoSeconds == 0)
            isoSeconds = seconds;
        readerNsPerRow.push_back(seconds * 1e9 / double(rows));
        std::printf("  %-36s %14.0f %12.1f %9.2fx\n", layout.name, double(rows) / seconds, readerNsPerRow.back(),
                    seconds / isoSeconds);
    }

    // #14: long format against the same readings as a one-series file.
    std::printf("\n  %-36s %14s %12s %10s\n", "one reading a row (same readings)", "readings/s", "ns/reading",
                "vs 1 series");
    double oneSeriesSeconds = 0;
    for (const bool withKey : {false, true}) {
        const std::size_t perMeter = rows / std::size_t(meters);
        const std::string text = generateOneARow(perMeter, meters, withKey);
        const Layout iso = kLayouts[0];
        CountingSink sink;
        const double seconds = medianSeconds(runs, [&] { readAll(text, iso, sink); });
        const std::uint64_t readings = std::uint64_t(perMeter) * std::uint64_t(meters);
        if (sink.problems != 0 || sink.readings != std::uint64_t(runs) * readings)
            die("the reader did not read every reading of the one-a-row files");
        if (!withKey)
            oneSeriesSeconds = seconds;
        std::printf("  %-36s %14.0f %12.1f %9.2fx\n", withKey ? "long format meter,time,kWh" : "one series time,kWh",
                    double(readings) / seconds, seconds * 1e9 / double(readings), seconds / oneSeriesSeconds);
    }

    std::printf("\n  %-36s %14s %14s %10s %14s\n", "time cells alone (ns/cell)", "reader's own", "date::parse", "ratio",
                "reader +");
    for (std::size_t l = 1; l < std::size(kLayouts); ++l) {
        const Layout &layout = kLayouts[l];
        const std::vector<std::string> cells = timeCells(texts[l], layout.quoted);
        ingest::ReaderOptions options;
        options.timeFormat = layout.format;
        ingest::TimeCellParser parser(options);
        std::int64_t checksum = 0;
        const double own = medianSeconds(runs, [&] {
            for (const std::string &cell : cells) {
                timeutil::Micros utc = 0;
                if (parser.parse(cell, utc) != ingest::TimeStatus::Ok)
                    die("the reader's parser refused " + cell);
                checksum += utc;
            }
        });
        // One stream over the cell's bytes, reused: a stream per cell, or
        // copying each cell into a stringstream, would cost more.
        CellBuffer buffer;
        std::istream in(&buffer);
        const double theirs = medianSeconds(runs, [&] {
            for (const std::string &cell : cells) {
                buffer.point(cell);
                in.clear();
                date::local_time<std::chrono::microseconds> local;
                std::string abbreviation;
                std::chrono::minutes offset{0};
                date::from_stream(in, layout.format, local, &abbreviation, &offset);
                if (in.fail())
                    die("date::from_stream refused " + cell);
                checksum += local.time_since_epoch().count();
            }
        });
        const double ownNs = own * 1e9 / double(cells.size());
        const double theirNs = theirs * 1e9 / double(cells.size());
        std::printf("  %-36s %14.1f %14.1f %9.2fx %13.0f%%\n", layout.name, ownNs, theirNs, theirNs / ownNs,
                    100.0 * (theirNs - ownNs) / readerNsPerRow[l]);
        if (checksum == 42)
            std::printf(" ");
    }
    std::printf("\n'reader +' is what date::from_stream would add to reading such a file (limit: 10%%).\n");
    return 0;
}
