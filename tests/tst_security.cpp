// #6 security: TLS (with and without client certificates), bearer tokens
// checked before any handler (health checks excepted), token reload on
// SIGHUP, no plaintext tokens beyond loopback unless asked, import limits,
// hostile names, and an embedded cluster reachable by its owner only.
#include "client/client.h"
#include "meterusage/meterusage.grpc.pb.h"
#include "support/certificates.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/generated_csv.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <grpcpp/grpcpp.h>

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <sstream>
#include <sys/stat.h>
#include <thread>

using namespace meterscope;

namespace {

constexpr const char *kToken = "first-secret-token";

grpc::StatusCode listCode(const client::ConnectionOptions &options)
{
    try {
        client::Client(options).listSeries();
        return grpc::StatusCode::OK;
    } catch (const client::ClientError &e) {
        return e.code();
    }
}

// Why ListSeries failed, as the client library words it ("" if it did not).
std::string listError(const client::ConnectionOptions &options)
{
    try {
        client::Client(options).listSeries();
        return {};
    } catch (const client::ClientError &e) {
        return e.what();
    }
}

// Makes one call of the RPC `kind` by hand, with `token` as the bearer
// token (none when empty), and returns how it ended. A stream counts as
// admitted once its first message arrives; an import is a dry run.
grpc::Status call(const QString &kind, const QString &address, const std::string &token)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    if (!token.empty())
        context.AddMetadata("authorization", "Bearer " + token);
    const auto stub = test::rawStub(address);
    if (kind == "ListSeries") {
        v1::ListSeriesResponse response;
        return stub->ListSeries(&context, {}, &response);
    }
    if (kind == "Query") {
        v1::QueryRequest request;
        request.set_series("meterusage");
        auto reader = stub->Query(&context, request);
        v1::PointBatch batch;
        while (reader->Read(&batch)) { }
        return reader->Finish();
    }
    if (kind == "Subscribe") {
        v1::SubscribeRequest request;
        request.set_series("meterusage");
        auto reader = stub->Subscribe(&context, request);
        v1::SubscribeResponse message;
        if (reader->Read(&message)) {
            context.TryCancel();
            while (reader->Read(&message)) { }
            reader->Finish();
            return grpc::Status::OK;
        }
        return reader->Finish();
    }
    if (kind == "Import") {
        auto stream = stub->Import(&context);
        v1::ImportRequest request;
        request.mutable_options()->set_file_name("intruder.csv");
        request.mutable_options()->set_dry_run(true);
        stream->Write(request);
        request.set_chunk("time,intruder\n2020-01-01 00:00:00,1\n");
        stream->Write(request);
        stream->WritesDone();
        v1::ImportResponse response;
        while (stream->Read(&response)) { }
        return stream->Finish();
    }
    if (kind == "GetAllRecords") {
        auto legacy = meterusage::MeterUsage::NewStub(
            grpc::CreateChannel(address.toStdString(), grpc::InsecureChannelCredentials()));
        auto reader = legacy->GetAllRecords(&context, {});
        meterusage::AllRecordsResponse record;
        while (reader->Read(&record)) { }
        return reader->Finish();
    }
    return {grpc::StatusCode::INVALID_ARGUMENT, "unknown RPC kind " + kind.toStdString()};
}

} // namespace

class TestSecurity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void everyCallNeedsAToken_data();
    void everyCallNeedsAToken();
    void seedClientNeedsAToken();
    void cliTakesTheToken();
    void healthNeedsNoToken();
    void tokensReloadOnSighup();
    void plaintextTokensBeyondLoopback();
    void tls();
    void tlsWithClientCertificates();
    void appWithTlsAndToken();
    void concurrentImportLimit();
    void hostileSeriesName();
    void embeddedClusterIsPrivate();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    void writeFile(const QString &name, const QByteArray &content) { test::writeFile(path(name), content); }
    QStringList database() const { return {"--database", QString::fromStdString(m_cluster.uri())}; }

    test::TestDir m_dir;
    test::TestCluster m_cluster;
    test::ServerProcess m_tokenServer;
};

// Every test function can run alone (tst_security <function>): what they
// share is made here and never changed by them.
void TestSecurity::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    writeFile("tokens", "# readers\nfirst-secret-token\n\n  second-secret-token  \n");
    writeFile("my-token", QByteArray(kToken) + "\n");
    QString error;
    QVERIFY2(test::makeCertificates(m_dir.path(), &error), qPrintable(error));
    QVERIFY2(m_tokenServer.start(database()
                                 + QStringList{"--listen", "127.0.0.1:0", "--token-file", path("tokens"), "--import",
                                               test::sampleCsv()}),
             qPrintable(m_tokenServer.log()));
}

void TestSecurity::everyCallNeedsAToken_data()
{
    QTest::addColumn<QString>("kind");
    for (const char *kind : {"ListSeries", "Import", "Query", "Subscribe", "GetAllRecords"})
        QTest::addRow("%s", kind) << QString(kind);
}

void TestSecurity::everyCallNeedsAToken()
{
    QFETCH(QString, kind);
    const QString address = m_tokenServer.address();
    const grpc::Status none = call(kind, address, "");
    QCOMPARE(none.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    QVERIFY2(none.error_message().find("Bearer") != std::string::npos, none.error_message().c_str());
    QCOMPARE(call(kind, address, "wrong").error_code(), grpc::StatusCode::UNAUTHENTICATED);
    for (const std::string token : {"first-secret-token", "second-secret-token"}) {
        const grpc::Status admitted = call(kind, address, token);
        QVERIFY2(admitted.ok(), admitted.error_message().c_str());
    }
    // Nothing was imported by anyone (the admitted import was a dry run).
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'intruder'"), std::string("0"));
    QVERIFY(!m_tokenServer.log().contains("secret-token"));
}

// The prototype's own Python client, which sends no token, is refused by
// the seed system's API and by reflection.
void TestSecurity::seedClientNeedsAToken()
{
    for (const char *command : {"records", "services"}) {
        QProcess python;
        python.start("/usr/bin/python3",
                     {test::sourceDir() + "/tests/python/seed_client.py", m_tokenServer.address(), command});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY(python.exitCode() != 0);
        QVERIFY2(python.readAllStandardError().contains("UNAUTHENTICATED"), command);
    }
}

// meterscope-cli takes the token from a file or the environment.
void TestSecurity::cliTakesTheToken()
{
    const QString address = m_tokenServer.address();
    QProcess cli;
    cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
              {"--server", address, "--token-file", path("my-token"), "series", "--json"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    QVERIFY(cli.readAllStandardOutput().contains("meterusage"));

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("METERSCOPE_TOKEN", kToken);
    cli.setProcessEnvironment(environment);
    cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"), {"--server", address, "series", "--json"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);

    environment.remove("METERSCOPE_TOKEN");
    cli.setProcessEnvironment(environment);
    cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"), {"--server", address, "series"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 3);
    QVERIFY(!m_tokenServer.log().contains("secret-token"));
}

void TestSecurity::healthNeedsNoToken()
{
    std::string error;
    QVERIFY2(test::servingStatus(m_tokenServer.address(), &error) == grpc::health::v1::HealthCheckResponse::SERVING,
             error.c_str());
}

void TestSecurity::tokensReloadOnSighup()
{
    writeFile("reloaded-tokens", "old-secret-token\n");
    test::ServerProcess server;
    QVERIFY2(server.start(database() + QStringList{"--listen", "127.0.0.1:0", "--token-file", path("reloaded-tokens")}),
             qPrintable(server.log()));
    const QString address = server.address();
    QCOMPARE(listCode(test::connectionTo(address, "old-secret-token")), grpc::StatusCode::OK);

    writeFile("reloaded-tokens", "rotated-secret-token\n");
    QVERIFY(server.signal(SIGHUP));
    QTRY_COMPARE_WITH_TIMEOUT(listCode(test::connectionTo(address, "rotated-secret-token")), grpc::StatusCode::OK,
                              10000);
    QCOMPARE(listCode(test::connectionTo(address, "old-secret-token")), grpc::StatusCode::UNAUTHENTICATED);
    // A broken file keeps the tokens in force.
    writeFile("reloaded-tokens", "# nothing\n");
    QVERIFY(server.signal(SIGHUP));
    QTRY_VERIFY_WITH_TIMEOUT(server.log().contains("holds no token"), 10000);
    QCOMPARE(listCode(test::connectionTo(address, "rotated-secret-token")), grpc::StatusCode::OK);
    QVERIFY(!server.log().contains("secret-token"));
}

void TestSecurity::plaintextTokensBeyondLoopback()
{
    writeFile("open-tokens", "open-secret\n");
    QString output;
    QCOMPARE(test::ServerProcess::runToExit(
                 database() + QStringList{"--listen", "0.0.0.0:0", "--token-file", path("open-tokens")}, &output),
             1);
    QVERIFY2(output.contains("refusing to accept tokens over plaintext"), qPrintable(output));

    test::ServerProcess open;
    QVERIFY2(
        open.start(database()
                   + QStringList{"--listen", "0.0.0.0:0", "--token-file", path("open-tokens"), "--allow-insecure"}),
        qPrintable(open.log()));
    const QString local = "127.0.0.1:" + open.address().section(':', -1);
    QCOMPARE(listCode(test::connectionTo(local)), grpc::StatusCode::UNAUTHENTICATED);
    QCOMPARE(listCode(test::connectionTo(local, "open-secret")), grpc::StatusCode::OK);
    QVERIFY(open.log().contains("--allow-insecure"));
}

void TestSecurity::tls()
{
    test::ServerProcess server;
    QVERIFY2(server.start(database()
                          + QStringList{"--listen", "127.0.0.1:0", "--tls-cert", path("server.pem"), "--tls-key",
                                        path("server.key")}),
             qPrintable(server.log()));
    client::ConnectionOptions secure = test::connectionTo("localhost:" + server.address().section(':', -1));
    secure.tlsCaFile = path("ca.pem").toStdString();
    QCOMPARE(listCode(secure), grpc::StatusCode::OK);
    // A plaintext client gets nowhere.
    client::ConnectionOptions plain = secure;
    plain.tlsCaFile.clear();
    plain.unaryDeadline = std::chrono::milliseconds(3000);
    QCOMPARE(listCode(plain), grpc::StatusCode::UNAVAILABLE);
    // It failed for the reason it should: the server saw no TLS at all.
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("Handshake failed")
                                  && server.log().contains("wrong version number"),
                              qPrintable(server.log()), 10000);
    // A client that does not trust the server's certificate refuses it.
    client::ConnectionOptions untrusted = plain;
    untrusted.tlsCaFile = path("client.pem").toStdString();
    QCOMPARE(listCode(untrusted), grpc::StatusCode::UNAVAILABLE);
    const std::string refusal = listError(untrusted);
    QVERIFY2(refusal.find("certificate verify failed") != std::string::npos, refusal.c_str());

    QProcess cli;
    cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
              {"--server", QString::fromStdString(secure.address), "--tls-ca", path("ca.pem"), "series", "--json"});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
}

void TestSecurity::tlsWithClientCertificates()
{
    test::ServerProcess server;
    QVERIFY2(server.start(database()
                          + QStringList{"--listen", "127.0.0.1:0", "--tls-cert", path("server.pem"), "--tls-key",
                                        path("server.key"), "--tls-client-ca", path("ca.pem")}),
             qPrintable(server.log()));
    client::ConnectionOptions options = test::connectionTo("localhost:" + server.address().section(':', -1));
    options.tlsCaFile = path("ca.pem").toStdString();
    options.unaryDeadline = std::chrono::milliseconds(3000);
    QCOMPARE(listCode(options), grpc::StatusCode::UNAVAILABLE);
    // Refused for want of a client certificate, not for anything else.
    QTRY_VERIFY2_WITH_TIMEOUT(server.log().contains("peer did not return a certificate"), qPrintable(server.log()),
                              10000);
    options.tlsCertFile = path("client.pem").toStdString();
    options.tlsKeyFile = path("client.key").toStdString();
    QCOMPARE(listCode(options), grpc::StatusCode::OK);
}

void TestSecurity::appWithTlsAndToken()
{
    // Everything at once: TLS, a client certificate and a token.
    writeFile("app-tokens", "first-secret-token\n");
    test::ServerProcess server;
    QVERIFY2(server.start(database()
                          + QStringList{"--listen", "127.0.0.1:0", "--tls-cert", path("server.pem"), "--tls-key",
                                        path("server.key"), "--tls-client-ca", path("ca.pem"), "--token-file",
                                        path("app-tokens")}),
             qPrintable(server.log()));
    const QString address = "localhost:" + server.address().section(':', -1);
    const QStringList secure = {"--server",         address,     "--tls-ca",        path("ca.pem"), "--tls-cert",
                                path("client.pem"), "--tls-key", path("client.key")};
    const auto app = [&](const QStringList &connection, const QString &png) {
        QProcess process;
        process.start(test::ServerProcess::binary("app/gui/meterscope"),
                      connection + QStringList{"--series", "meterusage", "--export-png", png});
        if (!process.waitForFinished(60000))
            return std::make_pair(-1, QString("timed out"));
        return std::make_pair(process.exitCode(), QString::fromUtf8(process.readAllStandardError()));
    };

    // The app draws the chart with the token from a file or the environment.
    const auto [drawn, drawLog] = app(secure + QStringList{"--token-file", path("my-token")}, path("chart.png"));
    QVERIFY2(drawn == 0, qPrintable(drawLog));
    QFile png(path("chart.png"));
    QVERIFY(png.open(QIODevice::ReadOnly));
    QVERIFY(png.read(8) == QByteArray("\x89PNG\r\n\x1a\n", 8));

    // Without the token it says so, and draws nothing.
    const auto [refused, refusal] = app(secure, path("refused.png"));
    QVERIFY(refused != 0);
    QVERIFY2(refusal.contains("token", Qt::CaseInsensitive), qPrintable(refusal));
    QVERIFY(!QFile::exists(path("refused.png")));

    // The token and TLS options mean nothing without --server.
    const auto [usage, usageLog] = app({"--token-file", path("my-token")}, path("usage.png"));
    QCOMPARE(usage, 2);
    QVERIFY2(usageLog.contains("--server"), qPrintable(usageLog));
}

void TestSecurity::concurrentImportLimit()
{
    test::ServerProcess server;
    QVERIFY2(server.start(database() + QStringList{"--listen", "127.0.0.1:0", "--max-concurrent-imports", "1"}),
             qPrintable(server.log()));
    client::Client first(test::connectionTo(server.address()));
    client::Cancellation cancellation;
    std::atomic<bool> started{false};
    std::thread upload([&] {
        test::GeneratedCsv big("busy", 50'000'000);
        std::istream in(&big);
        try {
            first.importStream(
                in, "busy.csv", big.size(), {}, [&](const client::ImportProgress &) { started = true; }, &cancellation);
        } catch (const client::ClientError &) {
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(started.load(), 30000);
    client::Client second(test::connectionTo(server.address()));
    std::istringstream csv("time,second\n2020-01-01 00:00:00,1\n");
    try {
        second.importStream(csv, "second.csv", 0, {});
        QFAIL("a second import ran beside the first");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QVERIFY2(std::string(e.what()).find("--max-concurrent-imports") != std::string::npos, e.what());
    }
    cancellation.cancel();
    upload.join();
    // Once the first is gone, the next one goes through.
    std::istringstream again("time,second\n2020-01-01 00:00:00,1\n");
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 try {
                                     std::istringstream in(again.str());
                                     return second.importStream(in, "second.csv", 0, {}).rows_imported() == 1;
                                 } catch (const client::ClientError &) {
                                     return false;
                                 }
                             }()),
                             10000);
}

void TestSecurity::hostileSeriesName()
{
    client::Client client(test::connectionTo(m_tokenServer.address(), kToken));
    const std::string name = "x\"; DROP TABLE points; --";
    std::istringstream csv("time,\"x\"\"; DROP TABLE points; --\"\n2020-01-01 00:00:00,1\n");
    const v1::ImportReport report = client.importStream(csv, "hostile.csv", 0, {});
    QCOMPARE(report.series(0).name(), name);
    v1::QueryRequest request;
    request.set_series(name);
    QCOMPARE(test::queryPoints(client, request).times.size(), 1u);
    QCOMPARE(test::storedPoints(m_cluster, "meterusage"), 2974);
}

void TestSecurity::embeddedClusterIsPrivate()
{
    test::ServerProcess server;
    QVERIFY2(server.start({"--data-dir", path("private"), "--listen", "127.0.0.1:0"}), qPrintable(server.log()));
    const QString pgdata = path("private/postgres");
    struct stat info;
    QCOMPARE(::stat(pgdata.toLocal8Bit().constData(), &info), 0);
    QCOMPARE(info.st_mode & 0777, 0700u);
    QCOMPARE(::stat((pgdata + "/.s.PGSQL.5432").toLocal8Bit().constData(), &info), 0);
    QVERIFY(S_ISSOCK(info.st_mode));
    QCOMPARE(info.st_mode & 0077, 0u);
    const std::string conninfo = "host=" + pgdata.toStdString() + " port=5432 dbname=meterscope user=meterscope";
    QCOMPARE(test::TestCluster::scalarAt(conninfo, "SHOW listen_addresses"), std::string(""));
}

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
