// meterscoped start-up: bad input gets one clear line and a non-zero exit,
// and nothing is left running.
#include "support/meter_exports.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace meterscope;

namespace {

// The lines meterscoped logged at error level.
QStringList errorLines(const QString &log)
{
    QStringList out;
    for (const QString &line : log.split('\n')) {
        if (line.contains(" error "))
            out << line;
    }
    return out;
}

} // namespace

class TestStartup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void versionAndHelp();
    void badInput_data();
    void badInput();
    void occupiedPort();
    void binaryImportFileStoresNothing();
    void importWithColumnRoles();
    void secondServerOnTheSameDataDir();
    void timescaledbInstalledNotPreloaded();
    void timescaledbPreloaded();
    void timescaledbNotCreatable();
    void hypertableWithoutPreload();
    void embeddedDefaultBothModes();

private:
    test::TestDir m_dir;
    test::TestCluster m_cluster;
};

void TestStartup::initTestCase()
{
    QVERIFY2(m_cluster.start(), qPrintable(m_cluster.error()));
    test::writeFile(m_dir.filePath("a-file"), "not a folder\n");
    test::writeFile(m_dir.filePath("CC_LCL-FullData.csv"),
                    QByteArray::fromStdString(test::smartMeterTrial({3, 1, 30})));
}

void TestStartup::versionAndHelp()
{
    QProcess process;
    process.start(test::ServerProcess::binary("server/meterscoped"), {"--version"});
    QVERIFY(process.waitForFinished());
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()).trimmed(), QString("meterscoped " METERSCOPE_VERSION));

    process.start(test::ServerProcess::binary("server/meterscoped"), {"--help"});
    QVERIFY(process.waitForFinished());
    QCOMPARE(process.exitCode(), 0);
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *flag :
         {"--listen", "--data-dir", "--database", "--storage", "--import", "--timezone", "--log-level"})
        QVERIFY2(help.contains(flag), flag);
}

void TestStartup::badInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");

    const QString db = QString::fromStdString(m_cluster.uri());
    QTest::addRow("unreadable import file")
        << QStringList{"--database", db, "--listen", "127.0.0.1:0", "--import", "/nonexistent/readings.csv"} << 1
        << "cannot read --import /nonexistent/readings.csv: No such file or directory";
    QTest::addRow("unreachable database")
        << QStringList{"--database", "postgresql://meterscope@127.0.0.1:1/meterscope?connect_timeout=5", "--listen",
                       "127.0.0.1:0"}
        << 1 << "cannot connect to the database";
    QTest::addRow("data dir not writable")
        << QStringList{"--data-dir", m_dir.filePath("a-file/data"), "--listen", "127.0.0.1:0"} << 1
        << "cannot create the data directory " + m_dir.filePath("a-file/data");
    QTest::addRow("--import with a column that names nothing")
        << QStringList{"--database",      db,         "--listen",
                       "127.0.0.1:0",     "--import", m_dir.filePath("CC_LCL-FullData.csv"),
                       "--series-column", "meter"}
        << 1 << "('LCLid', 'stdorToU', 'DateTime', 'KWH/hh (per half hour)'); give a header name or a column number";
    QTest::addRow("--skip-lines not a number")
        << QStringList{"--database", db, "--skip-lines", "some"} << 2 << "--skip-lines needs a number of lines";
    QTest::addRow("unknown time zone") << QStringList{"--database", db, "--timezone", "Mars/Olympus"} << 2
                                       << "unknown time zone 'Mars/Olympus'";
    QTest::addRow("unknown flag") << QStringList{"--frobnicate"} << 2 << "Unknown option 'frobnicate'";
    QTest::addRow("unknown storage mode") << QStringList{"--database", db, "--storage", "mongodb"} << 2
                                          << "--storage needs auto, postgres or timescaledb, not 'mongodb'";
    // #13: on a cluster that does not preload it (or lacks it), TimescaleDB
    // cannot be had; asked for, the server says why and stops.
    QTest::addRow("timescaledb not usable")
        << QStringList{"--database", db, "--listen", "127.0.0.1:0", "--storage", "timescaledb"} << 1
        << (test::timescaledbInstalled()
                ? "is installed but not preloaded; add timescaledb to shared_preload_libraries to use hypertables"
                : "--storage timescaledb, but TimescaleDB is not installed");
    QTest::addRow("bad listen address") << QStringList{"--database", db, "--listen", "localhost"} << 2
                                        << "--listen needs HOST:PORT or unix:PATH";
}

void TestStartup::badInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QString output;
    QCOMPARE(test::ServerProcess::runToExit(arguments, &output), exitCode);
    QVERIFY2(output.contains(message), qPrintable(output));
    if (exitCode == 1)
        QVERIFY2(errorLines(output).size() == 1, qPrintable(output));
    QVERIFY(!output.contains("listening on"));
}

void TestStartup::occupiedPort()
{
    test::ServerProcess first;
    QVERIFY2(first.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(first.log()));
    QString output;
    // gRPC turns SO_REUSEPORT on by default; a second server must not
    // silently share the port and split the requests.
    QCOMPARE(test::ServerProcess::runToExit(
                 {"--database", QString::fromStdString(m_cluster.uri()), "--listen", first.address()}, &output),
             1);
    QVERIFY2(output.contains("cannot listen on " + first.address()), qPrintable(output));

    const QString socket = m_dir.filePath("grpc.sock");
    test::ServerProcess unixServer;
    QVERIFY2(unixServer.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "unix:" + socket}),
             qPrintable(unixServer.log()));
    QCOMPARE(test::ServerProcess::runToExit(
                 {"--database", QString::fromStdString(m_cluster.uri()), "--listen", "unix:" + socket}, &output),
             1);
    QVERIFY2(output.contains("another server is already listening there"), qPrintable(output));
}

// #14: --import takes the column roles too, and logs the layout it used.
void TestStartup::importWithColumnRoles()
{
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0", "--import",
                           m_dir.filePath("CC_LCL-FullData.csv"), "--series-column", "lclid"}),
             qPrintable(server.log()));
    QCOMPARE(m_cluster.scalar("SELECT string_agg(name || ' ' || point_count, ', ' ORDER BY name) FROM series WHERE "
                              "name LIKE 'MAC%'"),
             std::string("MAC000002 48, MAC000003 48, MAC000004 48"));
    QVERIFY2(server.log().contains("columns: LCLid series key, stdorToU ignored, DateTime time, KWH/hh (per half "
                                   "hour) value"),
             qPrintable(server.log()));
}

void TestStartup::binaryImportFileStoresNothing()
{
    static const char kHeader[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    const QString png = test::writeFile(m_dir.filePath("picture.png"), QByteArray(kHeader, sizeof kHeader - 1));
    QString output;
    QCOMPARE(test::ServerProcess::runToExit(
                 {"--data-dir", m_dir.filePath("data"), "--listen", "127.0.0.1:0", "--import", png}, &output),
             1);
    QVERIFY2(output.contains("not a CSV text file"), qPrintable(output));
    // The embedded cluster was stopped on the way out.
    QVERIFY(!QFile::exists(m_dir.filePath("data/postgres/postmaster.pid")));
}

void TestStartup::secondServerOnTheSameDataDir()
{
    const QString dataDir = m_dir.filePath("shared-data");
    test::ServerProcess first;
    QVERIFY2(first.start({"--data-dir", dataDir, "--listen", "127.0.0.1:0"}), qPrintable(first.log()));
    QString output;
    // It must neither start a second postmaster nor take the first one down.
    QCOMPARE(test::ServerProcess::runToExit({"--data-dir", dataDir, "--listen", "127.0.0.1:0"}, &output), 1);
    QVERIFY2(output.contains("another meterscoped is already using the data directory"), qPrintable(output));
    QVERIFY(first.running());
    QVERIFY(!first.log().contains("orphaned"));
    QCOMPARE(first.terminate(), 0);
}

// #13: CREATE EXTENSION on a cluster that does not preload TimescaleDB ends
// the connection with FATAL; the server must see that coming and stay plain.
void TestStartup::timescaledbInstalledNotPreloaded()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    test::ServerProcess server;
    QVERIFY2(server.start({"--database", QString::fromStdString(m_cluster.uri()), "--listen", "127.0.0.1:0"}),
             qPrintable(server.log()));
    QVERIFY2(server.log().contains(QRegularExpression(
                 "storage: TimescaleDB [0-9.]+ is installed but not preloaded: plain PostgreSQL; add timescaledb to "
                 "shared_preload_libraries to use hypertables")),
             qPrintable(server.log()));
    QCOMPARE(m_cluster.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"), std::string("0"));
    QCOMPARE(server.terminate(), 0);
}

// #13: create_hypertable() returns a row; start-up ran it with exec0 and
// exited 1, on every start.
void TestStartup::timescaledbPreloaded()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    test::TestCluster preloaded(test::preloadTimescaledb());
    QVERIFY2(preloaded.start(), qPrintable(preloaded.error()));
    const QString db = QString::fromStdString(preloaded.uri());
    {
        // --storage postgres never creates the extension, even where it could.
        test::ServerProcess server;
        QVERIFY2(server.start({"--database", db, "--listen", "127.0.0.1:0", "--storage", "postgres"}),
                 qPrintable(server.log()));
        QVERIFY2(server.log().contains("storage: --storage postgres: plain PostgreSQL"), qPrintable(server.log()));
        QCOMPARE(server.terminate(), 0);
        QCOMPARE(preloaded.scalar("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"), std::string("0"));
    }
    for (const char *mode : {"auto", "timescaledb"}) {
        test::ServerProcess server;
        QVERIFY2(server.start({"--database", db, "--listen", "127.0.0.1:0", "--storage", mode}),
                 qPrintable(server.log()));
        QVERIFY2(server.log().contains(QRegularExpression("storage: TimescaleDB [0-9.]+ hypertable")),
                 qPrintable(server.log()));
        QCOMPARE(server.terminate(), 0);
    }
    QCOMPARE(preloaded.scalar("SELECT count(*) FROM timescaledb_information.hypertables "
                              "WHERE hypertable_name = 'points'"),
             std::string("1"));
    // The primary key serves every query; no index on time alone.
    QCOMPARE(preloaded.scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'points'"), std::string("1"));
}

// #13: a role that may not create the extension gets plain PostgreSQL, told
// why in PostgreSQL's own words and hint; --storage timescaledb refuses.
void TestStartup::timescaledbNotCreatable()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    test::TestCluster preloaded(test::preloadTimescaledb());
    QVERIFY2(preloaded.start(), qPrintable(preloaded.error()));
    for (const char *sql : {"CREATE ROLE meter_reader LOGIN", "CREATE DATABASE limited",
                            "GRANT CONNECT ON DATABASE limited TO meter_reader"})
        preloaded.scalar(sql);
    test::TestCluster::scalarAt(preloaded.conninfo() + " dbname=limited",
                                "GRANT USAGE, CREATE ON SCHEMA public TO meter_reader");
    QString db = QString::fromStdString(preloaded.uri());
    db.replace("://meterscope@/meterscope?", "://meter_reader@/limited?");
    const QString reason = "TimescaleDB [0-9.]+ is preloaded but cannot be used here \\(permission denied to "
                           "create extension \"timescaledb\"; HINT: Must have CREATE privilege on current "
                           "database to create this extension.\\)";
    {
        test::ServerProcess server;
        QVERIFY2(server.start({"--database", db, "--listen", "127.0.0.1:0", "--storage", "auto"}),
                 qPrintable(server.log()));
        QVERIFY2(server.log().contains(QRegularExpression("storage: " + reason + ": plain PostgreSQL")),
                 qPrintable(server.log()));
        QCOMPARE(server.terminate(), 0);
    }
    test::ServerProcess server;
    QVERIFY(!server.start({"--database", db, "--listen", "127.0.0.1:0", "--storage", "timescaledb"}));
    QVERIFY2(server.log().contains(QRegularExpression("--storage timescaledb, but " + reason)),
             qPrintable(server.log()));
}

// #13: points kept in a hypertable by an earlier start. --storage postgres
// uses it as one (it cannot be plain again), and a cluster that no longer
// preloads TimescaleDB is refused at start-up, saying why, instead of
// failing at the first import.
void TestStartup::hypertableWithoutPreload()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    const std::string dataDir = m_dir.filePath("hypertable-then-plain").toStdString();
    const auto cluster = [&](bool preload) {
        return std::make_unique<storage::EmbeddedCluster>(
            storage::EmbeddedCluster::Options{dataDir, {}, {"fsync=off"}, preload});
    };
    {
        const auto preloaded = cluster(true);
        preloaded->start();
        const QString db = QString::fromStdString(preloaded->connectionUri());
        for (const char *mode : {"auto", "postgres"}) {
            test::ServerProcess server;
            QVERIFY2(server.start({"--database", db, "--listen", "127.0.0.1:0", "--storage", mode}),
                     qPrintable(server.log()));
            QVERIFY2(server.log().contains(QRegularExpression("storage: TimescaleDB [0-9.]+ hypertable")),
                     qPrintable(server.log()));
            QCOMPARE(server.terminate(), 0);
            if (std::string(mode) == "postgres")
                QVERIFY2(server.log().contains("--storage postgres, but the points are in a TimescaleDB hypertable "
                                               "already (from an earlier start): used as one"),
                         qPrintable(server.log()));
        }
    }
    const auto plain = cluster(false);
    plain->start();
    test::ServerProcess server;
    QVERIFY(!server.start({"--database", QString::fromStdString(plain->connectionUri()), "--listen", "127.0.0.1:0"}));
    QVERIFY2(server.log().contains(QRegularExpression(
                 "TimescaleDB [0-9.]+ is created in this database \\(its points may be in a hypertable\\) but not "
                 "preloaded; add timescaledb to shared_preload_libraries to use it")),
             qPrintable(server.log()));
}

// #13: the embedded cluster preloads TimescaleDB when it is installed;
// --storage postgres keeps points plain, and the next start in auto mode
// moves them into a hypertable, unchanged.
void TestStartup::embeddedDefaultBothModes()
{
    if (const QString why = test::timescaledbSkip(); !why.isEmpty())
        QSKIP(qPrintable(why));
    const QString dataDir = m_dir.filePath("embedded-modes");
    storage::EmbeddedCluster::Options where;
    where.dataDir = dataDir.toStdString();
    const std::string db = storage::EmbeddedCluster(where).connectionString();
    const std::string isHypertable = "SELECT count(*) FROM pg_extension e, timescaledb_information.hypertables h "
                                     "WHERE e.extname = 'timescaledb' AND h.hypertable_name = 'points'";
    const std::string contents = "SELECT count(*) || ' ' || md5(string_agg(series_id || ' ' || time || ' ' || value, "
                                 "',' ORDER BY series_id, time)) FROM points";
    std::string before;
    {
        test::ServerProcess server;
        QVERIFY2(server.start({"--data-dir", dataDir, "--listen", "127.0.0.1:0", "--storage", "postgres", "--import",
                               test::sampleCsv()}),
                 qPrintable(server.log()));
        QVERIFY2(server.log().contains("storage: --storage postgres: plain PostgreSQL"), qPrintable(server.log()));
        QCOMPARE(test::TestCluster::scalarAt(db, "SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'"),
                 std::string("0"));
        before = test::TestCluster::scalarAt(db, contents);
        QVERIFY2(before.rfind("0 ", 0) != 0, before.c_str());
        QCOMPARE(server.terminate(), 0);
    }
    test::ServerProcess server;
    QVERIFY2(server.start({"--data-dir", dataDir, "--listen", "127.0.0.1:0"}), qPrintable(server.log()));
    const QString log = server.log();
    QVERIFY2(log.contains("storage: moving the points stored so far into a TimescaleDB hypertable"), qPrintable(log));
    QVERIFY2(log.contains(QRegularExpression("storage: TimescaleDB [0-9.]+ hypertable")), qPrintable(log));
    QCOMPARE(test::TestCluster::scalarAt(db, isHypertable), std::string("1"));
    QCOMPARE(test::TestCluster::scalarAt(db, contents), before);
    QCOMPARE(test::TestCluster::scalarAt(db, "SELECT time_interval FROM timescaledb_information.dimensions "
                                             "WHERE hypertable_name = 'points'"),
             std::string("30 days"));
    QCOMPARE(test::TestCluster::scalarAt(db, "SELECT count(*) FROM pg_indexes WHERE tablename = 'points'"),
             std::string("1"));
    QCOMPARE(server.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestStartup)
#include "tst_startup.moc"
