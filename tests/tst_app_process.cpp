// The meterscope binary as users and scripts run it (#4): --version,
// --export-png, command-line files, the local server child that must
// never outlive the app, a second launch handing its files to the running
// app and meterscope-cli --local finding the app's server (#12).
#include "client/client.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <csignal>

using namespace meterscope;

namespace {

constexpr int kSlowMs = 120000;

QString appBinary()
{
    return test::ServerProcess::binary("app/gui/meterscope");
}

QString cliBinary()
{
    return test::ServerProcess::binary("app/cli/meterscope-cli");
}

// The app (or the CLI) with settings and a runtime folder of its own under
// `home`, never the user's: it must not find a Meterscope the user runs.
void prepare(QProcess &process, const QString &home)
{
    QDir(home).mkpath("runtime");
    QFile::setPermissions(home + "/runtime", QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("XDG_CONFIG_HOME", home + "/config");
    environment.insert("XDG_RUNTIME_DIR", home + "/runtime");
    process.setProcessEnvironment(environment);
}

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runProgram(const QString &program, const QStringList &arguments, const QString &home,
               const QString &workingDirectory = {})
{
    QProcess process;
    prepare(process, home);
    process.setWorkingDirectory(workingDirectory);
    process.start(program, arguments);
    Run result;
    if (!process.waitForFinished(kSlowMs)) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    // Qt's own note about a missing XDG_RUNTIME_DIR (root in CI) is not the app's.
    for (const QString &line : QString::fromUtf8(process.readAllStandardError()).split('\n', Qt::SkipEmptyParts)) {
        if (!line.startsWith("QStandardPaths: "))
            result.err += line + '\n';
    }
    return result;
}

bool gone(qint64 pid, int timeoutMs)
{
    for (int waited = 0; waited < timeoutMs; waited += 50) {
        if (::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            return true;
        QTest::qWait(50);
    }
    return false;
}

// Starts the app on its own local server and returns the server's pid.
qint64 startWithLocalServer(QProcess &app, const QString &dataDir, const QString &home, QString *log)
{
    prepare(app, home);
    app.setProcessChannelMode(QProcess::SeparateChannels);
    app.start(appBinary(), {"--data-dir", dataDir});
    static const QRegularExpression kListening("meterscoped listening on unix:(\\S+)");
    QDeadlineTimer deadline(kSlowMs);
    while (!deadline.hasExpired() && app.state() != QProcess::NotRunning) {
        app.waitForReadyRead(100);
        *log += QString::fromUtf8(app.readAllStandardError());
        if (kListening.match(*log).hasMatch())
            break;
    }
    QProcess ps;
    ps.start("ps", {"-o", "pid=", "--ppid", QString::number(app.processId())});
    ps.waitForFinished();
    for (const QString &line : QString::fromUtf8(ps.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts)) {
        QProcess name;
        name.start("ps", {"-o", "comm=", "-p", line.trimmed()});
        name.waitForFinished();
        if (name.readAllStandardOutput().trimmed() == "meterscoped")
            return line.trimmed().toLongLong();
    }
    return 0;
}

} // namespace

class TestAppProcess : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void versionAndHelp();
    void usageErrors_data();
    void usageErrors();
    void exportPngDrawsTheChart();
    void exportPngFailsWithOneLine_data();
    void exportPngFailsWithOneLine();
    void commandLineFilesAreImported();
    void localServerStopsWithTheApp_data();
    void localServerStopsWithTheApp();
    void secondLaunchHandsOverItsFiles();
    void cliFindsTheAppsLocalServer();

private:
    Run run(const QStringList &arguments, const QString &workingDirectory = {})
    {
        return runProgram(appBinary(), arguments, m_dir.path(), workingDirectory);
    }
    Run cli(const QStringList &arguments) { return runProgram(cliBinary(), arguments, m_dir.path()); }
    qint64 points(const QString &series) const;

    test::TestDir m_dir;
    test::ServerProcess m_server;
};

void TestAppProcess::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--import",
                             test::sampleCsv(), "--log-level", "warning"}),
             qPrintable(m_server.log()));
}

void TestAppProcess::versionAndHelp()
{
    const Run version = run({"--version"});
    QCOMPARE(version.exitCode, 0);
    QCOMPARE(version.out, QString("meterscope %1\n").arg(METERSCOPE_VERSION));
    const Run help = run({"--help"});
    QCOMPARE(help.exitCode, 0);
    for (const char *option : {"--server", "--data-dir", "--export-png", "--size", "--from", "--to", "FILE"})
        QVERIFY2(help.out.contains(option), option);
}

void TestAppProcess::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");
    QTest::addRow("export without series") << QStringList{"--export-png", "x.png"} << "--export-png needs --series";
    QTest::addRow("bad size") << QStringList{"--export-png", "x.png", "--series", "s", "--size", "big"}
                              << "--size needs WIDTHxHEIGHT";
    QTest::addRow("bad time") << QStringList{"--export-png", "x.png", "--series", "s", "--from", "soon"} << "--from:";
    QTest::addRow("unknown option") << QStringList{"--frobnicate"} << "frobnicate";
}

void TestAppProcess::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);
    const Run result = run(arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(result.err.startsWith("meterscope: ") && result.err.contains(message), qPrintable(result.err));
    QCOMPARE(result.err.count('\n'), 1);
}

void TestAppProcess::exportPngDrawsTheChart()
{
    const QString png = m_dir.filePath("chart.png");
    const Run result = run({"--server", m_server.address(), "--series", "meterusage", "--export-png", png, "--size",
                            "900x500", "--from", "2019-01-07", "--to", "2019-01-14"});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    const QImage image(png);
    QCOMPARE(image.size(), QSize(900, 500));
    // Not a blank page: the line's blue is in it.
    int blue = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor pixel = image.pixelColor(x, y);
            blue += pixel.blue() > 150 && pixel.red() < 100 ? 1 : 0;
        }
    }
    QVERIFY2(blue > 1000, qPrintable(QString::number(blue)));
}

void TestAppProcess::exportPngFailsWithOneLine_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("message");
    QTest::addRow("unknown series") << ""
                                    << "no series named 'nope'";
    // A port nothing listens on.
    QTest::addRow("unreachable server") << "127.0.0.1:1"
                                        << "cannot reach the Meterscope server at 127.0.0.1:1";
}

void TestAppProcess::exportPngFailsWithOneLine()
{
    QFETCH(QString, server);
    QFETCH(QString, message);
    const QString png = m_dir.filePath("nope.png");
    const Run result
        = run({"--server", server.isEmpty() ? m_server.address() : server, "--series", "nope", "--export-png", png});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.startsWith("meterscope: " + message), qPrintable(result.err));
    QCOMPARE(result.err.count('\n'), 1);
    QVERIFY(!QFile::exists(png));
}

void TestAppProcess::commandLineFilesAreImported()
{
    const QString csv = m_dir.filePath("startup.csv");
    {
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("time,startup\n2019-03-01 00:00:00,7\n");
    }
    QProcess app;
    prepare(app, m_dir.path());
    app.start(appBinary(), {"--server", m_server.address(), csv});
    QTRY_COMPARE_WITH_TIMEOUT(points("startup"), 1, kSlowMs);
    QVERIFY(test::signalProcess(app, SIGTERM));
    QVERIFY(app.waitForFinished(kSlowMs));
    QCOMPARE(app.exitStatus(), QProcess::NormalExit);
    QCOMPARE(app.exitCode(), 0);
}

void TestAppProcess::localServerStopsWithTheApp_data()
{
    QTest::addColumn<int>("signal");
    QTest::addRow("SIGTERM") << SIGTERM;
    QTest::addRow("SIGINT") << SIGINT;
    QTest::addRow("SIGHUP") << SIGHUP;
    // Killed outright, the app cannot stop it; the kernel does.
    QTest::addRow("SIGKILL") << SIGKILL;
}

void TestAppProcess::localServerStopsWithTheApp()
{
    QFETCH(int, signal);
    QProcess app;
    QString log;
    const qint64 server = startWithLocalServer(app, m_dir.filePath("local"), m_dir.path(), &log);
    QVERIFY2(server > 0, qPrintable(log));
    QVERIFY(test::signalProcess(app, signal));
    QVERIFY(app.waitForFinished(kSlowMs));
    if (signal != SIGKILL) {
        QCOMPARE(app.exitStatus(), QProcess::NormalExit);
        QCOMPARE(app.exitCode(), 0);
    }
    QVERIFY2(gone(server, 30000), "meterscoped outlived the app");
}

qint64 TestAppProcess::points(const QString &series) const
{
    for (const v1::Series &one : test::clientFor(m_server.address())->listSeries()) {
        if (one.name() == series.toStdString())
            return qint64(one.points());
    }
    return 0;
}

void TestAppProcess::secondLaunchHandsOverItsFiles()
{
    // #12: `meterscope file.csv` (what a file manager runs) while the app
    // runs hands the file to it instead of opening a second window.
    QDir(m_dir.path()).mkpath("files");
    const QString files = m_dir.filePath("files");
    for (const char *name : {"handed", "after_crash", "handed_again"})
        test::writeFile(files + '/' + name + ".csv", QByteArray("time,") + name + "\n2019-05-01 00:00:00,3\n");
    const QString socket = m_dir.filePath("runtime/meterscope-app.sock");
    QFile::remove(socket);

    QProcess first;
    prepare(first, m_dir.path());
    first.start(appBinary(), {"--server", m_server.address()});
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(socket), 30000);
    // A relative name, as a shell passes it, from another folder.
    const Run handed = run({"handed.csv"}, files);
    QVERIFY2(handed.exitCode == 0, qPrintable(handed.err));
    QCOMPARE(handed.out,
             QString("meterscope: handed 1 file to the Meterscope already running (pid %1)\n").arg(first.processId()));
    QTRY_COMPARE_WITH_TIMEOUT(points("handed"), 1, kSlowMs);
    QCOMPARE(first.state(), QProcess::Running);

    // A crash leaves its socket behind; the next launch is not fooled by it.
    QVERIFY(test::signalProcess(first, SIGKILL));
    QVERIFY(first.waitForFinished(kSlowMs));
    QVERIFY(QFileInfo::exists(socket));
    QProcess next;
    prepare(next, m_dir.path());
    next.setWorkingDirectory(files);
    next.start(appBinary(), {"--server", m_server.address(), "after_crash.csv"});
    QTRY_COMPARE_WITH_TIMEOUT(points("after_crash"), 1, kSlowMs);
    QCOMPARE(next.state(), QProcess::Running);
    const Run again = run({files + "/handed_again.csv"});
    QVERIFY2(again.exitCode == 0, qPrintable(again.err));
    QVERIFY2(again.out.contains(QString("(pid %1)").arg(next.processId())), qPrintable(again.out));
    QTRY_COMPARE_WITH_TIMEOUT(points("handed_again"), 1, kSlowMs);

    // Without files it only brings the window up; for another server it
    // opens a window of its own.
    const Run raised = run({});
    QCOMPARE(raised.exitCode, 0);
    QCOMPARE(raised.out, QString("meterscope: Meterscope is already running (pid %1); its window was brought to the "
                                 "front\n")
                             .arg(next.processId()));
    QProcess other;
    prepare(other, m_dir.path());
    other.start(appBinary(), {"--server", "127.0.0.1:1"});
    QVERIFY2(!other.waitForFinished(3000), qPrintable(QString::fromUtf8(other.readAllStandardOutput())));
    for (QProcess *app : {&other, &next}) {
        QVERIFY(test::signalProcess(*app, SIGTERM));
        QVERIFY(app->waitForFinished(kSlowMs));
        QCOMPARE(app->exitCode(), 0);
    }
}

void TestAppProcess::cliFindsTheAppsLocalServer()
{
    // #12: the app's own server is reachable from a terminal.
    const QString socket = m_dir.filePath("runtime/meterscope-local.sock");
    const Run none = cli({"--local", "series"});
    QCOMPARE(none.exitCode, 3);
    QVERIFY2(none.err.contains("no Meterscope app is running its local server") && none.err.contains(socket),
             qPrintable(none.err));
    QCOMPARE(none.err.count('\n'), 1);
    const Run both = cli({"--local", "--server", m_server.address(), "series"});
    QCOMPARE(both.exitCode, 2);

    QProcess app;
    QString log;
    QVERIFY2(startWithLocalServer(app, m_dir.filePath("cli-local"), m_dir.path(), &log) > 0, qPrintable(log));
    QVERIFY2(log.contains("meterscoped listening on unix:" + socket), qPrintable(log));
    const QString csv = test::writeFile(m_dir.filePath("from_cli.csv"), "time,from_cli\n2019-06-01 00:00:00,4\n");
    const Run imported = cli({"--local", "import", csv});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    const Run listed = cli({"series", "--local"});
    QVERIFY2(listed.exitCode == 0 && listed.out.contains("from_cli"), qPrintable(listed.out + listed.err));
    QVERIFY(test::signalProcess(app, SIGTERM));
    QVERIFY(app.waitForFinished(kSlowMs));
}

QTEST_GUILESS_MAIN(TestAppProcess)
#include "tst_app_process.moc"
