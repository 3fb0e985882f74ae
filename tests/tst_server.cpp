// meterscoped end to end: a real process with its embedded cluster and the
// sample imported, queried over loopback gRPC from C++ and from Python.
#include "client/client.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "time/instant.h"

#include <QProcess>
#include <QTest>

#include <csignal>
#include <fstream>

using namespace meterscope;

namespace {

timeutil::Micros at(const char *iso)
{
    return *timeutil::parseInstant(iso, timeutil::Zone(), nullptr);
}

struct Points {
    std::vector<timeutil::Micros> times;
    std::vector<double> values;
};

Points queryAll(client::Client &client, const std::string &series)
{
    Points points;
    v1::QueryRequest request;
    request.set_series(series);
    client.query(request, [&](const v1::PointBatch &batch) {
        points.times.insert(points.times.end(), batch.time_us().begin(), batch.time_us().end());
        points.values.insert(points.values.end(), batch.value().begin(), batch.value().end());
        return true;
    });
    return points;
}

pid_t postmasterPid(const QString &dataDir)
{
    std::ifstream in((dataDir + "/postgres/postmaster.pid").toStdString());
    pid_t pid = 0;
    in >> pid;
    return pid;
}

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
    QCOMPARE(series[0].first_time_us(), at("2019-01-01T00:15:00Z"));
    QCOMPARE(series[0].last_time_us(), at("2019-01-31T23:45:00Z"));
}

void TestServer::queryReturnsTheSample()
{
    const Points points = queryAll(*m_client, "meterusage");
    QCOMPARE(points.times.size(), 2974u);
    QCOMPARE(points.times.front(), at("2019-01-01T00:15:00Z"));
    QCOMPARE(points.values.front(), 55.09);
    QCOMPARE(points.times.back(), at("2019-01-31T23:45:00Z"));
    QCOMPARE(points.values.back(), 54.36);
    QVERIFY(std::is_sorted(points.times.begin(), points.times.end()));
    // The NaN reading on line 1548 was skipped, not stored.
    QVERIFY(std::find(points.times.begin(), points.times.end(), at("2019-01-17T02:45:00Z")) == points.times.end());
    QVERIFY(std::find(points.times.begin(), points.times.end(), at("2019-01-17T02:30:00Z")) != points.times.end());

    // An unknown series is NOT_FOUND, with its name.
    try {
        queryAll(*m_client, "nope");
        QFAIL("expected NOT_FOUND");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::NOT_FOUND);
        QVERIFY(std::string(e.what()).find("nope") != std::string::npos);
    }
}

void TestServer::healthAndReflection()
{
    auto channel = grpc::CreateChannel(m_server.address().toStdString(), grpc::InsecureChannelCredentials());
    auto health = grpc::health::v1::Health::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    grpc::health::v1::HealthCheckResponse response;
    QVERIFY(health->Check(&context, {}, &response).ok());
    QCOMPARE(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);

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
    QCOMPARE(queryAll(*m_client, "meterusage").times.size(), 2974u);
}

void TestServer::survivesKill9()
{
    const pid_t postmaster = postmasterPid(m_dir.filePath("data"));
    QVERIFY(postmaster > 0);
    m_server.kill();
    // The cluster does not outlive its server.
    QVERIFY2(gone(postmaster, 30000), "PostgreSQL kept running after meterscoped was killed");
    QVERIFY2(m_server.start(arguments()), qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
    QCOMPARE(m_client->listSeries().at(0).points(), 2974);
    QCOMPARE(queryAll(*m_client, "meterusage").times.size(), 2974u);
}

void TestServer::sigtermStopsEverything()
{
    const pid_t postmaster = postmasterPid(m_dir.filePath("data"));
    QCOMPARE(m_server.terminate(), 0);
    QVERIFY(gone(postmaster, 10000));
    QVERIFY(!QFile::exists(m_dir.filePath("data/postgres/postmaster.pid")));
    QVERIFY2(m_server.log().contains("meterscoped stopped"), qPrintable(m_server.log()));
}

QTEST_GUILESS_MAIN(TestServer)
#include "tst_server.moc"
