// meterscope-cli end to end: a real server, the CLI as a process, its JSON
// output and exit codes.
#include "support/meter_exports.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

using namespace meterscope;

namespace {

using Result = test::CliResult;

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void importPrintsJsonReports();
    void importSummaryIsTheServersLogLine();
    void importExitCodes_data();
    void importExitCodes();
    void dryRunStoresNothing();
    void seriesJson();
    void exportJsonInThePrototypesShape();
    void exportCsvInAZone();
    void exportRangeAndMaxPoints();
    void failedExportKeepsTheFile();
    void tailPrintsNewPoints();
    void usageErrors_data();
    void usageErrors();
    void importLongFormat();
    void importReportsTheLayout();
    void noSeriesWithoutPoints();
    void badColumnRefusesTheFile();
    void deleteAndUpdateSeries();

private:
    Result cli(const QStringList &arguments, bool withServer = true)
    {
        return test::runCli(arguments, withServer ? m_server.address() : QString());
    }
    QString write(const QString &name, const QByteArray &content)
    {
        return test::writeFile(m_dir.filePath(name), content);
    }
    QJsonObject storedSeries(const QString &name) { return test::listedSeries(m_server.address(), name); }

    test::TestDir m_dir;
    test::TestCluster m_cluster;
    test::ServerProcess m_server;
};

void TestCli::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    QVERIFY2(m_server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(m_server.log()));
}

void TestCli::importPrintsJsonReports()
{
    const QString second = write("second.csv", "time,other\n2019-05-01 00:00:00,1\n");
    const Result r = cli({"import", "--json", test::sampleCsv(), second});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 2); // JSON Lines: one report per file
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(lines[0], &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(report["file"].toString(), test::sampleCsv());
    QCOMPARE(report["dry_run"].toBool(), false);
    QCOMPARE(report["rows_read"].toInt(), 2975);
    QCOMPARE(report["rows_imported"].toInt(), 2974);
    QCOMPARE(report["rows_new"].toInt(), 2974);
    QCOMPARE(report["rows_updated"].toInt(), 0);
    QCOMPARE(report["rows_unchanged"].toInt(), 0);
    QCOMPARE(report["rows_missing"].toInt(), 1);
    QCOMPARE(report["rows_rejected"].toInt(), 0);
    QCOMPARE(report["missing"].toArray().at(0).toObject()["line"].toInt(), 1548);
    QVERIFY(report["missing"].toArray().at(0).toObject()["reason"].toString().contains("missing"));
    QCOMPARE(report["rejected"].toArray().size(), 0);
    QCOMPARE(report["warnings"].toArray().size(), 0);
    const QJsonObject series = report["series"].toArray().at(0).toObject();
    QCOMPARE(series["name"].toString(), QString("meterusage"));
    QCOMPARE(series["points"].toInt(), 2974);
    QCOMPARE(series["first"].toString(), QString("2019-01-01T00:15:00Z"));
    QCOMPARE(series["last"].toString(), QString("2019-01-31T23:45:00Z"));
    QVERIFY(report["duration_ms"].isDouble());
    QCOMPARE(QJsonDocument::fromJson(lines[1]).object()["rows_new"].toInt(), 1);
}

// #18: one sentence sums an import up, the same in the CLI's output and the server's log.
void TestCli::importSummaryIsTheServersLogLine()
{
    const QString file = write("summary.csv", "time,summary\n"
                                              "2019-06-01 00:00:00,1\n"
                                              "2019-06-01 00:15:00,\n"
                                              "2019-06-01 00:30:00,x\n"
                                              "2019-06-01 00:30:00,2\n"
                                              "2019-06-01 00:45:00,3\n"
                                              "2019-06-01 00:45:00,4\n");
    const Result r = cli({"import", file});
    QCOMPARE(r.exitCode, 1); // a line was rejected
    const QString sentence = QString::fromUtf8(r.out.split('\n').first());
    const QRegularExpression shape("^" + QRegularExpression::escape(file)
                                   + ": 3 rows imported \\(3 new, 0 updated, 0 unchanged\\), 1 missing, 1 rejected, "
                                     "1 duplicates replaced in \\d+ ms$");
    QVERIFY2(shape.match(sentence).hasMatch(), qPrintable(sentence));
    QTRY_VERIFY2_WITH_TIMEOUT(m_server.log().contains(sentence + "\n"), qPrintable(m_server.log()), 10000);
}

void TestCli::importExitCodes_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("address");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("stderrText");

    QTest::addRow("all rows imported") << QByteArray("time,ok\n2019-06-01 00:00:00,1\n") << "" << 0 << "";
    QTest::addRow("some rows rejected") << QByteArray("time,partly\n2019-06-01 00:00:00,1\n2019-06-01 00:01:00,x\n")
                                        << "" << 1 << "";
    QTest::addRow("server refuses the file")
        << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\0", 12) << "" << 4 << "not a CSV text file";
    QTest::addRow("server unreachable") << QByteArray("time,x\n2019-06-01 00:00:00,1\n") << "127.0.0.1:1" << 3
                                        << "cannot reach the Meterscope server at 127.0.0.1:1";
}

void TestCli::importExitCodes()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, address);
    QFETCH(int, exitCode);
    QFETCH(QString, stderrText);
    const QString file = write(QString(QTest::currentDataTag()).replace(' ', '_') + ".csv", content);
    const Result r = address.isEmpty() ? cli({"import", "--json", file})
                                       : cli({"--server", address, "import", "--json", file}, false);
    QCOMPARE(r.exitCode, exitCode);
    QVERIFY2(r.err.contains(stderrText), qPrintable(r.err));
    if (exitCode == 1) {
        const QJsonObject report = QJsonDocument::fromJson(r.out).object();
        const QJsonObject rejected = report["rejected"].toArray().at(0).toObject();
        QCOMPARE(rejected["line"].toInt(), 3);
        QVERIFY2(rejected["reason"].toString().contains("'x'"), qPrintable(rejected["reason"].toString()));
    }
    if (exitCode >= 3) {
        QVERIFY(r.out.isEmpty());
        QCOMPARE(r.err.trimmed().count('\n'), 0); // one sentence
    }
}

void TestCli::dryRunStoresNothing()
{
    const QString file = write("dry.csv", "time,drycli\n2019-07-01 00:00:00,1\n");
    const Result r = cli({"import", "--dry-run", "--json", file});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out).object()["dry_run"].toBool(), true);
    QCOMPARE(QJsonDocument::fromJson(r.out).object()["rows_new"].toInt(), 1);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'drycli'"), std::string("0"));
}

void TestCli::seriesJson()
{
    const Result r = cli({"series", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray series = QJsonDocument::fromJson(r.out).array();
    QJsonObject sample;
    for (const QJsonValue &s : series) {
        if (s.toObject()["name"] == "meterusage")
            sample = s.toObject();
    }
    QCOMPARE(sample["points"].toInt(), 2974);
    QCOMPARE(sample["first"].toString(), QString("2019-01-01T00:15:00Z"));
    QCOMPARE(sample["last"].toString(), QString("2019-01-31T23:45:00Z"));
    // The table for people has the same content.
    const Result table = cli({"series"});
    QVERIFY(table.out.contains("meterusage"));
    QVERIFY(table.out.contains("2974"));
}

void TestCli::exportJsonInThePrototypesShape()
{
    const QString file = m_dir.filePath("export.json");
    const Result r = cli({"export", "--series", "meterusage", "-o", file});
    QCOMPARE(r.exitCode, 0);
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    const QByteArray text = in.readAll();
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(text, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(object.size(), 2974);
    QCOMPARE(object["2019-01-01T00:15:00Z"].toDouble(), 55.09);
    QCOMPARE(object["2019-01-31T23:45:00Z"].toDouble(), 54.36);
    QVERIFY(!object.contains("2019-01-17T02:45:00Z"));
    // Time order is kept in the text (QJsonObject sorts keys anyway).
    QVERIFY(text.indexOf("2019-01-01T00:15:00Z") < text.indexOf("2019-01-01T00:30:00Z"));
}

void TestCli::exportCsvInAZone()
{
    const Result r = cli({"export", "--series", "meterusage", "--format", "csv", "--timezone", "Europe/Berlin", "--to",
                          "2019-01-01 02:00"});
    QCOMPARE(r.exitCode, 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    QCOMPARE(lines.value(0), QByteArray("time,meterusage"));
    QCOMPARE(lines.value(1), QByteArray("2019-01-01T01:15:00+01:00,55.09"));
    // --to is in the zone too: 02:00 Berlin is 01:00Z, exclusive.
    QCOMPARE(lines.size(), 1 + 3);
}

void TestCli::exportRangeAndMaxPoints()
{
    Result r = cli({"export", "--series", "meterusage", "--format", "json", "--from", "2019-01-10T00:00:00Z", "--to",
                    "2019-01-11T00:00:00Z"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(r.out).object().size(), 96);
    r = cli({"export", "--series", "meterusage", "--format", "json", "--max-points", "100"});
    QCOMPARE(r.exitCode, 0);
    const int points = QJsonDocument::fromJson(r.out).object().size();
    QVERIFY2(points <= 400 && points >= 100, qPrintable(QString::number(points)));
    r = cli({"export", "--series", "no-such-series"});
    QCOMPARE(r.exitCode, 4);
    QVERIFY(r.err.contains("no series named 'no-such-series'"));
}

void TestCli::failedExportKeepsTheFile()
{
    // A file from an earlier export survives an export that fails.
    const QString file = write("kept.csv", "time,meterusage\n2019-01-01T00:15:00Z,55.09\n");
    const Result r = cli({"export", "--series", "no-such-series", "-o", file});
    QCOMPARE(r.exitCode, 4);
    QFile in(file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QCOMPARE(in.readAll(), QByteArray("time,meterusage\n2019-01-01T00:15:00Z,55.09\n"));
    QVERIFY(!QFile::exists(file + ".part"));
}

void TestCli::tailPrintsNewPoints()
{
    QProcess tail;
    tail.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
               {"--server", m_server.address(), "tail", "--series", "meterusage", "--json"});
    QVERIFY(tail.waitForStarted());
    QTest::qWait(1000);
    const QString file = write("new.csv", "time,meterusage\n2019-02-01 00:00:00,1.5\n2019-02-01 00:15:00,2.5\n");
    QCOMPARE(cli({"import", file}).exitCode, 0);
    QTRY_VERIFY_WITH_TIMEOUT(tail.bytesAvailable() > 0 && tail.peek(4096).count('\n') >= 2, 10000);
    const QList<QByteArray> lines = tail.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(lines.size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
    QCOMPARE(first["series"].toString(), QString("meterusage"));
    QCOMPARE(first["time"].toString(), QString("2019-02-01T00:00:00Z"));
    QCOMPARE(first["value"].toDouble(), 1.5);
    tail.terminate();
    QVERIFY(tail.waitForFinished(10000));
    QCOMPARE(tail.exitCode(), 0);
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("no command") << QStringList{} << "Usage:";
    QTest::addRow("unknown command") << QStringList{"frob"} << "unknown command 'frob'";
    QTest::addRow("import without files") << QStringList{"import"} << "import needs at least one FILE";
    QTest::addRow("export without series") << QStringList{"export"} << "export needs --series NAME";
    QTest::addRow("delete without series") << QStringList{"delete"} << "delete needs --series NAME";
    QTest::addRow("update without change")
        << QStringList{"update", "--series", "x"}
        << "update needs --rename NEW, --unit UNIT, --kind KIND or --gap-threshold DURATION";
    QTest::addRow("bad kind") << QStringList{"update", "--series", "x", "--kind", "monthly"}
                              << "'monthly' is not interval, cumulative or instant";
    QTest::addRow("totals without series") << QStringList{"totals", "--by", "day"} << "totals needs --series NAME";
    QTest::addRow("totals without period") << QStringList{"totals", "--series", "x"} << "totals needs --by";
    QTest::addRow("bad period") << QStringList{"totals", "--series", "x", "--by", "fortnight"}
                                << "'fortnight' is not hour, day, week, month or year";
    QTest::addRow("bad format") << QStringList{"totals", "--series", "x", "--by", "day", "--format", "xml"}
                                << "'xml' is not table, csv or json";
    QTest::addRow("bad price") << QStringList{"totals", "--series", "x", "--by", "day", "--price", "cheap"}
                               << "'cheap' is not a number";
    QTest::addRow("bad time") << QStringList{"export", "--series", "x", "--from", "yesterday"}
                              << "'yesterday' is not a time";
    QTest::addRow("bad zone") << QStringList{"export", "--series", "x", "--timezone", "Nowhere/Land"}
                              << "unknown time zone 'Nowhere/Land'";
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Result r = cli(arguments, false);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
}

// #14: meterscope-cli delete and update, and what `tail` of the series says.
void TestCli::deleteAndUpdateSeries()
{
    const QString file = write("managed.csv", "time,managed\n2024-01-01 00:00:00,1\n2024-01-01 00:15:00,2\n"
                                              "2024-01-01 00:30:00,3\n2024-01-01 00:45:00,4\n");
    QCOMPARE(cli({"import", file}).exitCode, 0);
    QProcess tail;
    tail.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
               {"--server", m_server.address(), "tail", "--series", "managed"});
    QVERIFY(tail.waitForStarted());
    QTest::qWait(1000);

    Result r
        = cli({"delete", "--series", "managed", "--from", "2024-01-01T01:15:00+01:00", "--to", "2024-01-01 00:45:00"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out), QString("deleted 2 points of 'managed'\n"));
    QCOMPARE(storedSeries("managed")["points"].toInt(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(tail.peek(4096).contains('\n'), 10000);
    QCOMPARE(QString::fromUtf8(tail.readAllStandardOutput()),
             QString("removed [2024-01-01T00:15:00Z, 2024-01-01T00:30:00.000001Z)\n"));

    r = cli({"update", "--series", "managed", "--rename", "managed meter", "--unit", "kWh"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("managed meter") && r.out.trimmed().endsWith("kWh"), r.out.constData());
    QCOMPARE(storedSeries("managed meter")["unit"].toString(), QString("kWh"));
    r = cli({"update", "--series", "nobody", "--unit", "kWh"});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("no series named 'nobody'"), qPrintable(r.err));

    r = cli({"delete", "--series", "managed meter"});
    QCOMPARE(r.exitCode, 0);
    QCOMPARE(QString::fromUtf8(r.out), QString("deleted 2 points of 'managed meter' and the series\n"));
    QVERIFY(storedSeries("managed meter").isEmpty());
    // tail followed the series under its new name; with it gone, it says
    // so and ends.
    QVERIFY(tail.waitForFinished(10000));
    QCOMPARE(tail.exitCode(), 0);
    const QString said = QString::fromUtf8(tail.readAllStandardError());
    QVERIFY2(said.contains("the series 'managed' was renamed to 'managed meter'; following it"), qPrintable(said));
    QVERIFY2(said.contains("the series 'managed meter' was deleted"), qPrintable(said));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

// #14: a smart-meter trial in long format becomes one series per meter.
void TestCli::importLongFormat()
{
    const QString file = write("CC_LCL-FullData.csv", QByteArray::fromStdString(test::smartMeterTrial({3, 2, 30})));
    const Result r = cli({"import", "--json", "--series-column", "LCLid", file});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject report = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(report["rows_read"].toInt(), 3 * 96);
    QCOMPARE(report["rows_imported"].toInt(), 3 * 95);
    QCOMPARE(report["rows_missing"].toInt(), 3);
    QCOMPARE(report["rows_duplicate"].toInt(), 0);
    QCOMPARE(report["series"].toArray().size(), 3);
    const QJsonArray columns = report["layout"].toObject()["columns"].toArray();
    QCOMPARE(columns.size(), 4);
    QCOMPARE(columns[0].toObject()["role"].toString(), QString("series key"));
    QCOMPARE(columns[2].toObject()["role"].toString(), QString("time"));
    QCOMPARE(columns[3].toObject()["role"].toString(), QString("value"));
    for (const char *meter : {"MAC000002", "MAC000003", "MAC000004"}) {
        const QJsonObject stored = storedSeries(meter);
        QCOMPARE(stored["points"].toInt(), 95);
        QCOMPARE(stored["first"].toString(), QString("2012-10-12T00:00:00Z"));
        QCOMPARE(stored["last"].toString(), QString("2012-10-13T23:30:00Z"));
    }
    const Result exported = cli({"export", "--series", "MAC000003", "--format", "csv"});
    QVERIFY2(exported.out.contains("2012-10-12T00:00:00Z," + QByteArray::number(test::meterReading(1, 0, 30))),
             exported.out.left(200).constData());
}

// #14: a dry run shows the layout it found, before anything is stored.
void TestCli::importReportsTheLayout()
{
    const QString file = write("usage.csv", QByteArray::fromStdString(test::utilityDownload({1, 1, 15})));
    const Result r = cli({"import", "--dry-run", "--timezone", "America/New_York", file});
    QCOMPARE(r.exitCode, 0);
    const QString out = QString::fromUtf8(r.out);
    QVERIFY2(out.contains("usage.csv: dry run, would have 95 rows imported (95 new, 0 updated, 0 unchanged), 1 "
                          "missing, 0 rejected"),
             qPrintable(out));
    QVERIFY2(out.contains("  layout: ',' delimited, header on line 6 after 5 skipped lines, dates year-month-day, "
                          "naive times in America/New_York\n"),
             qPrintable(out));
    QVERIFY2(out.contains("  columns: TYPE ignored, DATE time, START TIME time, END TIME ignored, USAGE value, UNITS "
                          "ignored, COST ignored, NOTES ignored\n"),
             qPrintable(out));
    QVERIFY2(out.contains("  note: skipped 5 lines before the header on line 6\n"), qPrintable(out));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'USAGE'"), std::string("0"));
    // A file of many meters names the first columns and counts the rest.
    const QString wide = write("wide.csv", QByteArray::fromStdString(test::wideExport({40, 1, 60})));
    const QString many = QString::fromUtf8(cli({"import", "--dry-run", wide}).out);
    QVERIFY2(many.contains(", meter_11 value and 29 more (29 value)\n"), qPrintable(many));

    // The same layout given by hand, and a unit.
    const Result given
        = cli({"import", "--json", "--timezone", "America/New_York", "--skip-lines", "5", "--time-column", "date",
               "--time-column", "3", "--value-column", "USAGE", "--unit", "kWh", "--missing", "n.a.", file});
    QCOMPARE(given.exitCode, 0);
    const QJsonObject layout = QJsonDocument::fromJson(given.out).object()["layout"].toObject();
    QCOMPARE(layout["header_line"].toInt(), 6);
    QCOMPARE(layout["columns"].toArray()[4].toObject()["unit"].toString(), QString("kWh"));
    QCOMPARE(layout["columns"].toArray()[2].toObject()["role"].toString(), QString("time"));
    QCOMPARE(storedSeries("USAGE")["first"].toString(), QString("2024-01-01T05:00:00Z"));
}

// #14: a file whose every line is rejected creates no series.
void TestCli::noSeriesWithoutPoints()
{
    const QString file = write("bad.csv", "Start,End,Usage\nyesterday,today,1\nmonday,tuesday,2\n");
    const Result r = cli({"import", "--json", file});
    QCOMPARE(r.exitCode, 1);
    const QJsonObject report = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(report["rows_rejected"].toInt(), 4);
    QCOMPARE(report["rejected"].toArray()[0].toObject()["line"].toInt(), 2);
    QCOMPARE(report["series"].toArray().size(), 0);
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name IN ('End', 'Usage')"), std::string("0"));
}

// #14: a column that names nothing refuses the file, naming the columns there are.
void TestCli::badColumnRefusesTheFile()
{
    const QString file = write("cols.csv", "time,power (kW)\n2019-08-01 00:00,1\n");
    const Result r = cli({"import", "--value-column", "energy", file});
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains("the value column 'energy' names no column in the header of"), qPrintable(r.err));
    QVERIFY2(r.err.contains("('time', 'power (kW)')"), qPrintable(r.err));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM series WHERE name = 'power'"), std::string("0"));
}
