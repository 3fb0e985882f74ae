// meterscope-bench-aggregate (#16): totals by day in Europe/Dublin through
// the Aggregate RPC, against the equivalent SQL through psql in the same
// run on the same database (date_trunc in the zone, count, sum, min, max,
// avg per series and day):
// - a year of half-hourly readings from many meters (long format, 17.5M
//   readings for 1,000 meters), all series in one call;
// - one series of 1-second readings (10M).
// Each measure is the median of three runs, the two sides taking turns.
//
//   build/tests/bench/meterscope-bench-aggregate [--meters M] [--seconds N]
#include "bench_cluster.h"
#include "bench_table.h"
#include "client/client.h"
#include "support/bench_tools.h"
#include "support/clients.h"
#include "support/meter_data.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace meterscope;

namespace {

using bench::format;
using test::die;

constexpr int kRuns = 3;

class Bench {
public:
    Bench(int meters, std::uint64_t seconds)
        : m_meters(meters)
        , m_seconds(seconds)
    {
    }

    void run()
    {
        if (!m_cluster.start())
            die(m_cluster.error());
        std::printf("PostgreSQL in %s\n\n", m_cluster.cluster().pgdata().c_str());
        bench::printHeader();
        const QString meters = m_dir.filePath("meters.csv"), dense = m_dir.filePath("dense.csv");
        if (test::writeMeterFile(meters, {m_meters, 1800, 17'520}, test::MeterLayout::Long) == 0
            || test::writeMeterFile(dense, {1, 1, m_seconds}, test::MeterLayout::OneSeries) == 0)
            die("cannot write the files into " + m_dir.path());
        compare("meters", meters, format("Aggregate by day, %.0f meters x a year at 30 min", m_meters),
                "SELECT series_id, date_trunc('day', time, 'Europe/Dublin') AS day, count(*), sum(value), "
                "min(value), max(value), avg(value) FROM points GROUP BY 1, 2");
        compare("dense", dense, format("Aggregate by day, %.0f readings at 1 s", double(m_seconds)),
                "SELECT date_trunc('day', time, 'Europe/Dublin') AS day, count(*), sum(value), min(value), "
                "max(value), avg(value) FROM points WHERE series_id = (SELECT min(id) FROM series) GROUP BY 1");
    }

private:
    // Imports `file` into a database of its own, then totals every series
    // of it by day through Aggregate and through `sql`.
    void compare(const std::string &database, const QString &file, const std::string &name, const QString &sql)
    {
        m_db.psql("meterscope", QString::fromStdString("CREATE DATABASE " + database));
        test::ServerProcess server;
        m_db.startServer(server, database);
        bench::BenchCluster::importWithCli(server, {file});
        m_db.psql(database, "VACUUM ANALYZE");
        const auto client = test::clientFor(server.address());
        v1::AggregateRequest request;
        for (const v1::Series &series : client->listSeries())
            request.add_series(series.name());
        request.set_by(v1::PERIOD_DAY);
        request.set_timezone("Europe/Dublin");
        std::vector<double> ours, theirs;
        std::size_t buckets = 0;
        for (int run = 0; run < kRuns; ++run) {
            const auto started = bench::Clock::now();
            buckets = 0;
            for (const v1::AggregateResponse &answer : client->aggregate(request))
                buckets += std::size_t(answer.buckets_size());
            ours.push_back(bench::seconds(started));
            theirs.push_back(m_db.psql(database, sql));
        }
        server.terminate();
        m_db.psql("meterscope", QString::fromStdString("DROP DATABASE " + database));
        std::sort(ours.begin(), ours.end());
        std::sort(theirs.begin(), theirs.end());
        const double median = ours[kRuns / 2], baseline = theirs[kRuns / 2];
        bench::printRow({name, format("%.0f ms", median * 1000) + format(", %.0f buckets", double(buckets)),
                         "psql SQL " + format("%.0f ms", baseline * 1000), format("%.2fx", median / baseline),
                         "<= 1.2x, < 1 s"});
    }

    int m_meters;
    std::uint64_t m_seconds;
    test::TestDir m_dir;
    test::TestCluster m_cluster;
    bench::BenchCluster m_db{m_cluster};
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription("Aggregate by day against the same SQL through psql, same run (#16).");
    parser.addHelpOption();
    const QCommandLineOption meters("meters", "Meters with a year of half-hours each (default 1000).", "M", "1000");
    const QCommandLineOption seconds("seconds", "Readings of the 1-second series (default 10000000).", "N", "10000000");
    parser.addOptions({meters, seconds});
    parser.process(app);
    Bench(parser.value(meters).toInt(), parser.value(seconds).toULongLong()).run();
    return 0;
}
