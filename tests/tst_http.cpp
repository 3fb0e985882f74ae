// HTTP beside gRPC (#19): meterscoped --http-listen over real loopback HTTP,
// its pages checked against the gRPC answers for the same data.
#include "client/client.h"
#include "hostile_clients.h"
#include "http/python_time.h"
#include "meterusage/meterusage.grpc.pb.h"
#include "support/certificates.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <map>

using namespace meterscope;

namespace {

// The address meterscoped logged for HTTP, e.g. "http://127.0.0.1:41234".
std::string httpUrl(test::ServerProcess &server)
{
    const QRegularExpressionMatch match = QRegularExpression("serving HTTP on (https?://\\S+)").match(server.log());
    return match.hasMatch() ? match.captured(1).toStdString() : std::string();
}

// The entries of a JSON object in document order, keys as written.
std::vector<std::pair<std::string, double>> entries(const std::string &body)
{
    std::vector<std::pair<std::string, double>> out;
    static const QRegularExpression entry("\"([^\"]+)\": (null|[-+0-9.eE]+)");
    for (auto it = entry.globalMatch(QString::fromStdString(body)); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        out.emplace_back(match.captured(1).toStdString(),
                         match.captured(2) == "null" ? std::nan("") : match.captured(2).toDouble());
    }
    return out;
}

// A Prometheus sample line: name{labels} value.
// (moc reads this file too, and raw string literals confuse it.)
const QRegularExpression kSample(
    "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(\\\\.|[^\"\\\\])*\",?)*\\})? "
    "(NaN|[+-]Inf|[-+]?[0-9.]+([eE][-+]?[0-9]+)?)$");

double sample(const std::string &exposition, const QString &series)
{
    for (const QString &line : QString::fromStdString(exposition).split('\n')) {
        if (line.startsWith(series + ' '))
            return line.mid(series.size() + 1).toDouble();
    }
    return -1;
}

} // namespace

class TestHttp : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void pythonStrOfInstants();
    void legacyPageMatchesGetAllRecords();
    void pointsMatchQuery_data();
    void pointsMatchQuery();
    void seriesListMatchesListSeries();
    void errorsAndStatuses_data();
    void errorsAndStatuses();
    void metricsAreValidAndCount();
    void tokensAndTls();
    void unixSocket();
    void bigPageStreamsWithFlatMemory();
    void healthzFollowsTheDatabase();

private:
    httplib::Result get(const std::string &path) { return m_http->Get(path.c_str()); }

    test::TestDir m_dir;
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
    std::unique_ptr<httplib::Client> m_http;
};

void TestHttp::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                             "--http-listen", "127.0.0.1:0", "--import", test::sampleCsv()}),
             qPrintable(m_server.log()));
    const std::string url = httpUrl(m_server);
    QVERIFY2(url.starts_with("http://127.0.0.1:"), qPrintable(m_server.log()));
    m_http = std::make_unique<httplib::Client>(url);
    m_http->set_read_timeout(60);
    m_client = test::clientFor(m_server.address());
}

void TestHttp::pythonStrOfInstants()
{
    // As Python's str(datetime) writes them: microseconds only when there are.
    for (const auto &[iso, python] :
         std::map<std::string, std::string>{{"2019-01-01T00:15:00Z", "2019-01-01 00:15:00"},
                                            {"2019-01-01T00:15:00.000001Z", "2019-01-01 00:15:00.000001"},
                                            {"2019-01-01T00:15:00.5Z", "2019-01-01 00:15:00.500000"},
                                            {"1969-12-31T23:59:59.25Z", "1969-12-31 23:59:59.250000"}}) {
        std::string out;
        http::appendPythonStr(out, test::at(iso.c_str()));
        QCOMPARE(out, python);
    }
}

void TestHttp::legacyPageMatchesGetAllRecords()
{
    // What the prototype's Django page served, key by key against the
    // legacy gRPC answer for the same series.
    auto channel = grpc::CreateChannel(m_server.address().toStdString(), grpc::InsecureChannelCredentials());
    auto stub = meterusage::MeterUsage::NewStub(channel);
    grpc::ClientContext context;
    auto reader = stub->GetAllRecords(&context, meterusage::AllRecordsRequest());
    std::vector<meterusage::AllRecordsResponse> records;
    for (meterusage::AllRecordsResponse record; reader->Read(&record);)
        records.push_back(record);
    QVERIFY(reader->Finish().ok());
    QCOMPARE(records.size(), std::size_t(2974));

    for (const char *path : {"/meterusage/", "/meterusage"}) {
        const httplib::Result result = get(path);
        QVERIFY(result);
        QCOMPARE(result->status, 200);
        QCOMPARE(result->get_header_value("Content-Type"), std::string("application/json"));
        QCOMPARE(result->get_header_value("Transfer-Encoding"), std::string("chunked"));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(result->body), &error);
        QVERIFY2(document.isObject(), qPrintable(error.errorString()));
        const auto page = entries(result->body);
        QCOMPARE(page.size(), records.size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            const auto &record = records[i];
            std::string key;
            http::appendPythonStr(key,
                                  record.time().seconds() * timeutil::kMicrosPerSecond + record.time().nanos() / 1000);
            QCOMPARE(page[i].first, key);
            // The page has the stored doubles; the legacy API their float32.
            QCOMPARE(float(page[i].second), record.meterusage());
        }
    }
    QCOMPARE(entries(get("/meterusage/")->body).front(), std::make_pair(std::string("2019-01-01 00:15:00"), 55.09));
}

void TestHttp::pointsMatchQuery_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<int>("maxPoints");
    QTest::addColumn<QString>("zone");
    QTest::addRow("whole series") << ""
                                  << ""
                                  << "" << 0 << "";
    QTest::addRow("one day") << "from=2019-01-17T00:00:00Z&to=2019-01-18T00:00:00Z"
                             << "2019-01-17T00:00:00Z"
                             << "2019-01-18T00:00:00Z" << 0 << "";
    QTest::addRow("local day, Berlin") << "from=2019-01-17&to=2019-01-18&timezone=Europe/Berlin"
                                       << "2019-01-16T23:00:00Z"
                                       << "2019-01-17T23:00:00Z" << 0 << "Europe/Berlin";
    QTest::addRow("downsampled") << "max_points=100"
                                 << ""
                                 << "" << 100 << "";
    QTest::addRow("downsampled range") << "from=2019-01-10T00:00:00Z&max_points=50"
                                       << "2019-01-10T00:00:00Z"
                                       << "" << 50 << "";
}

void TestHttp::pointsMatchQuery()
{
    QFETCH(QString, query);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(int, maxPoints);
    QFETCH(QString, zone);
    v1::QueryRequest request;
    request.set_series("meterusage");
    if (!from.isEmpty())
        request.set_start_time_us(test::at(qPrintable(from)));
    if (!to.isEmpty())
        request.set_end_time_us(test::at(qPrintable(to)));
    request.set_max_points(std::uint32_t(maxPoints));
    const test::Points expected = test::queryPoints(*m_client, request);
    QVERIFY(!expected.times.empty());

    const httplib::Result result = get("/api/v1/series/meterusage/points?" + query.toStdString());
    QVERIFY(result);
    QCOMPARE(result->status, 200);
    QVERIFY(QJsonDocument::fromJson(QByteArray::fromStdString(result->body)).isObject());
    const auto page = entries(result->body);
    QCOMPARE(page.size(), expected.times.size());
    const timeutil::Zone shown = zone.isEmpty() ? timeutil::Zone() : timeutil::Zone::byName(zone.toStdString());
    for (std::size_t i = 0; i < page.size(); ++i) {
        // Times carry the zone's offset, e.g. 2019-01-17T00:15:00+01:00.
        QCOMPARE(page[i].first, timeutil::formatIso(expected.times[i], shown));
        if (std::isnan(expected.values[i]))
            QVERIFY(std::isnan(page[i].second));
        else
            QCOMPARE(page[i].second, expected.values[i]); // exact: shortest round-trip digits
    }
}

void TestHttp::seriesListMatchesListSeries()
{
    test::importText(*m_client, test::minutesCsv("second meter", 0, 90), "second.csv");
    const httplib::Result result = get("/api/v1/series");
    QVERIFY(result);
    QCOMPARE(result->status, 200);
    const QJsonDocument document = QJsonDocument::fromJson(QByteArray::fromStdString(result->body));
    QVERIFY(document.isArray());
    const std::vector<v1::Series> listed = m_client->listSeries();
    QCOMPARE(document.array().size(), qsizetype(listed.size()));
    for (std::size_t i = 0; i < listed.size(); ++i) {
        const QJsonObject entry = document.array().at(qsizetype(i)).toObject();
        QCOMPARE(entry["name"].toString().toStdString(), listed[i].name());
        QCOMPARE(entry["points"].toInteger(), qint64(listed[i].points()));
        QCOMPARE(entry["first"].toString().toStdString(), timeutil::formatIso(listed[i].first_time_us()));
        QCOMPARE(entry["last"].toString().toStdString(), timeutil::formatIso(listed[i].last_time_us()));
    }
    // A name with a space, percent-encoded in the path.
    const httplib::Result points = get("/api/v1/series/second%20meter/points?max_points=0");
    QVERIFY(points);
    QCOMPARE(points->status, 200);
    QCOMPARE(entries(points->body).size(), std::size_t(90));
}

void TestHttp::errorsAndStatuses_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("words");
    QTest::addRow("unknown series") << "/api/v1/series/nope/points" << 404 << "NOT_FOUND"
                                    << "no series named 'nope'";
    QTest::addRow("bad from") << "/api/v1/series/meterusage/points?from=yesterday" << 400 << "INVALID_ARGUMENT"
                              << "parameter 'from': 'yesterday' is not a time";
    QTest::addRow("bad to") << "/api/v1/series/meterusage/points?to=2019-02-30" << 400 << "INVALID_ARGUMENT"
                            << "parameter 'to'";
    QTest::addRow("bad max_points") << "/api/v1/series/meterusage/points?max_points=-1" << 400 << "INVALID_ARGUMENT"
                                    << "parameter 'max_points'";
    QTest::addRow("bad zone") << "/api/v1/series/meterusage/points?timezone=Mars/Olympus" << 400 << "INVALID_ARGUMENT"
                              << "parameter 'timezone'";
    QTest::addRow("inverted range") << "/api/v1/series/meterusage/points?from=2019-01-02&to=2019-01-01" << 400
                                    << "INVALID_ARGUMENT"
                                    << "empty time range";
    QTest::addRow("bad name") << "/api/v1/series/a%00b/points" << 400 << "INVALID_ARGUMENT"
                              << "series name";
    QTest::addRow("no such page") << "/api/v2/anything" << 404 << "NOT_FOUND"
                                  << "no page at '/api/v2/anything'";
}

void TestHttp::errorsAndStatuses()
{
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, words);
    const httplib::Result result = get(path.toStdString());
    QVERIFY(result);
    QCOMPARE(result->status, status);
    QCOMPARE(result->get_header_value("Content-Type"), std::string("application/json"));
    const QJsonObject error
        = QJsonDocument::fromJson(QByteArray::fromStdString(result->body)).object()["error"].toObject();
    QCOMPARE(error["status"].toInt(), status);
    QCOMPARE(error["code"].toString(), code);
    QVERIFY2(error["message"].toString().contains(words), qPrintable(QString::fromStdString(result->body)));
}

void TestHttp::metricsAreValidAndCount()
{
    const httplib::Result before = get("/metrics");
    QVERIFY(before);
    QCOMPARE(before->status, 200);
    QVERIFY(before->get_header_value("Content-Type").starts_with("text/plain; version=0.0.4"));
    // Every line is a comment (HELP, TYPE) or a sample of the text format.
    std::set<QString> families;
    for (const QString &line : QString::fromStdString(before->body).split('\n', Qt::SkipEmptyParts)) {
        if (line.startsWith("# TYPE ")) {
            const QStringList words = line.split(' ');
            QCOMPARE(words.size(), 4);
            QVERIFY2(QStringList({"counter", "gauge", "histogram"}).contains(words[3]), qPrintable(line));
            QVERIFY2(families.insert(words[2]).second, qPrintable("TYPE twice: " + line));
            continue;
        }
        if (line.startsWith("# HELP "))
            continue;
        QVERIFY2(kSample.match(line).hasMatch(), qPrintable("not a sample: " + line));
    }
    for (const char *family :
         {"meterscope_imports_total", "meterscope_import_rows_total", "meterscope_import_bytes_total",
          "meterscope_import_duration_seconds", "meterscope_streams", "meterscope_points_sent_total",
          "meterscope_stream_duration_seconds", "meterscope_list_series_duration_seconds", "meterscope_subscribers",
          "meterscope_subscriber_lag_max", "meterscope_db_connections", "meterscope_db_connection_waits_total",
          "meterscope_storage_info", "meterscope_build_info", "meterscope_http_responses_total"})
        QVERIFY2(families.count(family), family);

    // Counters move with what the server does.
    const QString stored = "meterscope_imports_total{outcome=\"stored\"}";
    const QString rowsNew = "meterscope_import_rows_total{outcome=\"new\"}";
    const QString queried = "meterscope_points_sent_total{stream=\"query\"}";
    test::importText(*m_client, test::minutesCsv("metered", 0, 120), "metered.csv");
    test::queryPoints(*m_client, "metered");
    const std::string after = get("/metrics")->body;
    QCOMPARE(sample(after, stored), sample(before->body, stored) + 1);
    QCOMPARE(sample(after, rowsNew), sample(before->body, rowsNew) + 120);
    QCOMPARE(sample(after, queried), sample(before->body, queried) + 120);
    QVERIFY(sample(after, "meterscope_import_duration_seconds_count")
            > sample(before->body, "meterscope_import_duration_seconds_count"));
    QCOMPARE(sample(after, "meterscope_storage_info{mode=\"postgres\"}"), 1.0);
}

void TestHttp::tokensAndTls()
{
    QString error;
    QVERIFY2(test::makeCertificates(m_dir.path(), &error), qPrintable(error));
    test::writeFile(m_dir.filePath("tokens"), "# readers\nhttp-secret-token\n");
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                           "--http-listen", "127.0.0.1:0", "--token-file", m_dir.filePath("tokens"), "--tls-cert",
                           m_dir.filePath("server.pem"), "--tls-key", m_dir.filePath("server.key")}),
             qPrintable(server.log()));
    const std::string url = httpUrl(server);
    QVERIFY2(url.starts_with("https://127.0.0.1:"), qPrintable(server.log()));

    httplib::Client https(url);
    https.set_ca_cert_path(m_dir.filePath("ca.pem").toStdString().c_str());
    https.enable_server_certificate_verification(true);
    const httplib::Result anonymous = https.Get("/api/v1/series");
    QVERIFY2(anonymous, httplib::to_string(anonymous.error()).c_str());
    QCOMPARE(anonymous->status, 401);
    QCOMPARE(anonymous->get_header_value("WWW-Authenticate"), std::string("Bearer"));
    QVERIFY(anonymous->body.find("this server needs a token") != std::string::npos);
    QCOMPARE(https.Get("/api/v1/series", httplib::Headers{{"Authorization", "Bearer wrong-token"}})->status, 401);
    // The scheme in any case (RFC 6750).
    QCOMPARE(https.Get("/api/v1/series", httplib::Headers{{"Authorization", "bearer http-secret-token"}})->status, 200);
    QCOMPARE(https.Get("/meterusage/")->status, 401);
    // Health and, on loopback, metrics need no token.
    QCOMPARE(https.Get("/healthz")->status, 200);
    QCOMPARE(https.Get("/metrics")->status, 200);
    // The token never reaches the log.
    QVERIFY(!server.log().contains("http-secret-token"));

    // A client that does not trust the CA, and one that speaks plain HTTP.
    httplib::Client untrusting(url);
    untrusting.enable_server_certificate_verification(true);
    untrusting.set_ca_cert_path(m_dir.filePath("client.pem").toStdString().c_str());
    QVERIFY(!untrusting.Get("/healthz"));
    httplib::Client plain("http" + url.substr(5));
    const httplib::Result refused = plain.Get("/healthz");
    QVERIFY(!refused || refused->status >= 400);
}

void TestHttp::unixSocket()
{
    // --http-listen unix:PATH, read with curl --unix-socket.
    const QString socket = m_dir.filePath("http.sock");
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                           "--http-listen", "unix:" + socket}),
             qPrintable(server.log()));
    QVERIFY2(server.log().contains("serving HTTP on unix:" + socket), qPrintable(server.log()));
    QProcess curl;
    curl.start("curl",
               {"-sS", "--unix-socket", socket, "http://localhost/api/v1/series/meterusage/points?max_points=1"});
    QVERIFY(curl.waitForFinished(30000));
    QCOMPARE(curl.exitCode(), 0);
    QCOMPARE(entries(curl.readAllStandardOutput().toStdString()).size(), std::size_t(4)); // M4: first, min, max, last
    // A second server cannot take the socket over.
    QString output;
    QCOMPARE(test::ServerProcess::runToExit({"--database", QString::fromStdString(m_cluster.uri()), "--listen",
                                             "127.0.0.1:0", "--http-listen", "unix:" + socket},
                                            &output),
             1);
    QVERIFY2(output.contains("another server is already listening there"), qPrintable(output));
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(!QFile::exists(socket), "the socket file outlived its server");
}

void TestHttp::bigPageStreamsWithFlatMemory()
{
    // A page far larger than the server's memory may grow is streamed a
    // database page at a time: 1,000,000 points, about 38 MB of JSON.
    const int rows = test::kSanitized ? 100000 : 1000000;
    const v1::ImportReport report = test::importText(*m_client, test::meterCsv("big meter", rows), "big.csv");
    QCOMPARE(report.rows_new(), std::uint64_t(rows));
    const qint64 before = test::memoryKiB(m_server.pid(), "VmRSS");
    qint64 peak = before;
    std::uint64_t bytes = 0;
    std::size_t points = 0;
    const httplib::Result result
        = m_http->Get("/api/v1/series/big%20meter/points", [&](const char *data, std::size_t length) {
              bytes += length;
              points += std::size_t(std::count(data, data + length, '\n'));
              peak = std::max(peak, test::memoryKiB(m_server.pid(), "VmRSS"));
              return true;
          });
    QVERIFY(result);
    QCOMPARE(result->status, 200);
    QCOMPARE(points, std::size_t(rows) + 2); // "{", a line per point, "}"
    qInfo("%llu bytes of JSON; server RSS %lld KiB before, %lld KiB at most while streaming",
          static_cast<unsigned long long>(bytes), before, peak);
    if (!test::kSanitized)
        QVERIFY2(peak - before < 48 * 1024, "the server's memory grew with the page");
}

void TestHttp::healthzFollowsTheDatabase()
{
    QCOMPARE(get("/healthz")->status, 200);
    m_cluster.stop();
    QTRY_COMPARE_WITH_TIMEOUT(get("/healthz")->status, 503, 20000);
    QCOMPARE(QJsonDocument::fromJson(QByteArray::fromStdString(get("/healthz")->body)).object()["status"].toString(),
             QString("NOT_SERVING"));
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QTRY_COMPARE_WITH_TIMEOUT(get("/healthz")->status, 200, 30000);
}

QTEST_GUILESS_MAIN(TestHttp)
#include "tst_http.moc"
