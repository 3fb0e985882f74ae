// meterscope-bench: end-to-end figures for ingest, query, the legacy API,
// downsampling, live latency and server memory, each against a baseline
// measured in the same run on the same embedded cluster.
//
//   build/tests/bench/meterscope-bench [--rows N] [--subscribe-imports N]
#include "bench_cluster.h"
#include "bench_table.h"
#include "client/client.h"
#include "meterusage/meterusage.grpc.pb.h"
#include "support/bench_tools.h"
#include "support/clients.h"
#include "support/generated_csv.h"
#include "support/meter_data.h"
#include "support/meter_exports.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "time/instant.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace meterscope;

namespace {

using bench::Clock;
using bench::format;
using bench::seconds;

using test::die;
using test::MemoryWatch;

class Bench {
public:
    Bench(std::uint64_t rows, int subscribeImports)
        : m_rows(rows)
        , m_subscribeImports(subscribeImports)
    {
    }

    void run()
    {
        prepare();
        ingest();
        ingestLongFormat();
        ingestManyMeters();
        query();
        legacy();
        downsample();
        subscribeLatency();
        app();
    }

private:
    double runPsql(const QString &command) { return m_db.psql("meterscope", command); }

    void prepare()
    {
        std::printf("Generating %llu rows in the sample's format...\n", static_cast<unsigned long long>(m_rows));
        m_csv = m_dir.filePath("meterusage.csv");
        test::GeneratedCsv generated("meterusage", m_rows);
        std::istream in(&generated);
        std::ofstream out(m_csv.toStdString(), std::ios::binary);
        out << in.rdbuf();
        out.close();
        m_bytes = generated.size();
        if (!m_cluster.start())
            die(m_cluster.error());
        if (!m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                             "--log-level", "warning"}))
            die("meterscoped did not start: " + m_server.log());
        m_client = test::clientFor(m_server.address());
        std::printf("%llu rows, %.0f MB; meterscoped at %s, PostgreSQL in %s\n\n",
                    static_cast<unsigned long long>(m_rows), double(m_bytes) / 1e6, qPrintable(m_server.address()),
                    m_cluster.cluster().pgdata().c_str());
        bench::printHeader();
    }

    void ingest()
    {
        runPsql("CREATE TABLE bench_copy (series_id integer NOT NULL DEFAULT 1, time timestamptz NOT NULL, "
                "value double precision NOT NULL, PRIMARY KEY (series_id, time))");
        const double psqlSeconds
            = runPsql("\\copy bench_copy (time, value) FROM '" + m_csv + "' WITH (FORMAT csv, HEADER true)");
        runPsql("DROP TABLE bench_copy");
        runPsql("CHECKPOINT");

        QProcess cli;
        MemoryWatch memory(m_server.pid());
        const auto started = Clock::now();
        cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
                  {"--server", m_server.address(), "import", "--json", m_csv});
        cli.waitForFinished(-1);
        const double ours = seconds(started);
        if (cli.exitCode() != 0)
            die("meterscope-cli import failed: " + QString::fromUtf8(cli.readAllStandardError()));
        m_ingestPeakMiB = memory.peakMiB();
        runPsql("CHECKPOINT");
        bench::printRow({"1. ingest, meterscope-cli import (rows/s)", format("%.0f", double(m_rows) / ours),
                         "psql \\copy " + format("%.0f", double(m_rows) / psqlSeconds),
                         format("%.2fx", psqlSeconds / ours), ">= 0.8x"});

        // The prototype's way in: the file named at start-up, into a fresh
        // database of the same cluster, until the server listens.
        runPsql("CREATE DATABASE bench_startup");
        const double startup = [&] {
            test::ServerProcess importer;
            const QString uri = QString::fromStdString(m_cluster.uri()).replace("/meterscope?", "/bench_startup?");
            const auto started = Clock::now();
            if (!importer.start(
                    {"--database", uri, "--import", m_csv, "--listen", "127.0.0.1:0", "--log-level", "warning"},
                    3600000))
                die("meterscoped --import failed: " + importer.log());
            const double elapsed = seconds(started);
            importer.terminate();
            return elapsed;
        }();
        runPsql("DROP DATABASE bench_startup");
        bench::printRow({"1. ingest, meterscoped --import (rows/s)", format("%.0f", double(m_rows) / startup),
                         "psql \\copy " + format("%.0f", double(m_rows) / psqlSeconds),
                         format("%.2fx", psqlSeconds / startup), ""});
    }

    // Imports `files` through a meterscoped on a fresh database of the
    // cluster; the seconds the CLI took.
    double importIntoFreshDatabase(const QString &database, const QStringList &files)
    {
        runPsql("CREATE DATABASE " + database);
        test::ServerProcess server;
        m_db.startServer(server, database.toStdString());
        const double elapsed = bench::BenchCluster::importWithCli(server, files);
        server.terminate();
        return elapsed;
    }

    // #14: a smart-meter file in long format (meter,time,kWh) against the
    // same readings as one file per meter, each into a fresh database.
    void ingestLongFormat()
    {
        constexpr int kMeters = 200;
        constexpr int kReadings = 30 * 48; // 30 days of half-hours
        const QString folder = m_dir.filePath("long-format");
        QDir().mkpath(folder);
        const QString longFile = folder + "/long.csv";
        QStringList oneSeries;
        {
            std::ofstream all(longFile.toStdString());
            all << "meter,time,kWh\n";
            const timeutil::Micros start = 1'704'067'200'000'000; // 2024-01-01
            for (int m = 0; m < kMeters; ++m) {
                const std::string name = format("meter_%03d", m);
                oneSeries << folder + "/" + QString::fromStdString(name) + ".csv";
                std::ofstream one(oneSeries.back().toStdString());
                one << "time," << name << '\n';
                for (int i = 0; i < kReadings; ++i) {
                    const std::string time = timeutil::formatIso(start + i * 1'800'000'000LL);
                    const double kWh = test::meterReading(m, std::size_t(i), 30);
                    all << name << ',' << time << ',' << kWh << '\n';
                    one << time << ',' << kWh << '\n';
                }
            }
        }
        const double rows = double(kMeters) * kReadings;
        const double longSeconds = importIntoFreshDatabase("bench_long", {longFile});
        const double oneSeconds = importIntoFreshDatabase("bench_one_series", oneSeries);
        bench::printRow({"1. ingest, long format, 200 meters (rows/s)", format("%.0f", rows / longSeconds),
                         "one-series files " + format("%.0f", rows / oneSeconds),
                         format("%.2fx", oneSeconds / longSeconds), ">= 1.0x"});
    }

    // #15: a wide file of 5,000 meters for one day at 15 minutes against
    // psql \copy of the same readings into (series, time, value).
    void ingestManyMeters()
    {
        const QString wide = m_dir.filePath("meters-wide.csv"), narrow = m_dir.filePath("meters-narrow.csv");
        const test::MeterSeries series{5000, 900, 96};
        const double rows = double(test::writeMeterFile(wide, series, test::MeterLayout::Wide));
        test::writeMeterFile(narrow, series, test::MeterLayout::Copy);
        runPsql("CREATE TABLE bench_meters (series_id integer NOT NULL, time timestamptz NOT NULL, value double "
                "precision NOT NULL, PRIMARY KEY (series_id, time))");
        const double copySeconds = runPsql("\\copy bench_meters FROM '" + narrow + "' WITH (FORMAT csv)");
        runPsql("DROP TABLE bench_meters");
        const double ours = importIntoFreshDatabase("bench_meters", {wide});
        bench::printRow({"1. ingest, wide file of 5,000 meters (rows/s)", format("%.0f", rows / ours),
                         "psql \\copy " + format("%.0f", rows / copySeconds), format("%.2fx", copySeconds / ours),
                         ">= 0.9x"});
    }

    std::uint64_t queryPoints(std::uint32_t maxPoints, double &elapsed)
    {
        v1::QueryRequest request;
        request.set_series("meterusage");
        request.set_max_points(maxPoints);
        std::uint64_t points = 0;
        double checksum = 0;
        const auto started = Clock::now();
        m_client->query(request, [&](const v1::PointBatch &batch) {
            points += std::uint64_t(batch.time_us_size());
            for (double v : batch.value())
                checksum += v;
            return true;
        });
        elapsed = seconds(started);
        if (checksum == -1)
            std::printf(" ");
        return points;
    }

    void query()
    {
        const std::string id = m_cluster.scalar("SELECT id FROM series WHERE name = 'meterusage'");
        const double psqlSeconds = runPsql("\\copy (SELECT time, value FROM points WHERE series_id = "
                                           + QString::fromStdString(id) + " ORDER BY time) TO '/dev/null'");
        MemoryWatch memory(m_server.pid());
        const std::uint64_t points = queryPoints(0, m_rawSeconds);
        if (points != m_rows)
            die(QString("Query returned %1 points, not %2").arg(points).arg(m_rows));
        bench::printRow({"2. full Query, C++ client decoding (points/s)", format("%.0f", double(points) / m_rawSeconds),
                         "psql \\copy out " + format("%.0f", double(points) / psqlSeconds),
                         format("%.2fx", psqlSeconds / m_rawSeconds), ">= 1.0x"});
        bench::printRow({"7. meterscoped peak RSS during 1 / 2 (MiB)",
                         std::to_string(m_ingestPeakMiB) + " / " + std::to_string(memory.peakMiB()),
                         "data: " + format("%.0f MiB", double(m_rows) * 16 / 1048576), "", "flat"});
    }

    void legacy()
    {
        auto channel = grpc::CreateChannel(m_server.address().toStdString(), grpc::InsecureChannelCredentials());
        auto stub = meterusage::MeterUsage::NewStub(channel);
        grpc::ClientContext context;
        meterusage::AllRecordsRequest request;
        const auto started = Clock::now();
        auto reader = stub->GetAllRecords(&context, request);
        meterusage::AllRecordsResponse record;
        std::uint64_t rows = 0;
        while (reader->Read(&record))
            ++rows;
        const double elapsed = seconds(started);
        if (!reader->Finish().ok() || rows != m_rows)
            die("GetAllRecords failed");
        bench::printRow({"3. legacy GetAllRecords (rows/s)", format("%.0f", double(rows) / elapsed),
                         "Query " + format("%.0f", double(m_rows) / m_rawSeconds),
                         format("%.1fx", elapsed / m_rawSeconds), ">= 10x for Query"});
    }

    void downsample()
    {
        // A short query: the median of five runs.
        std::vector<double> runs;
        std::uint64_t points = 0;
        for (int run = 0; run < 5; ++run) {
            double seconds = 0;
            points = queryPoints(2000, seconds);
            runs.push_back(seconds);
        }
        std::sort(runs.begin(), runs.end());
        const double elapsed = runs[2];
        bench::printRow({"4. Query max_points=2000, median of 5 (ms, points)",
                         format("%.0f ms", elapsed * 1000) + ", " + std::to_string(points),
                         "raw range " + format("%.0f ms", m_rawSeconds * 1000), format("%.1fx", m_rawSeconds / elapsed),
                         ">= 20x, <= 8000 points"});
    }

    void subscribeLatency()
    {
        if (m_subscribeImports <= 0)
            return;
        client::Client subscriber(test::connectionTo(m_server.address()));
        client::Cancellation cancellation;
        std::mutex mutex;
        std::vector<Clock::time_point> received;
        // The series must exist before subscribing to it.
        std::istringstream first("time,live\n2000-01-01 00:00:00,0\n");
        m_client->importStream(first, "live.csv", 0, {});
        std::atomic<bool> caughtUp{false};
        std::thread listener([&] {
            v1::SubscribeRequest request;
            request.set_series("live");
            try {
                subscriber.subscribe(
                    request,
                    [&](const v1::SubscribeResponse &message) {
                        if (message.caught_up())
                            caughtUp = true;
                        std::lock_guard lock(mutex);
                        for (int i = 0; i < message.points().time_us_size(); ++i)
                            received.push_back(Clock::now());
                        return true;
                    },
                    &cancellation);
            } catch (const client::ClientError &) {
            }
        });
        for (int waited = 0; !caughtUp && waited < 1000; ++waited)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!caughtUp)
            die("the subscription did not catch up");
        std::vector<Clock::time_point> committed;
        for (int i = 1; i <= m_subscribeImports; ++i) {
            std::istringstream one(
                "time,live\n"
                + timeutil::formatIso(946684800LL * timeutil::kMicrosPerSecond + i * timeutil::kMicrosPerSecond)
                + ",1\n");
            m_client->importStream(one, "live.csv", 0, {});
            committed.push_back(Clock::now());
        }
        for (int waited = 0; waited < 100; ++waited) {
            std::lock_guard lock(mutex);
            if (received.size() >= committed.size())
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        cancellation.cancel();
        listener.join();
        if (received.size() != committed.size())
            die(QString("the subscriber saw %1 of %2 imports").arg(received.size()).arg(committed.size()));
        std::vector<double> latencies;
        for (std::size_t i = 0; i < committed.size(); ++i)
            latencies.push_back(
                std::max(0.0, std::chrono::duration<double, std::milli>(received[i] - committed[i]).count()));
        std::sort(latencies.begin(), latencies.end());
        const double p50 = latencies[latencies.size() / 2];
        const double p99 = latencies[latencies.size() * 99 / 100];
        bench::printRow({"5. Subscribe latency, commit to client (ms)",
                         format("p50 %.1f", p50) + format(", p99 %.1f", p99),
                         std::to_string(m_subscribeImports) + " imports", "", "p99 <= 100 ms"});
    }

    // The app's chart: meterscope-bench-app against this server, with the
    // first 10,000 points of the same data as its baseline. Its rows go
    // into the table.
    void app()
    {
        test::GeneratedCsv generated("small", 10000);
        std::istream small(&generated);
        m_client->importStream(small, "small.csv", 0, {});
        QProcess bench;
        bench.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        bench.start(test::ServerProcess::binary("tests/bench/meterscope-bench-app"),
                    {"--server", m_server.address(), "--series", "meterusage", "--small-series", "small"});
        bench.waitForFinished(-1);
        const QByteArray rows = bench.readAllStandardOutput();
        std::fwrite(rows.constData(), 1, std::size_t(rows.size()), stdout);
        if (bench.exitStatus() != QProcess::NormalExit || bench.exitCode() != 0)
            die("meterscope-bench-app failed");
    }

    std::uint64_t m_rows;
    int m_subscribeImports;
    test::TestDir m_dir;
    test::TestCluster m_cluster;
    bench::BenchCluster m_db{m_cluster};
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
    QString m_csv;
    std::uint64_t m_bytes = 0;
    double m_rawSeconds = 0;
    qint64 m_ingestPeakMiB = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("End-to-end Meterscope benchmarks with same-run baselines.");
    parser.addHelpOption();
    const QCommandLineOption rows("rows", "Rows in the generated CSV (default 10000000).", "N", "10000000");
    const QCommandLineOption imports("subscribe-imports", "Small imports for the live latency (default 1000).", "N",
                                     "1000");
    parser.addOptions({rows, imports});
    parser.process(app);
    Bench bench(parser.value(rows).toULongLong(), parser.value(imports).toInt());
    bench.run();
    return 0;
}
