// #20 hostile and careless clients, over loopback against a real server:
// imports that break are never committed (and the client can learn what
// was), every string field is checked, series names are exact, ListSeries
// pages, token files have one format, import ids are bound to content,
// status codes say what happened.
#include "client/client.h"
#include "hostile_clients.h"
#include "service/status.h"
#include "support/clients.h"
#include "support/database_checks.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <pqxx/except>

#include <QFile>
#include <QProcess>
#include <QTest>

#include <csignal>
#include <limits>
#include <set>
#include <sstream>
#include <thread>

using namespace meterscope;

Q_DECLARE_METATYPE(grpc::StatusCode)

class TestHostile : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void failingChunkAfterValidOnesStoresNothing();
    void cancelAfterUploadEndsIsReportedExactly();
    void interruptedCliSaysWhatTheServerStored();
    void everyStringFieldIsChecked_data();
    void everyStringFieldIsChecked();
    void seriesNamesFromFilesAreChecked();
    void manySeriesWithLongNamesAreListedCompletely();
    void tokenFilesInTheDocumentedFormat();
    void reusedImportIds();
    void statusCodes();

private:
    std::unique_ptr<v1::MeterService::Stub> stub(int tag = 0)
    {
        return v1::MeterService::NewStub(test::ownChannel(m_server.address(), tag));
    }
    std::int64_t storedPoints(const std::string &series) { return test::storedPoints(m_cluster, series); }
    QString writeFile(const QString &name, const QByteArray &content)
    {
        return test::writeFile(m_dir.filePath(name), content);
    }
    QProcess *cli(const QStringList &arguments)
    {
        auto *process = new QProcess(this);
        process->start(test::ServerProcess::binary("app/cli/meterscope-cli"), arguments);
        process->waitForFinished(120000);
        return process;
    }

    test::TestDir m_dir;
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
};

void TestHostile::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
}

void TestHostile::failingChunkAfterValidOnesStoresNothing()
{
    // #20: a chunk over the server's 16 MiB limit after valid ones ended the
    // call with RESOURCE_EXHAUSTED, yet the rows before it were committed
    // about half the time.
    const std::string csv = test::meterCsv("chunked", 20000);
    std::vector<std::string> chunks;
    for (std::size_t at = 0; at < csv.size(); at += 64 * 1024)
        chunks.push_back(csv.substr(at, 64 * 1024));
    chunks.push_back(std::string(17 * 1024 * 1024, '1'));
    auto client = stub();
    for (int trial = 0; trial < 6; ++trial) {
        const std::string series = "chunked_" + std::to_string(trial);
        std::vector<std::string> renamed = chunks;
        renamed[0].replace(5, 7, series);
        v1::ImportOptions options;
        options.set_file_name(series + ".csv");
        options.set_import_id("chunked-" + std::to_string(trial));
        grpc::ClientContext context;
        const grpc::Status status = test::importRaw(*client, context, options, renamed);
        QCOMPARE(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QCOMPARE(storedPoints(series), 0);
        QVERIFY(!test::clientFor(m_server.address())->importOutcome(options.import_id()));
    }
}

void TestHostile::cancelAfterUploadEndsIsReportedExactly()
{
    // #20: Ctrl-C after the upload made meterscope-cli print "nothing of this
    // file was stored" while every row was. Whatever the moment of the
    // cancel, what the server says about the import id is what is stored.
    auto raw = stub();
    auto client = test::clientFor(m_server.address());
    const std::string csv = test::meterCsv("late", 100000);
    int stored = 0;
    for (int delay : {0, 2, 5, 10, 20, 40, 80, 160, 320, 700, 1500, 5000}) {
        const std::string series = "late_" + std::to_string(delay);
        std::string renamed = csv;
        renamed.replace(5, 4, series);
        v1::ImportOptions options;
        options.set_file_name(series + ".csv");
        options.set_import_id("late-" + std::to_string(delay));
        grpc::ClientContext context;
        auto stream = raw->Import(&context);
        v1::ImportRequest request;
        *request.mutable_options() = options;
        QVERIFY(stream->Write(request));
        for (std::size_t at = 0; at < renamed.size(); at += 256 * 1024) {
            request.set_chunk(renamed.substr(at, 256 * 1024));
            QVERIFY(stream->Write(request));
        }
        stream->WritesDone();
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        context.TryCancel();
        bool reported = false;
        for (v1::ImportResponse response; stream->Read(&response);)
            reported = reported || response.has_report();
        const grpc::Status status = stream->Finish();
        QVERIFY(status.ok() || status.error_code() == grpc::StatusCode::CANCELLED);
        const std::optional<v1::ImportReport> outcome = client->importOutcome(options.import_id());
        if (reported && status.ok())
            QVERIFY2(outcome, "a report came back, yet the server says nothing was stored");
        QCOMPARE(storedPoints(series), outcome ? 100000 : 0);
        if (outcome)
            QCOMPARE(outcome->rows_new(), 100000u);
        stored += outcome ? 1 : 0;
    }
    qInfo("%d of 12 imports cancelled after their upload had been committed first", stored);
}

void TestHostile::interruptedCliSaysWhatTheServerStored()
{
    // #20: meterscope-cli said "nothing of this file was stored" after Ctrl-C
    // while all rows were. It now asks the server and says what it answers.
    for (int delay : {200, 1500, 3000}) {
        const std::string series = "interrupted_" + std::to_string(delay);
        std::string csv = test::meterCsv("x", 300000);
        csv.replace(5, 1, series);
        const QString path = writeFile(QString::fromStdString(series) + ".csv", QByteArray::fromStdString(csv));
        QProcess cli;
        cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
                  {"--server", m_server.address(), "import", path});
        QVERIFY(cli.waitForStarted());
        QTest::qWait(delay);
        test::signalProcess(cli, SIGINT);
        // Done before the signal, it has already finished (and waitForFinished() says false).
        QVERIFY(cli.state() == QProcess::NotRunning || cli.waitForFinished(120000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        const std::int64_t points = storedPoints(series);
        qInfo("Ctrl-C after %d ms: exit %d, %lld points stored", delay, cli.exitCode(), static_cast<long long>(points));
        if (cli.exitCode() == 0) { // done before the signal
            QCOMPARE(points, 300000);
            continue;
        }
        QCOMPARE(cli.exitCode(), 130);
        if (points == 0)
            QVERIFY2(err.contains("the server says nothing of this file was stored"), qPrintable(err));
        else
            QVERIFY2(points == 300000 && err.contains("the server had already committed the import"), qPrintable(err));
    }
}

void TestHostile::everyStringFieldIsChecked_data()
{
    QTest::addColumn<QString>("call");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QByteArray>("value");
    const QByteArray nul("meterusage\0evil", 15);
    const QByteArray notUtf8("meter\xff\xfeusage");
    for (const char *field : {"file_name", "series", "timezone", "import_id", "time_format", "delimiter"}) {
        QTest::addRow("Import %s NUL", field) << "Import" << QString("options.") + field << nul;
        QTest::addRow("Import %s UTF-8", field) << "Import" << QString("options.") + field << notUtf8;
    }
    for (const char *call : {"Query", "Subscribe"}) {
        QTest::addRow("%s series NUL", call) << call << "series" << nul;
        QTest::addRow("%s series UTF-8", call) << call << "series" << notUtf8;
    }
    QTest::addRow("ListSeries page_token NUL") << "ListSeries"
                                               << "page_token" << nul;
    QTest::addRow("ListSeries page_token UTF-8") << "ListSeries"
                                                 << "page_token" << notUtf8;
    QTest::addRow("GetImport import_id NUL") << "GetImport"
                                             << "import_id" << nul;
    QTest::addRow("GetImport import_id UTF-8") << "GetImport"
                                               << "import_id" << notUtf8;
    QTest::addRow("GetAllRecords request_data NUL") << "GetAllRecords"
                                                    << "request_data" << nul;
    QTest::addRow("GetAllRecords request_data UTF-8") << "GetAllRecords"
                                                      << "request_data" << notUtf8;
}

void TestHostile::everyStringFieldIsChecked()
{
    // #20: libpq stops at a NUL, so "meterusage\0evil" wrote into meterusage;
    // invalid UTF-8 ended as CANCELLED. Both are refused, naming the field.
    QFETCH(QString, call);
    QFETCH(QString, field);
    QFETCH(QByteArray, value);
    const std::string text = value.toStdString();
    auto client = stub();
    grpc::ClientContext context;
    test::setDeadline(context, 10000);
    grpc::Status status;
    if (call == "Import") {
        v1::ImportOptions options;
        options.set_file_name("hostile.csv");
        const auto *descriptor = options.GetDescriptor()->FindFieldByName(field.mid(8).toStdString());
        options.GetReflection()->SetString(&options, descriptor, text);
        status = test::importRaw(*client, context, options, {"time,value\n2024-01-01 00:00:00,1\n"});
    } else if (call == "Query") {
        v1::QueryRequest request;
        request.set_series(text);
        status = test::finishStream(*client->Query(&context, request));
    } else if (call == "Subscribe") {
        v1::SubscribeRequest request;
        request.set_series(text);
        request.set_since_time_us(0);
        status = test::finishStream(*client->Subscribe(&context, request));
    } else if (call == "ListSeries") {
        v1::ListSeriesRequest request;
        request.set_page_token(text);
        v1::ListSeriesResponse response;
        status = client->ListSeries(&context, request, &response);
    } else if (call == "GetImport") {
        v1::GetImportRequest request;
        request.set_import_id(text);
        v1::ImportReport report;
        status = client->GetImport(&context, request, &report);
    } else {
        auto legacy = meterusage::MeterUsage::NewStub(test::ownChannel(m_server.address(), 0));
        meterusage::AllRecordsRequest request;
        request.set_request_data(text);
        status = test::finishStream(*legacy->GetAllRecords(&context, request));
    }
    QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(QString::fromStdString(status.error_message()).contains("'" + field + "'"),
             status.error_message().c_str());
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name LIKE 'meter%usage%' OR name LIKE 'hostile%'"),
             std::string("0"));
}

void TestHostile::seriesNamesFromFilesAreChecked()
{
    // #20: series names have a limit (200 characters) and no control
    // characters, wherever they come from: a header, a file name, --series.
    auto client = test::clientFor(m_server.address());
    const std::string tooLong(201, 'm');
    const std::vector<std::pair<std::string, std::string>> files = {
        {"header.csv", "time,meter\x01x\n2024-01-01 00:00:00,1\n"},
        {"long.csv", "time," + tooLong + "\n2024-01-01 00:00:00,1\n"},
        {"tab\tname.csv", "2024-01-01 00:00:00,1\n"},
    };
    for (const auto &[name, csv] : files) {
        try {
            test::importText(*client, csv, name);
            QFAIL(("imported " + name).c_str());
        } catch (const client::ClientError &e) {
            QCOMPARE(e.code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(std::string(e.what()).find("is not a valid series name") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).size() < 300, e.what());
        }
    }
    // 200 characters, any script, are fine.
    std::string longest;
    while (longest.size() < 200 * 2)
        longest += "ü";
    QCOMPARE(test::importText(*client, "time," + longest + "\n2024-01-01 00:00:00,1\n", "longest.csv").rows_new(), 1u);
}

void TestHostile::manySeriesWithLongNamesAreListedCompletely()
{
    // #20: about 1,680 series with long names pushed ListSeries over 16 MiB
    // (420 over the usual 4 MiB), and it then failed for everyone.
    constexpr int kSeries = 2000;
    auto name = [](int i) {
        std::string n = "meter-" + std::to_string(10000 + i) + "-";
        return n + std::string(200 - n.size(), 'x');
    };
    std::string csv = "time";
    for (int i = 0; i < kSeries; ++i)
        csv += "," + name(i);
    csv += "\n";
    for (int row = 0; row < 3; ++row) {
        csv += "2024-01-01 0" + std::to_string(row) + ":00:00";
        for (int i = 0; i < kSeries; ++i)
            csv += "," + std::to_string(i % 97 + row);
        csv += "\n";
    }
    auto client = test::clientFor(m_server.address());
    QCOMPARE(test::importText(*client, csv, "wide.csv").rows_new(), 3u * kSeries);

    const auto countMeters = [&](const std::vector<v1::Series> &series) {
        std::set<std::string> names;
        for (const v1::Series &s : series) {
            if (s.name().rfind("meter-", 0) == 0)
                names.insert(s.name());
        }
        return int(names.size());
    };
    QCOMPARE(countMeters(client->listSeries()), kSeries);
    // Small pages, walked to the end, give each series once.
    std::vector<v1::Series> paged;
    std::string token;
    int pages = 0;
    do {
        client::Client::SeriesPage page = client->listSeriesPage(token, 300);
        QVERIFY(page.series.size() <= 300);
        paged.insert(paged.end(), page.series.begin(), page.series.end());
        token = page.nextPageToken;
        ++pages;
    } while (!token.empty() && pages < 100);
    QCOMPARE(countMeters(paged), kSeries);
    QCOMPARE(int(paged.size()), int(client->listSeries().size()));
    // A client that knows nothing of pages still gets everything when it fits.
    grpc::ClientContext context;
    v1::ListSeriesResponse all;
    QVERIFY(stub()->ListSeries(&context, {}, &all).ok());
    QVERIFY(all.next_page_token().empty());
    QCOMPARE(countMeters({all.series().begin(), all.series().end()}), kSeries);
    // And the CLI pages through.
    QProcess *series = cli({"--server", m_server.address(), "series", "--json"});
    QCOMPARE(series->exitCode(), 0);
    QCOMPARE(int(series->readAllStandardOutput().count("\"meter-")), kSeries);
}

void TestHostile::tokenFilesInTheDocumentedFormat()
{
    // #20: meterscope-cli aborted (exit 134) on a token file in the server's
    // own format; a lower-case "bearer" was refused.
    const QString tokens = writeFile("tokens", "# readers\n\n   first-token  \r\n# writers\nsecond.token==\n");
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0",
                           "--token-file", tokens}),
             qPrintable(server.log()));
    QProcess *same = cli({"--server", server.address(), "--token-file", tokens, "series"});
    QVERIFY2(same->exitCode() == 0, same->readAllStandardError().constData());
    const QString second = writeFile("second", "\n# mine\n\tsecond.token==\t\n");
    QCOMPARE(cli({"--server", server.address(), "--token-file", second, "series"})->exitCode(), 0);
    for (const QByteArray &bad :
         {QByteArray("two tokens on one line\n"), QByteArray("# only comments\n\n"), QByteArray("tok\x01en\n")}) {
        QProcess *refused = cli({"--server", server.address(), "--token-file", writeFile("bad", bad), "series"});
        QCOMPARE(refused->exitStatus(), QProcess::NormalExit);
        QCOMPARE(refused->exitCode(), 2);
        QVERIFY(refused->readAllStandardError().contains("token file"));
    }
    // RFC 6750: the scheme in any case.
    for (const char *scheme : {"Bearer", "bearer", "BEARER"}) {
        grpc::ClientContext context;
        test::setDeadline(context, 10000);
        context.AddMetadata("authorization", std::string(scheme) + " first-token");
        v1::ListSeriesResponse response;
        const grpc::Status status
            = v1::MeterService::NewStub(test::ownChannel(server.address(), 1))->ListSeries(&context, {}, &response);
        QVERIFY2(status.ok(), scheme);
    }
    QCOMPARE(server.terminate(), 0);
}

void TestHostile::reusedImportIds()
{
    // #20: an id reused with other content returned the first report and
    // imported nothing, saying OK.
    auto client = test::clientFor(m_server.address());
    client::ImportSettings settings;
    settings.importId = "reused-id";
    const std::string first = test::meterCsv("reused_a", 500, 1);
    const std::string other = test::meterCsv("reused_b", 500, 2);
    QCOMPARE(test::importText(*client, first, "january.csv", settings).rows_new(), 500u);
    const v1::ImportReport replayed = test::importText(*client, first, "january.csv", settings);
    QVERIFY(replayed.replayed());
    QCOMPARE(replayed.rows_new(), 500u);
    try {
        test::importText(*client, other, "february.csv", settings);
        QFAIL("an id reused with other content was accepted");
    } catch (const client::ClientError &e) {
        QCOMPARE(e.code(), grpc::StatusCode::ALREADY_EXISTS);
        QVERIFY2(std::string(e.what()).find("january.csv") != std::string::npos, e.what());
    }
    QCOMPARE(storedPoints("reused_b"), 0);
    QCOMPARE(client->importOutcome("reused-id")->file_name(), std::string("january.csv"));
}

void TestHostile::statusCodes()
{
    auto client = stub();
    test::importText(*test::clientFor(m_server.address()), test::meterCsv("bounds", 96), "bounds.csv");
    const auto points = [&](std::int64_t start, std::optional<std::int64_t> end) {
        grpc::ClientContext context;
        test::setDeadline(context, 10000);
        v1::QueryRequest request;
        request.set_series("bounds");
        request.set_start_time_us(start);
        if (end)
            request.set_end_time_us(*end);
        auto reader = client->Query(&context, request);
        int count = 0;
        for (v1::PointBatch batch; reader->Read(&batch);)
            count += batch.time_us_size();
        return reader->Finish().ok() ? count : -1;
    };
    constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    QCOMPARE(points(kMin, std::nullopt), 96);
    QCOMPARE(points(kMin, kMax), 96);
    QCOMPARE(points(kMax, std::nullopt), 0);
    {
        grpc::ClientContext context;
        test::setDeadline(context, 10000);
        v1::SubscribeRequest request;
        request.set_series("bounds");
        request.set_since_time_us(kMin);
        auto reader = client->Subscribe(&context, request);
        int count = 0;
        for (v1::SubscribeResponse message; reader->Read(&message) && !message.caught_up();)
            count += message.points().time_us_size();
        QCOMPARE(count, 96);
        context.TryCancel();
        reader->Finish();
    }
    {
        // An empty stream is bad input, not a cancel.
        grpc::ClientContext context;
        test::setDeadline(context, 10000);
        auto stream = client->Import(&context);
        stream->WritesDone();
        const grpc::Status status = stream->Finish();
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    }
    const auto importWith = [&](const v1::ImportOptions &options) {
        grpc::ClientContext context;
        test::setDeadline(context, 10000);
        return test::importRaw(*client, context, options, {"time,x\n2024-01-01 00:00:00,1\n"});
    };
    v1::ImportOptions zone;
    zone.set_timezone(std::string(100 * 1024, 'Z'));
    grpc::Status status = importWith(zone);
    QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(status.error_message().size() < 200, status.error_message().c_str());
    zone.set_timezone("Europe/Nowhere");
    QCOMPARE(importWith(zone).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    v1::ImportOptions unit;
    unit.set_epoch_unit(v1::EpochUnit(99));
    status = importWith(unit);
    QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    QVERIFY2(status.error_message().find("epoch_unit") != std::string::npos, status.error_message().c_str());
    // Program limits of the database (an index row too large) are limits.
    for (const char *state : {"54000", "54001", "54011"}) {
        const grpc::Status limit = service::toStatus(
            std::make_exception_ptr(pqxx::sql_error("index row size 9000 exceeds maximum 2712", "INSERT", state)),
            "test");
        QCOMPARE(limit.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
    }
}

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
