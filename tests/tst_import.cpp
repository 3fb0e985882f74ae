// The Import RPC against a real server and cluster: atomicity under cancel,
// idempotence, import id replay, dry run, limits, and a >= 1 GB stream with
// flat memory on both sides.
#include "client/client.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QFile>
#include <QTest>

#include <algorithm>

#include <istream>
#include <sstream>
#include <thread>

using namespace meterscope;

using test::importText;

class TestImport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sampleTwiceIsIdempotent();
    void importIdIsReplayed();
    void dryRunStoresNothing();
    void dryRunSample();
    void reportCountsAddUp();
    void notCsvIsRefusedAtOnce();
    void cancelMidUploadStoresNothing();
    void concurrentImportsOfOneSeries();
    void sizeLimit();
    void gigabyteStreamWithFlatMemory();

private:
    std::int64_t stored(const std::string &series) { return test::storedPoints(m_cluster, series); }

    test::TestCluster m_cluster;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
};

void TestImport::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
}

void TestImport::sampleTwiceIsIdempotent()
{
    const v1::ImportReport first = m_client->importFile(test::sampleCsv().toStdString(), {});
    QCOMPARE(first.rows_read(), 2975u);
    QCOMPARE(first.rows_imported(), 2974u);
    QCOMPARE(first.rows_new(), 2974u);
    QCOMPARE(first.rows_missing(), 1u);
    QCOMPARE(first.missing(0).line(), 1548u);
    QCOMPARE(first.series(0).name(), std::string("meterusage"));
    QCOMPARE(first.series(0).points(), 2974);

    const v1::ImportReport second = m_client->importFile(test::sampleCsv().toStdString(), {});
    QCOMPARE(second.rows_new(), 0u);
    QCOMPARE(second.rows_updated(), 0u);
    QCOMPARE(second.rows_unchanged(), 2974u);
    QCOMPARE(stored("meterusage"), 2974);
}

void TestImport::importIdIsReplayed()
{
    client::ImportSettings settings;
    settings.importId = "retry-me";
    const std::string csv = "time,replay\n2020-01-01 00:00:00,1\n2020-01-01 00:01:00,2\n";
    const v1::ImportReport first = importText(*m_client, csv, "r.csv", settings);
    QVERIFY(!first.replayed());
    QCOMPARE(first.rows_new(), 2u);
    // The same upload again (a client retrying after a lost answer).
    const v1::ImportReport again = importText(*m_client, csv, "r.csv", settings);
    QVERIFY(again.replayed());
    QCOMPARE(again.rows_new(), 2u);
    QCOMPARE(stored("replay"), 2);
    // Different bytes under the same id are refused, not imported (#20).
    try {
        importText(*m_client, "time,replay\n2020-01-02 00:00:00,9\n", "r.csv", settings);
        QFAIL("other content under a used import id was accepted");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::ALREADY_EXISTS);
    }
    QCOMPARE(stored("replay"), 2);
}

void TestImport::dryRunStoresNothing()
{
    client::ImportSettings dry;
    dry.dryRun = true;
    const std::string csv = "time,dry\n2020-01-01 00:00:00,1\n2020-01-01 00:01:00,oops\n2020-01-01 00:02:00,NaN\n";
    const v1::ImportReport report = importText(*m_client, csv, "dry.csv", dry);
    QVERIFY(report.dry_run());
    QCOMPARE(report.rows_new(), 1u);
    QCOMPARE(report.rows_rejected(), 1u);
    QCOMPARE(report.rejected(0).line(), 3u);
    QCOMPARE(report.rows_missing(), 1u);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'dry'"), std::string("0"));
    // The real import reports exactly what the dry run said.
    const v1::ImportReport real = importText(*m_client, csv, "dry.csv");
    QCOMPARE(real.rows_new(), report.rows_new());
    QCOMPARE(real.rows_rejected(), report.rows_rejected());
    QCOMPARE(stored("dry"), 1);
}

// The app's import preview: a dry run carries the first records as the
// reader split them and the readings read from them (#14).
void TestImport::dryRunSample()
{
    client::ImportSettings dry;
    dry.dryRun = true;
    dry.sampleRecords = 3;
    const std::string csv = "Account,42\nmeter;time;kWh\nm1;2020-01-01 00:00:00;1\nm2;2020-01-01 00:00:00;x\n"
                            "m1;2020-01-01 00:15:00;3\n";
    dry.delimiter = ";";
    dry.columnRoles.set_series_column("meter");
    const v1::ImportReport report = importText(*m_client, csv, "sample.csv", dry);
    QCOMPARE(report.sample_records_size(), 3);
    QCOMPARE(report.sample_records(0).line(), 1u);
    QCOMPARE(report.sample_records(0).cells_size(), 1);
    QCOMPARE(report.sample_records(0).cells(0), std::string("Account,42"));
    QCOMPARE(report.sample_records(1).cells(2), std::string("kWh"));
    QCOMPARE(report.sample_records(2).line(), 3u);
    // Only the readings of the sampled lines; line 4's bad cell is in `rejected`.
    QCOMPARE(report.sample_readings_size(), 1);
    QCOMPARE(report.sample_readings(0).line(), 3u);
    QCOMPARE(report.sample_readings(0).series(), std::string("m1"));
    QCOMPARE(report.sample_readings(0).time_us(), 1577836800000000LL);
    QCOMPARE(report.sample_readings(0).value(), 1.0);
    QCOMPARE(report.rejected(0).line(), 4u);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'm1'"), std::string("0"));

    // A sample is for dry runs only, and bounded.
    client::ImportSettings wrong;
    wrong.sampleRecords = 3;
    for (const bool dryRun : {false, true}) {
        wrong.dryRun = dryRun;
        if (dryRun)
            wrong.sampleRecords = 101;
        try {
            importText(*m_client, csv, "sample.csv", wrong);
            QFAIL("a bad sample_records was accepted");
        } catch (const client::ClientError &e) {
            QCOMPARE(e.code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(std::string(e.what()).find("sample_records") != std::string::npos, e.what());
        }
    }
    // Without the option, no sample.
    dry.sampleRecords = 0;
    QCOMPARE(importText(*m_client, csv, "sample.csv", dry).sample_records_size(), 0);
}

void TestImport::reportCountsAddUp()
{
    const std::string csv = "time,a,b\n"
                            "2020-03-01 00:00:00,1,2\n"
                            "2020-03-01 00:01:00,NaN,3\n"
                            "2020-03-01 00:02:00,abc,4\n"
                            "2020-02-30 00:03:00,5,6\n"
                            "2020-03-01 00:00:00,7,8\n";
    const v1::ImportReport r = importText(*m_client, csv, "wide.csv");
    QCOMPARE(r.rows_read(), 10u);
    QCOMPARE(r.rows_read(), r.rows_imported() + r.rows_missing() + r.rows_rejected() + r.rows_duplicate());
    QCOMPARE(r.rows_duplicate(), 2u);
    QCOMPARE(r.warnings_total(), 2u);
    QCOMPARE(r.warnings(0).line(), 6u);
    QVERIFY2(r.warnings(0).reason().find("line 2") != std::string::npos, r.warnings(0).reason().c_str());
    QCOMPARE(r.series_size(), 2);
    QCOMPARE(stored("a"), 1);
    QCOMPARE(stored("b"), 3);
    QCOMPARE(m_cluster.scalar("SELECT value FROM points p JOIN series s ON s.id = p.series_id WHERE s.name = 'a' "
                              "AND time = '2020-03-01T00:00:00Z'"),
             std::string("7"));
}

void TestImport::notCsvIsRefusedAtOnce()
{
    try {
        importText(*m_client, std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "picture.png");
        QFAIL("a PNG was accepted");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(std::string(e.what()).find("not a CSV text file") != std::string::npos, e.what());
    }
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'picture'"), std::string("0"));
}

void TestImport::cancelMidUploadStoresNothing()
{
    test::GeneratedCsv generated("cancelled", 5'000'000);
    std::istream in(&generated);
    client::Cancellation cancellation;
    std::uint64_t rowsSeen = 0;
    try {
        m_client->importStream(
            in, "big.csv", generated.size(), {},
            [&](const client::ImportProgress &p) {
                rowsSeen = p.server.rows_read();
                if (rowsSeen > 200000)
                    cancellation.cancel();
            },
            &cancellation);
        QFAIL("the import was not cancelled");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::CANCELLED);
    }
    QVERIFY(rowsSeen > 200000);
    // The server frees the import at once: no transaction stays open.
    QTRY_COMPARE_WITH_TIMEOUT(test::busyBackends(m_cluster), 0, 10000);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'cancelled'"), std::string("0"));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM points WHERE time >= '2020-01-01' AND time < '2020-02-01' AND "
                              "series_id NOT IN (SELECT id FROM series WHERE name IN ('replay', 'dry'))"),
             std::string("0"));
}

void TestImport::concurrentImportsOfOneSeries()
{
    std::vector<std::thread> threads;
    std::vector<v1::ImportReport> reports(4);
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            auto client = test::clientFor(m_server.address());
            std::string csv = "time,shared\n";
            for (int minute = 0; minute < 50; ++minute)
                csv += "2021-01-01 0" + std::to_string(i) + ":" + (minute < 10 ? "0" : "") + std::to_string(minute)
                       + ":00," + std::to_string(minute) + "\n";
            reports[std::size_t(i)] = importText(*client, csv, "part.csv");
        });
    }
    for (std::thread &t : threads)
        t.join();
    for (const v1::ImportReport &r : reports)
        QCOMPARE(r.rows_new(), 50u);
    QCOMPARE(stored("shared"), 200);
    QCOMPARE(m_cluster.scalar("SELECT point_count FROM series WHERE name = 'shared'"), std::string("200"));
}

void TestImport::sizeLimit()
{
    test::ServerProcess limited;
    QVERIFY2(limited.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                            "--max-import-size", "10K"}),
             qPrintable(limited.log()));
    auto client = test::clientFor(limited.address());
    try {
        client->importFile(test::sampleCsv().toStdString(), {});
        QFAIL("an import over the limit was accepted");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QVERIFY2(std::string(e.what()).find("10240 bytes") != std::string::npos, e.what());
    }
    // Small files still go through.
    QCOMPARE(importText(*client, "time,small\n2020-01-01 00:00:00,1\n", "small.csv").rows_new(), 1u);
}

void TestImport::gigabyteStreamWithFlatMemory()
{
    // Long values make a gigabyte of about ten million rows.
    test::GeneratedCsv generated("gigabyte", 10'500'000, 76);
    QVERIFY(generated.size() >= 1'000'000'000u);
    std::istream in(&generated);
    // The server reports every 250 ms; how many reports a gigabyte gets
    // depends on the machine's speed, so only their order is checked.
    std::vector<std::uint64_t> progress;
    const v1::ImportReport report
        = m_client->importStream(in, "gigabyte.csv", generated.size(), {}, [&](const client::ImportProgress &p) {
              progress.push_back(p.server.bytes_processed());
          });
    QCOMPARE(report.rows_new(), generated.rows());
    QCOMPARE(report.bytes_read(), generated.size());
    QCOMPARE(stored("gigabyte"), std::int64_t(generated.rows()));
    QVERIFY(progress.size() >= 2);
    QVERIFY(std::is_sorted(progress.begin(), progress.end()));
    QVERIFY(progress.back() <= generated.size() && progress.back() > progress.front());
    // Neither side held the file: both peaks stay far below its size.
    const qint64 serverPeak = m_server.peakMemoryKiB();
    const qint64 clientPeak = test::memoryKiB(0, "VmHWM");
    qInfo("peak memory for a %llu MB import: server %lld MiB, client %lld MiB",
          static_cast<unsigned long long>(generated.size() >> 20), serverPeak >> 10, clientPeak >> 10);
    if (test::kSanitized)
        QSKIP("memory figures mean nothing under AddressSanitizer");
    QVERIFY2(serverPeak > 0 && serverPeak < 200 * 1024, qPrintable(QString::number(serverPeak)));
    QVERIFY2(clientPeak > 0 && clientPeak < 200 * 1024, qPrintable(QString::number(clientPeak)));
}

QTEST_GUILESS_MAIN(TestImport)
#include "tst_import.moc"
