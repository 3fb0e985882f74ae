// meterscoped end to end: a real process with its embedded cluster and the
// sample imported, queried over loopback gRPC from C++ and from Python.
#include "client/client.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QProcess>
#include <QTest>

#include <csignal>

using namespace meterscope;

namespace {

bool gone(pid_t pid, int timeoutMs)
{
    for (int waited = 0; waited < timeoutMs; waited += 50) {
        if (pid <= 0 || (::kill(pid, 0) != 0 && errno == ESRCH))
            return true;
        QTest::qWait(50);
    }
    return false;
}

} // namespace

class TestServer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void listSeriesShowsTheSample();
    void queryReturnsTheSample();
    void healthAndReflection();
    void seedClientWorksUnchanged();
    void restartReimportChangesNothing();
    void survivesKill9();
    void sigtermStopsEverything();

private:
    QStringList arguments() const
    {
        return {"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--import", test::sampleCsv()};
    }

    test::TestDir m_dir;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
};

void TestServer::initTestCase()
{
    METERSCOPE_SKIP_UNLESS_STORAGE_MODE();
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_server.start(arguments()), qPrintable(m_server.log()));
    // #18: the same sentence as meterscope-cli prints.
    QVERIFY2(
        m_server.log().contains("meterusage.csv: 2974 rows imported (2974 new, 0 updated, 0 unchanged), 1 missing, "
                                "0 rejected in ")
            && m_server.log().contains(":1548: missing value"),
        qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
}

void TestServer::listSeriesShowsTheSample()
{
    const std::vector<v1::Series> series = m_client->listSeries();
    QCOMPARE(series.size(), 1u);
    QCOMPARE(series[0].name(), std::string("meterusage"));
    QCOMPARE(series[0].points(), 2974);
    QCOMPARE(series[0].first_time_us(), test::at("2019-01-01T00:15:00Z"));
    QCOMPARE(series[0].last_time_us(), test::at("2019-01-31T23:45:00Z"));
}

void TestServer::queryReturnsTheSample()
{
    const test::Points points = test::queryPoints(*m_client, "meterusage");
    QCOMPARE(points.times.size(), 2974u);
    QCOMPARE(points.times.front(), test::at("2019-01-01T00:15:00Z"));
    QCOMPARE(points.values.front(), 55.09);
    QCOMPARE(points.times.back(), test::at("2019-01-31T23:45:00Z"));
    QCOMPARE(points.values.back(), 54.36);
    QVERIFY(std::is_sorted(points.times.begin(), points.times.end()));
    // The NaN reading on line 1548 was skipped, not stored.
    QVERIFY(std::find(points.times.begin(), points.times.end(), test::at("2019-01-17T02:45:00Z"))
            == points.times.end());
    QVERIFY(std::find(points.times.begin(), points.times.end(), test::at("2019-01-17T02:30:00Z"))
            != points.times.end());

    // An unknown series is NOT_FOUND, with its name.
    try {
        test::queryPoints(*m_client, "nope");
        QFAIL("expected NOT_FOUND");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::NOT_FOUND);
        QVERIFY(std::string(e.what()).find("nope") != std::string::npos);
    }
}

void TestServer::healthAndReflection()
{
    std::string error;
    QVERIFY2(test::servingStatus(m_server.address(), &error) == grpc::health::v1::HealthCheckResponse::SERVING,
             error.c_str());

    QProcess python;
    python.start("/usr/bin/python3",
                 {test::sourceDir() + "/tests/python/seed_client.py", m_server.address(), "services"});
    QVERIFY(python.waitForFinished(60000));
    const QString services = QString::fromUtf8(python.readAllStandardOutput());
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    QVERIFY2(services.contains("meterscope.v1.MeterService"), qPrintable(services));
    QVERIFY(services.contains("meterusage.MeterUsage"));
    QVERIFY(services.contains("grpc.health.v1.Health"));
}

void TestServer::seedClientWorksUnchanged()
{
    QProcess python;
    python.start("/usr/bin/python3",
                 {test::sourceDir() + "/tests/python/seed_client.py", m_server.address(), "records"});
    QVERIFY(python.waitForFinished(120000));
    QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    const QStringList lines = QString::fromUtf8(python.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2974);
    QCOMPARE(lines.first(), QString("2019-01-01T00:15:00Z 55.09000015258789"));
    QCOMPARE(lines.last(), QString("2019-01-31T23:45:00Z 54.36000061035156"));
    QStringList sorted = lines;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(sorted, lines);
}

void TestServer::restartReimportChangesNothing()
{
    QCOMPARE(m_server.terminate(), 0);
    QVERIFY2(m_server.start(arguments()), qPrintable(m_server.log()));
    QVERIFY2(m_server.log().contains("0 new, 0 updated, 2974 unchanged"), qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
    QCOMPARE(m_client->listSeries().at(0).points(), 2974);
    QCOMPARE(test::queryPoints(*m_client, "meterusage").times.size(), 2974u);
}

void TestServer::survivesKill9()
{
    const pid_t postmaster = test::postmasterPid(m_dir.filePath("data"));
    QVERIFY(postmaster > 0);
    m_server.kill();
    // The cluster does not outlive its server.
    QVERIFY2(gone(postmaster, 30000), "PostgreSQL kept running after meterscoped was killed");
    QVERIFY2(m_server.start(arguments()), qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
    QCOMPARE(m_client->listSeries().at(0).points(), 2974);
    QCOMPARE(test::queryPoints(*m_client, "meterusage").times.size(), 2974u);
}

void TestServer::sigtermStopsEverything()
{
    const pid_t postmaster = test::postmasterPid(m_dir.filePath("data"));
    QCOMPARE(m_server.terminate(), 0);
    QVERIFY(gone(postmaster, 10000));
    QVERIFY(!QFile::exists(m_dir.filePath("data/postgres/postmaster.pid")));
    QVERIFY2(m_server.log().contains("meterscoped stopped"), qPrintable(m_server.log()));
}

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
