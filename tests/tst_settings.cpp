// The typed settings unit: every value survives a restart.
#include "gui/command_line.h"
#include "gui/settings.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr QFile::Permissions kOthersOrGroup
    = QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther;

client::ConnectionOptions server()
{
    client::ConnectionOptions server;
    server.address = "meters.example.org:50051";
    server.tls = true;
    server.tlsCaFile = "/etc/meterscope/ca.pem";
    server.tlsCertFile = "/home/me/reader.crt";
    server.tlsKeyFile = "/home/me/reader.key";
    server.token = "s3cret";
    return server;
}

} // namespace

class TestSettings : public QObject {
    Q_OBJECT

private slots:
    void defaults();
    void roundTrip();
    void importLayouts();
    void localServer();
    void displayZone_data();
    void displayZone();
    void commandLineWinsOverSettings();
};

void TestSettings::defaults()
{
    QTemporaryDir dir;
    const Settings settings(dir.filePath("meterscope.ini"));
    QVERIFY(!settings.server());
    QVERIFY(settings.lastImportFolder().isEmpty());
    QVERIFY(settings.lastSaveFolder().isEmpty());
    QCOMPARE(settings.displayZone().kind(), DisplayZone::Kind::Utc);
    QVERIFY(settings.windowGeometry().isEmpty());
    QVERIFY(settings.splitterState().isEmpty());
    QVERIFY(settings.importLayouts().isEmpty());
}

void TestSettings::roundTrip()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("meterscope.ini");
    {
        Settings settings(file);
        settings.setServer(server());
        settings.setLastImportFolder("/data/readings");
        settings.setLastSaveFolder("/data/reports");
        settings.setDisplayZone(DisplayZone::named("Europe/Berlin"));
        settings.setLastSeries("meterusage");
        settings.setWindowGeometry(QByteArray("\x01\x02geometry", 10));
        settings.setSplitterState(QByteArray("\x00splitter", 9));
        settings.sync();
    }
    const Settings settings(file);
    QCOMPARE(settings.server(), std::optional(server()));
    // It holds a token: only its owner may read it, also after later writes.
    QCOMPARE(QFile::permissions(file) & kOthersOrGroup, QFile::Permissions());
    QCOMPARE(settings.lastImportFolder(), QString("/data/readings"));
    QCOMPARE(settings.lastSaveFolder(), QString("/data/reports"));
    QCOMPARE(settings.displayZone(), DisplayZone::named("Europe/Berlin"));
    QCOMPARE(settings.lastSeries(), QString("meterusage"));
    QCOMPARE(settings.windowGeometry(), QByteArray("\x01\x02geometry", 10));
    QCOMPARE(settings.splitterState(), QByteArray("\x00splitter", 9));
}

// The layouts confirmed in the import preview, each field typed (#14).
void TestSettings::importLayouts()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("meterscope.ini");
    RememberedLayout household{{"Date", "Time", "Global_active_power", "Voltage"}, "household_power.txt", {}, {}};
    household.choice.delimiter = "\t";
    household.choice.skipLines = 0;
    household.choice.roles
        = {v1::COLUMN_ROLE_TIME, v1::COLUMN_ROLE_TIME, v1::COLUMN_ROLE_VALUE, v1::COLUMN_ROLE_IGNORED};
    household.choice.timeFormat = "%m/%d/%Y %H:%M:%S";
    household.choice.timeZone = "Europe/Paris";
    household.columns = household.header;
    const RememberedLayout detected{{"LCLid", "DateTime", "KWH/hh (per half hour)"}, "trial, 1.csv", {}, {}};
    {
        Settings settings(file);
        settings.setImportLayouts({household, detected});
        settings.sync();
    }
    const QList<RememberedLayout> layouts = Settings(file).importLayouts();
    QCOMPARE(layouts.size(), 2);
    QVERIFY(layouts[0] == household);
    QVERIFY(layouts[1] == detected);
    QVERIFY(!layouts[1].choice.skipLines);
    {
        Settings settings(file);
        settings.setImportLayouts({detected});
    }
    QCOMPARE(Settings(file).importLayouts().size(), 1);
}

void TestSettings::localServer()
{
    QTemporaryDir dir;
    const QString file = dir.filePath("meterscope.ini");
    {
        Settings settings(file);
        settings.setServer(server());
        settings.setServer(std::nullopt);
        settings.sync();
    }
    QVERIFY(!Settings(file).server());
    QVERIFY(!QString::fromUtf8([&] {
                 QFile ini(file);
                 return ini.open(QIODevice::ReadOnly) ? ini.readAll() : QByteArray();
             }())
                 .contains("s3cret"));
}

void TestSettings::displayZone_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("label");
    QTest::addRow("utc") << "UTC" << int(DisplayZone::Kind::Utc) << "UTC";
    QTest::addRow("named") << "America/New_York" << int(DisplayZone::Kind::Named) << "America/New_York";
    QTest::addRow("local") << "local" << int(DisplayZone::Kind::Local)
                           << QString("local time, %1").arg(DisplayZone::local().zone().name().c_str());
    // A zone that no longer exists falls back to UTC instead of failing.
    QTest::addRow("unknown") << "Mars/Olympus_Mons" << int(DisplayZone::Kind::Utc) << "UTC";
}

void TestSettings::displayZone()
{
    QFETCH(QString, stored);
    QFETCH(int, kind);
    QFETCH(QString, label);
    const DisplayZone zone = DisplayZone::fromString(stored);
    QCOMPARE(int(zone.kind()), kind);
    QCOMPARE(zone.label(), label);
    QCOMPARE(DisplayZone::fromString(zone.toString()), zone);
}

void TestSettings::commandLineWinsOverSettings()
{
    client::ConnectionOptions remembered;
    remembered.address = "meters.example.org:50051";
    CommandLine options;
    QCOMPARE(serverToUse(options, remembered)->address, remembered.address);
    QVERIFY(!serverToUse(options, std::nullopt));
    // An explicit --data-dir means the local server with that folder.
    options.dataDir = "/tmp/other-data";
    QVERIFY(!serverToUse(options, remembered));
    client::ConnectionOptions given;
    given.address = "127.0.0.1:6000";
    options.server = given;
    QCOMPARE(serverToUse(options, remembered)->address, given.address);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
