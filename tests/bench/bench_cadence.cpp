// meterscope-bench-cadence (#15): meter data at the cadences meters have,
// each figure against a baseline measured in the same run on the same
// cluster:
// - ingest of one series of N readings at 1 s, 1 min, 15 min and 30 min
//   through meterscope-cli and meterscoped, against psql \copy of the same
//   file into a (time, value) table with a primary key;
// - the summary cells' bytes against the points' bytes at each cadence;
// - ingest of a long-format file (meter,time,kWh) of many meters, a year of
//   half-hours each, against \copy into (series_id, time, value) with the
//   same primary key;
// - a whole-range Query with max_points=2000 of ten years of 15-minute
//   readings against the raw Query of the same range.
//
//   build/tests/bench/meterscope-bench-cadence [--rows N] [--long-meters M]
#include "bench_cluster.h"
#include "bench_table.h"
#include "client/client.h"
#include "support/bench_tools.h"
#include "support/clients.h"
#include "support/meter_data.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace meterscope;

namespace {

using bench::format;
using test::die;

class Bench {
public:
    Bench(std::uint64_t rows, int longMeters)
        : m_rows(rows)
        , m_longMeters(longMeters)
    {
    }

    void run()
    {
        if (!m_cluster.start())
            die(m_cluster.error());
        std::printf("PostgreSQL in %s; %llu readings a cadence\n\n", m_cluster.cluster().pgdata().c_str(),
                    static_cast<unsigned long long>(m_rows));
        bench::printHeader();
        for (const auto &[name, seconds] :
             {std::pair{"1 s", 1}, std::pair{"1 min", 60}, std::pair{"15 min", 900}, std::pair{"30 min", 1800}})
            oneSeries(name, seconds);
        longFormat();
        wholeRangeQuery();
    }

private:
    void oneSeries(const std::string &name, std::int64_t cadence)
    {
        const QString file = m_dir.filePath("one-series.csv");
        if (test::writeMeterFile(file, {1, cadence, m_rows}, test::MeterLayout::OneSeries) == 0)
            die("cannot write " + file);
        m_db.psql("meterscope", "CREATE DATABASE copy_one");
        m_db.psql("copy_one", "CREATE TABLE t (time timestamptz PRIMARY KEY, value double precision NOT NULL)");
        const double copy = m_db.psql("copy_one", "\\copy t FROM '" + file + "' WITH (FORMAT csv, HEADER true)");
        m_db.psql("meterscope", "DROP DATABASE copy_one");

        m_db.psql("meterscope", "CREATE DATABASE ours_one");
        double ours = 0, cells = 0;
        {
            test::ServerProcess server;
            m_db.startServer(server, "ours_one");
            ours = bench::BenchCluster::importWithCli(server, {file});
            m_db.psql("ours_one", "VACUUM ANALYZE");
            cells = m_db.scalar("ours_one", "SELECT pg_total_relation_size('rollups')::float8 / "
                                            "pg_total_relation_size('points')");
            server.terminate();
        }
        m_db.psql("meterscope", "DROP DATABASE ours_one");
        const double rows = double(m_rows);
        bench::printRow({"ingest, one series at " + name + " (rows/s)", format("%.0f", rows / ours),
                         "psql \\copy " + format("%.0f", rows / copy), format("%.2fx", copy / ours), ">= 0.9x"});
        bench::printRow({"summary cells / points, bytes, " + name, format("%.3f", cells), "", "", "<= 0.15"});
    }

    void longFormat()
    {
        if (m_longMeters <= 0)
            return;
        const test::MeterSeries meters{m_longMeters, 1800, 17'520};
        const QString file = m_dir.filePath("long.csv"), lines = m_dir.filePath("long-copy.csv");
        const auto rows = double(test::writeMeterFile(file, meters, test::MeterLayout::Long));
        if (rows == 0 || test::writeMeterFile(lines, meters, test::MeterLayout::Copy) == 0)
            die("cannot write the long-format files into " + m_dir.path());
        m_db.psql("meterscope", "CREATE DATABASE copy_long");
        m_db.psql("copy_long", "CREATE TABLE t (series_id integer NOT NULL, time timestamptz NOT NULL, value double "
                               "precision NOT NULL, PRIMARY KEY (series_id, time))");
        const double copy = m_db.psql("copy_long", "\\copy t FROM '" + lines + "' WITH (FORMAT csv)");
        m_db.psql("meterscope", "DROP DATABASE copy_long");
        m_db.psql("meterscope", "CREATE DATABASE ours_long");
        double ours = 0;
        {
            test::ServerProcess server;
            m_db.startServer(server, "ours_long");
            ours = bench::BenchCluster::importWithCli(server, {file});
            server.terminate();
        }
        m_db.psql("meterscope", "DROP DATABASE ours_long");
        bench::printRow({"ingest, long, " + std::to_string(m_longMeters) + " meters x 17,520 half-hours (rows/s)",
                         format("%.0f", rows / ours), "psql \\copy " + format("%.0f", rows / copy),
                         format("%.2fx", copy / ours), ">= 0.9x"});
    }

    void wholeRangeQuery()
    {
        const test::MeterSeries tenYears{1, 900, 10 * 35'040, test::at("2015-01-01T00:00:00Z")};
        const QString file = m_dir.filePath("ten-years.csv");
        test::writeMeterFile(file, tenYears, test::MeterLayout::OneSeries);
        m_db.psql("meterscope", "CREATE DATABASE ten_years");
        test::ServerProcess server;
        m_db.startServer(server, "ten_years");
        bench::BenchCluster::importWithCli(server, {file});
        m_db.psql("ten_years", "VACUUM ANALYZE");
        auto client = test::clientFor(server.address());
        std::size_t points = 0;
        const auto median = [&](std::uint32_t maxPoints) {
            std::vector<double> runs;
            for (int run = 0; run < 5; ++run) {
                v1::QueryRequest request;
                request.set_series("meter_0001");
                request.set_max_points(maxPoints);
                const auto started = bench::Clock::now();
                points = test::queryPoints(*client, request).times.size();
                runs.push_back(bench::seconds(started));
            }
            std::sort(runs.begin(), runs.end());
            return runs[2];
        };
        const double raw = median(0);
        const double reduced = median(2000);
        server.terminate();
        m_db.psql("meterscope", "DROP DATABASE ten_years");
        bench::printRow({"Query max_points=2000, 10 years at 15 min",
                         format("%.0f ms", reduced * 1000) + ", " + std::to_string(points) + " points",
                         "raw " + format("%.0f ms", raw * 1000), format("%.1fx", raw / reduced),
                         ">= 20x, <= 8000 points"});
    }

    std::uint64_t m_rows;
    int m_longMeters;
    test::TestDir m_dir;
    test::TestCluster m_cluster;
    bench::BenchCluster m_db{m_cluster};
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Meterscope on meter data at 1 s to 30 min, with same-run baselines (#15).");
    parser.addHelpOption();
    const QCommandLineOption rows("rows", "Readings of each one-series file (default 2000000).", "N", "2000000");
    const QCommandLineOption longMeters("long-meters",
                                        "Meters in the long-format file, a year of half-hours each "
                                        "(default 1000; 0 leaves it out).",
                                        "M", "1000");
    parser.addOptions({rows, longMeters});
    parser.process(app);
    Bench(parser.value(rows).toULongLong(), parser.value(longMeters).toInt()).run();
    return 0;
}
