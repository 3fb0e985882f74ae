// meterscope-cli's analytics end to end (#16): totals in each format and
// export --by, gaps and their threshold, against a real server.
#include "meterusage/meterusage.grpc.pb.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QTest>

#include <grpcpp/grpcpp.h>

using namespace meterscope;

namespace {

using Result = test::CliResult;

} // namespace

class TestCliTotals : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void totalsInEachFormat();
    void gapsAndTheirThreshold();
    void olderServerSaysSo();

private:
    Result cli(const QStringList &arguments) { return test::runCli(arguments, m_server.address()); }
    QString write(const QString &name, const QByteArray &content)
    {
        return test::writeFile(m_dir.filePath(name), content);
    }
    QJsonObject storedSeries(const QString &name) { return test::listedSeries(m_server.address(), name); }

    test::TestDir m_dir;
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
};

void TestCliTotals::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
}

void TestCliTotals::totalsInEachFormat()
{
    // Dublin's spring day: 23 hours of a quarter kWh every 15 minutes.
    QByteArray csv = "time,spring (kWh)\n";
    for (int i = 0; i < 92; ++i)
        csv += QByteArray::fromStdString(timeutil::formatIso(test::at("2021-03-28T00:00:00Z") + i * 15 * 60'000'000LL))
               + ",0.25\n";
    QCOMPARE(cli({"import", write("spring.csv", csv)}).exitCode, 0);
    QCOMPARE(storedSeries("spring")["kind"].toString(), QString("interval"));
    QCOMPARE(storedSeries("spring")["unit"].toString(), QString("kWh"));
    const QStringList totals{"totals",     "--series",      "spring",  "--by", "day",
                             "--timezone", "Europe/Dublin", "--price", "0.5"};
    Result r = cli(totals + QStringList{"--format", "json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out),
             QString("{\"2021-03-28T00:00:00+00:00\": {\"total\": 23, \"min\": 0.25, \"max\": 0.25, \"mean\": 0.25, "
                     "\"count\": 92, \"expected\": 92, \"resets\": 0, \"cost\": 11.5}}\n"));
    r = cli(totals + QStringList{"--format", "csv"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out), QString("series,start,end,total,min,max,mean,count,expected,resets,cost\n"
                                               "\"spring\",2021-03-28T00:00:00+00:00,2021-03-29T00:00:00+01:00,23,"
                                               "0.25,0.25,0.25,92,92,0,11.5\n"));
    r = cli(totals);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("spring (interval, kWh, every 15 min)\n"), r.out.constData());
    QVERIFY2(r.out.contains("2021-03-28T00:00:00+00:00"), r.out.constData());
    // export writes the totals in the prototype's shape, and as CSV that
    // imports back.
    r = cli({"export", "--series", "spring", "--by", "day", "--timezone", "Europe/Dublin", "--format", "json"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out), QString("{\n  \"2021-03-28T00:00:00+00:00\": 23\n}\n"));
    r = cli({"export", "--series", "spring", "--by", "hour", "--from", "2021-03-28T01:00:00Z", "--to",
             "2021-03-28T03:00:00Z"});
    QCOMPARE(QString::fromUtf8(r.out), QString("time,spring\n2021-03-28T01:00:00Z,1\n2021-03-28T02:00:00Z,1\n"));
    r = cli({"totals", "--series", "autumn", "--by", "day"});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no series named 'autumn'"), qPrintable(r.err));
}

void TestCliTotals::gapsAndTheirThreshold()
{
    // Every 15 minutes for two hours, 00:45 missing, and 01:30 to 02:00.
    const QString file = write("gappy.csv", "time,gappy\n2024-05-01T00:00:00Z,1\n2024-05-01T00:15:00Z,1\n"
                                            "2024-05-01T00:30:00Z,1\n2024-05-01T01:00:00Z,1\n"
                                            "2024-05-01T01:15:00Z,1\n2024-05-01T02:15:00Z,1\n");
    QCOMPARE(cli({"import", file}).exitCode, 0);
    Result r = cli({"gaps", "--series", "gappy"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out),
             QString("gappy: 6 of 10 readings (60.00%), every 15 min; 2 gaps (threshold 30 min)\n"
                     "  2024-05-01T00:30:00Z  ->  2024-05-01T01:00:00Z  1 missing\n"
                     "  2024-05-01T01:15:00Z  ->  2024-05-01T02:15:00Z  3 missing\n"));
    r = cli({"update", "--series", "gappy", "--gap-threshold", "45m"});
    QCOMPARE(r.exitCode, 0);
    r = cli({"gaps", "--series", "gappy", "--json"});
    QCOMPARE(QString::fromUtf8(r.out),
             QString("{\"series\": \"gappy\", \"cadence_s\": 900, \"threshold_s\": 2700, \"readings\": 6, "
                     "\"expected\": 10, \"truncated\": false, \"gaps\": [{\"last_before\": "
                     "\"2024-05-01T01:15:00Z\", \"first_after\": \"2024-05-01T02:15:00Z\", \"missing\": 3}]}\n"));
    r = cli({"update", "--series", "gappy", "--gap-threshold", "soon"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("'soon' is no duration"), qPrintable(r.err));
}

void TestCliTotals::olderServerSaysSo()
{
    // A gRPC server without MeterService (only the prototype's service,
    // unimplemented): what a server from before a call existed answers
    // (UNIMPLEMENTED, no words).
    meterusage::MeterUsage::Service prototype;
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&prototype);
    std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
    QVERIFY(server && port > 0);
    const QString address = QString("127.0.0.1:%1").arg(port);
    const Result r = test::runCli({"totals", "--series", "x", "--by", "day"}, address);
    server->Shutdown();
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("does not offer this (it is older than this client; update meterscoped)"),
             qPrintable(r.err));
}

QTEST_GUILESS_MAIN(TestCliTotals)
#include "tst_cli_totals.moc"
