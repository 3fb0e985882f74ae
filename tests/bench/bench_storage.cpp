// meterscope-bench-storage (#13): plain PostgreSQL against a TimescaleDB
// hypertable, uncompressed and compressed, on one cluster that preloads
// TimescaleDB, with the same generated meter data at 1 s and 15 min cadence:
// ingest through meterscoped against psql \copy into the same kind of
// table, bytes per point (points plus summary cells), and Query times.
//
//   build/tests/bench/meterscope-bench-storage [--scale F]
#include "bench_cluster.h"
#include "bench_table.h"
#include "client/client.h"
#include "storage/embedded_cluster.h"
#include "support/bench_tools.h"
#include "support/clients.h"
#include "support/meter_data.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcess>
#include <QThread>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

using namespace meterscope;

namespace {

using bench::Clock;
using bench::format;
using bench::seconds;
using test::die;

struct Cadence {
    std::string name;
    int meters;
    int days;
    int seconds;
};

// Query times of one meter, median of five: the whole range and one day.
struct QueryTimes {
    double wholeMs = 0;
    double dayMs = 0;
};

class Bench {
public:
    explicit Bench(double scale)
        : m_scale(scale)
    {
    }

    void run()
    {
        if (!test::timescaledbInstalled())
            die("TimescaleDB is not installed; packaging/install-timescaledb.sh builds and installs it");
        if (!m_cluster.start())
            die(m_cluster.error());
        std::printf("PostgreSQL (preloading TimescaleDB) in %s\n\n", m_cluster.cluster().pgdata().c_str());
        bench::printHeader();
        const int days = std::max(1, int(3 * m_scale));
        for (const Cadence &cadence : {Cadence{"1 s", 4, days, 1}, Cadence{"15 min", 100, int(180 * m_scale), 900}})
            runCadence(cadence);
    }

private:
    double psql(const std::string &database, const QString &command) { return m_db.psql(database, command); }
    double scalar(const std::string &database, const std::string &sql) { return m_db.scalar(database, sql); }

    QueryTimes queryTimes(const QString &address)
    {
        auto client = test::clientFor(address);
        const auto median = [&](std::optional<std::int64_t> from, std::optional<std::int64_t> to) {
            std::vector<double> ms;
            for (int i = 0; i < 5; ++i) {
                v1::QueryRequest request;
                request.set_series("meter_0001");
                if (from)
                    request.set_start_time_us(*from);
                if (to)
                    request.set_end_time_us(*to);
                const auto started = Clock::now();
                test::queryPoints(*client, request);
                ms.push_back(seconds(started) * 1000);
            }
            std::sort(ms.begin(), ms.end());
            return ms[2];
        };
        // The second day of the data (2024-01-02 UTC).
        constexpr std::int64_t kDay = 86'400'000'000;
        constexpr std::int64_t kSecondDay = 1'704'067'200'000'000 + kDay;
        return {median(std::nullopt, std::nullopt), median(kSecondDay, kSecondDay + kDay)};
    }

    // Bytes on disk of points and of the summary cells, per reading.
    struct Sizes {
        double points = 0;
        double cells = 0;
        double total() const { return points + cells; }
    };

    Sizes sizes(const std::string &database, bool timescale, double rows)
    {
        const auto size = [&](const std::string &table) {
            return timescale ? "CASE WHEN EXISTS (SELECT 1 FROM timescaledb_information.hypertables WHERE "
                               "hypertable_name = '"
                                   + table + "') THEN hypertable_size('" + table + "') ELSE pg_total_relation_size('"
                                   + table + "') END"
                             : "pg_total_relation_size('" + table + "')";
        };
        return {scalar(database, "SELECT " + size("points")) / rows,
                scalar(database, "SELECT " + size("rollups")) / rows};
    }

    void runCadence(const Cadence &c)
    {
        const QString wide = m_dir.filePath(QString::fromStdString("wide.csv"));
        const QString narrow = m_dir.filePath(QString::fromStdString("narrow.csv"));
        const test::MeterSeries series{c.meters, c.seconds, std::uint64_t(c.days) * 86400 / std::uint64_t(c.seconds)};
        const double rows = double(test::writeMeterFile(wide, series, test::MeterLayout::Wide));
        if (rows == 0 || test::writeMeterFile(narrow, series, test::MeterLayout::Copy) == 0)
            die("cannot write the generated data into " + m_dir.path());
        const std::string tag = c.seconds == 1 ? "s1" : "m15";
        const std::string copyDb = "copy_" + tag, plainDb = "plain_" + tag, hyperDb = "hyper_" + tag;
        for (const std::string &db : {copyDb, plainDb, hyperDb})
            psql("meterscope", QString::fromStdString("CREATE DATABASE " + db));
        std::printf("%s cadence: %d meters, %d days, %.0f readings\n", c.name.c_str(), c.meters, c.days, rows);

        // Baselines: the same readings by \copy into tables with the same key.
        const QString table = " (series_id integer NOT NULL, time timestamptz NOT NULL, value double precision NOT "
                              "NULL, PRIMARY KEY (series_id, time))";
        psql(copyDb, "CREATE EXTENSION timescaledb; CREATE TABLE copy_plain" + table + "; CREATE TABLE copy_hyper"
                         + table
                         + "; SELECT create_hypertable('copy_hyper', 'time', chunk_time_interval => INTERVAL '30 "
                           "days', create_default_indexes => FALSE)");
        const double copyPlain = psql(copyDb, "\\copy copy_plain FROM '" + narrow + "' WITH (FORMAT csv)");
        const double copyHyper = psql(copyDb, "\\copy copy_hyper FROM '" + narrow + "' WITH (FORMAT csv)");
        psql(copyDb, "CHECKPOINT");

        test::ServerProcess plain, hyper;
        m_db.startServer(plain, plainDb, {"--storage", "postgres"});
        m_db.startServer(hyper, hyperDb, {"--storage", "timescaledb"});
        const double oursPlain = bench::BenchCluster::importWithCli(plain, {wide});
        psql(plainDb, "CHECKPOINT");
        const double oursHyper = bench::BenchCluster::importWithCli(hyper, {wide});
        psql(hyperDb, "CHECKPOINT");
        const std::string name = "(" + c.name + ") ";
        bench::printRow({name + "ingest into plain PostgreSQL (rows/s)", format("%.0f", rows / oursPlain),
                         "\\copy " + format("%.0f", rows / copyPlain), format("%.2fx", copyPlain / oursPlain),
                         ">= 0.9x"});
        bench::printRow({name + "ingest into a hypertable (rows/s)", format("%.0f", rows / oursHyper),
                         "\\copy " + format("%.0f", rows / copyHyper), format("%.2fx", copyHyper / oursHyper),
                         ">= 0.9x"});

        psql(plainDb, "VACUUM ANALYZE");
        psql(hyperDb, "VACUUM ANALYZE");
        const Sizes plainBytes = sizes(plainDb, false, rows);
        const Sizes hyperBytes = sizes(hyperDb, true, rows);
        const QueryTimes plainTimes = queryTimes(plain.address());
        const QueryTimes hyperTimes = queryTimes(hyper.address());
        plain.terminate();
        hyper.terminate();

        // The server's own compression, as a user would run it.
        m_db.startServer(hyper, hyperDb, {"--storage", "timescaledb", "--compress-after", "1d"});
        const auto started = Clock::now();
        while (scalar(hyperDb, "SELECT count(*) FROM timescaledb_information.chunks "
                               "WHERE hypertable_name IN ('points', 'rollups') AND NOT is_compressed")
               > 0) {
            if (seconds(started) > 1800)
                die("compression did not finish within 30 minutes");
            QThread::msleep(200);
        }
        const double compressSeconds = seconds(started);
        const Sizes compressedBytes = sizes(hyperDb, true, rows);
        const QueryTimes compressedTimes = queryTimes(hyper.address());
        hyper.terminate();

        bench::printRow({name + "bytes per point, plain", format("%.1f", plainBytes.total()), "", "", ""});
        bench::printRow({name + "bytes per point, hypertable", format("%.1f", hyperBytes.total()),
                         "plain " + format("%.1f", plainBytes.total()),
                         format("%.2fx", hyperBytes.total() / plainBytes.total()), ""});
        bench::printRow({name + "bytes per point, compressed", format("%.1f", compressedBytes.total()),
                         "plain " + format("%.1f", plainBytes.total()),
                         "1/" + format("%.1f", plainBytes.total() / compressedBytes.total()), "<= 1/8"});
        std::printf("  (%s of which summary cells: plain %.1f, hypertable %.1f, compressed %.1f)\n", c.name.c_str(),
                    plainBytes.cells, hyperBytes.cells, compressedBytes.cells);
        for (const auto &[label, ms, base] :
             {std::tuple{"whole-range Query, hypertable (ms)", hyperTimes.wholeMs, plainTimes.wholeMs},
              {"whole-range Query, compressed (ms)", compressedTimes.wholeMs, plainTimes.wholeMs},
              {"one-day Query, hypertable (ms)", hyperTimes.dayMs, plainTimes.dayMs},
              {"one-day Query, compressed (ms)", compressedTimes.dayMs, plainTimes.dayMs}})
            bench::printRow(
                {name + label, format("%.1f", ms), "plain " + format("%.1f", base), format("%.2fx", ms / base), ""});
        std::printf("  (%s compression of %.0f readings took %.1f s)\n\n", c.name.c_str(), rows, compressSeconds);
    }

    double m_scale;
    test::TestDir m_dir;
    test::TestCluster m_cluster{test::preloadTimescaledb()};
    bench::BenchCluster m_db{m_cluster};
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Plain PostgreSQL against TimescaleDB hypertables, compressed and not (#13).");
    parser.addHelpOption();
    const QCommandLineOption scale("scale", "Multiply the days of data (3 at 1 s, 180 at 15 min). Default 1.", "F",
                                   "1");
    parser.addOption(scale);
    parser.process(app);
    bool ok = false;
    const double factor = parser.value(scale).toDouble(&ok);
    if (!ok || factor <= 0)
        die("--scale needs a positive number");
    Bench(factor).run();
    return 0;
}
