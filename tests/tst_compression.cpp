// #13: --compress-after on a TimescaleDB hypertable: old chunks are
// compressed by the server, every read path sees them unchanged, and an
// import over them works at any size with an exact report.
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include "meterusage/meterusage.grpc.pb.h"

#include <QTest>

#include <grpcpp/grpcpp.h>

#include <istream>

using namespace meterscope;

namespace {

// What a user can read of one series, by every API that reads points.
struct Readings {
    test::Points query;
    test::Points chart; // max_points = 200: read from the summary cells
    test::Points subscribe;
    std::vector<std::pair<std::int64_t, float>> legacy;
};

Readings readEverything(const QString &address, const std::string &series)
{
    Readings out;
    auto client = test::clientFor(address);
    out.query = test::queryPoints(*client, series);
    v1::QueryRequest chart;
    chart.set_series(series);
    chart.set_max_points(200);
    out.chart = test::queryPoints(*client, chart);
    v1::SubscribeRequest request;
    request.set_series(series);
    request.set_since_time_us(0);
    client->subscribe(request, [&](const v1::SubscribeResponse &message) {
        out.subscribe.times.insert(out.subscribe.times.end(), message.points().time_us().begin(),
                                   message.points().time_us().end());
        out.subscribe.values.insert(out.subscribe.values.end(), message.points().value().begin(),
                                    message.points().value().end());
        return !message.caught_up();
    });
    auto legacy = meterusage::MeterUsage::NewStub(
        grpc::CreateChannel(address.toStdString(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    auto reader = legacy->GetAllRecords(&context, meterusage::AllRecordsRequest());
    meterusage::AllRecordsResponse record;
    while (reader->Read(&record))
        out.legacy.emplace_back(record.time().seconds(), record.meterusage());
    if (!reader->Finish().ok())
        out.legacy.clear();
    return out;
}

} // namespace

class TestCompression : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void oldChunksCompressedAndReadUnchanged();
    void millionRowReimportOverCompressedChunks();

private:
    QStringList serverArguments() const
    {
        return {"--database",       QString::fromStdString(m_cluster.uri()),
                "--listen",         "127.0.0.1:0",
                "--storage",        "timescaledb",
                "--compress-after", "30d"};
    }
    std::string uncompressedOldChunks() const
    {
        return m_cluster.scalar("SELECT count(*) FROM timescaledb_information.chunks "
                                "WHERE hypertable_name IN ('points', 'rollups') AND range_end < now() - interval '30 "
                                "days' AND NOT is_compressed");
    }

    test::TestCluster m_cluster{test::preloadTimescaledb()};
};

void TestCompression::initTestCase()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
}

void TestCompression::oldChunksCompressedAndReadUnchanged()
{
    Readings before;
    {
        test::ServerProcess server;
        QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                               "--storage", "timescaledb", "--import", test::sampleCsv()}),
                 qPrintable(server.log()));
        before = readEverything(server.address(), "meterusage");
        QCOMPARE(server.terminate(), 0);
    }
    QCOMPARE(before.query.times.size(), std::size_t(2974));
    QCOMPARE(before.legacy.size(), std::size_t(2974));
    QVERIFY(uncompressedOldChunks() != "0");

    test::ServerProcess server;
    QVERIFY2(server.start(serverArguments()), qPrintable(server.log()));
    QTRY_COMPARE_WITH_TIMEOUT(uncompressedOldChunks(), std::string("0"), 60000);
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("compression: compressed "), 10000);
    // The sample's January 2019 lies in compressed chunks now.
    QVERIFY(m_cluster.scalar("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'points' "
                             "AND is_compressed AND range_start < '2019-02-01'")
            != "0");
    const Readings after = readEverything(server.address(), "meterusage");
    QCOMPARE(after.query.times, before.query.times);
    QCOMPARE(after.query.values, before.query.values);
    QVERIFY(after.chart.times.size() < before.query.times.size());
    QCOMPARE(after.chart.times, before.chart.times);
    QCOMPARE(after.chart.values, before.chart.values);
    QCOMPARE(after.subscribe.times, before.query.times);
    QCOMPARE(after.subscribe.values, before.query.values);
    QCOMPARE(after.legacy, before.legacy);
    QCOMPARE(server.terminate(), 0);
}

void TestCompression::millionRowReimportOverCompressedChunks()
{
    // One reading a second from 2020-01-01: 1,000,000 rows in compressed
    // chunks, then 1,200,000 with one more decimal: 900,000 values change,
    // the 100,000 whose new decimal is 0 do not, 200,000 rows are new.
    test::ServerProcess server;
    QVERIFY2(server.start(serverArguments()), qPrintable(server.log()));
    auto client = test::clientFor(server.address());
    {
        test::GeneratedCsv csv("bulk", 1'000'000);
        std::istream in(&csv);
        QCOMPARE(client->importStream(in, "bulk.csv", csv.size(), {}).rows_new(), 1'000'000u);
    }
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(server.start(serverArguments()), qPrintable(server.log()));
    QTRY_COMPARE_WITH_TIMEOUT(uncompressedOldChunks(), std::string("0"), 120000);
    QVERIFY(m_cluster.scalar("SELECT count(*) FROM timescaledb_information.chunks WHERE hypertable_name = 'points' "
                             "AND is_compressed AND range_start < '2020-01-13' AND range_end > '2020-01-01'")
            != "0");

    client = test::clientFor(server.address());
    test::GeneratedCsv csv("bulk", 1'200'000, 3);
    std::istream in(&csv);
    const v1::ImportReport report = client->importStream(in, "bulk.csv", csv.size(), {});
    QCOMPARE(report.rows_read(), 1'200'000u);
    QCOMPARE(report.rows_new(), 200'000u);
    QCOMPARE(report.rows_updated(), 900'000u);
    QCOMPARE(report.rows_unchanged(), 100'000u);

    const test::Points points = test::queryPoints(*client, "bulk");
    QCOMPARE(points.times.size(), std::size_t(1'200'000));
    for (std::size_t i = 0; i < points.times.size(); ++i) {
        if (points.times[i] != csv.timeAt(i) || points.values[i] != csv.valueAt(i))
            QFAIL(qPrintable(
                QString("point %1 reads back as %2 = %3").arg(i).arg(points.times[i]).arg(points.values[i])));
    }
    // The summary cells were rebuilt over compressed chunks too: each width
    // counts every point once.
    QCOMPARE(
        m_cluster.scalar("SELECT string_agg(DISTINCT total::text, ',') FROM (SELECT width, sum(points) AS total "
                         "FROM rollups JOIN series ON series.id = series_id WHERE name = 'bulk' GROUP BY width) t"),
        std::string("1200000"));

    // #14: deleting 300,000 of them from compressed chunks, atomically, the
    // cells kept right.
    v1::DeleteSeriesRequest remove;
    remove.set_series("bulk");
    remove.set_start_time_us(csv.timeAt(100'000));
    remove.set_end_time_us(csv.timeAt(400'000));
    QCOMPARE(client->deleteSeries(remove).points_deleted(), 300'000);
    QCOMPARE(test::storedPoints(m_cluster, "bulk"), std::int64_t(900'000));
    QCOMPARE(test::wrongCells(m_cluster), std::int64_t(0));
    QCOMPARE(server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestCompression)
#include "tst_compression.moc"
