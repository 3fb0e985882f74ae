// What the window shows as the user moves around (#12): another server's
// data never stays up as if it were current, keyboard focus never changes
// the series shown, Home shows all wherever the focus is, and flipping
// between series keeps the time range; thousands of series are listed.
// Two real servers with different data.
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/import_controller.h"
#include "gui/json_model.h"
#include "gui/json_view.h"
#include "gui/main_window.h"
#include "gui/message_bar.h"
#include "gui/series_list.h"
#include "gui/settings.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;
constexpr qint64 kMinute = 60 * timeutil::kMicrosPerSecond;
// January 2019 on server A; its first ten days on server B.
constexpr int kPointsA = 31 * 96;
constexpr int kPointsB = 10 * 96;

} // namespace

class TestWindowViews : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void serverSwitchReloadsEveryView();
    void focusNeverChangesTheSeries();
    void switchingSeriesKeepsTheTimeRange();
    void listsThousandsOfSeries();
    void quitDuringAnImportAsks();

private:
    void startServer(test::ServerProcess &server, const QString &name, int days);
    void settle();
    void showJson();

    test::TestDir m_dir;
    test::ServerProcess m_serverA;
    test::ServerProcess m_serverB;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Connection> m_connection;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowViews::startServer(test::ServerProcess &server, const QString &name, int days)
{
    const qint64 from = test::at("2019-01-01T00:00:00Z");
    const qint64 to = from + days * 96 * 15 * kMinute;
    const QString a
        = test::writeFile(m_dir.filePath(name + "-a.csv"),
                          QByteArray::fromStdString(test::meterReadingsCsv("meter-a", from, to, 15 * kMinute)));
    const QString b
        = test::writeFile(m_dir.filePath(name + "-b.csv"),
                          QByteArray::fromStdString(test::meterReadingsCsv("meter-b", from, to, 15 * kMinute)));
    QVERIFY2(server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath(name), "--import", a, "--import", b,
                           "--log-level", "warning"}),
             qPrintable(server.log()));
}

void TestWindowViews::initTestCase()
{
    QVERIFY(m_dir.isValid());
    startServer(m_serverA, "a", 31);
    startServer(m_serverB, "b", 10);
}

void TestWindowViews::init()
{
    QFile::remove(m_dir.filePath("settings.ini"));
    m_settings = std::make_unique<Settings>(m_dir.filePath("settings.ini"));
    m_connection = std::make_unique<Connection>();
    m_connection->connectTo(test::connectionTo(m_serverA.address()));
    m_window = std::make_unique<MainWindow>(*m_connection, *m_settings);
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->state(), Connection::State::Connected, kSlowMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->seriesList()->selected(), QString("meter-a"), kSlowMs);
    settle();
}

void TestWindowViews::cleanup()
{
    m_window.reset();
    m_connection.reset();
    m_settings.reset();
}

void TestWindowViews::settle()
{
    QTest::qWait(200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->chart()->busy(), kSlowMs);
}

void TestWindowViews::showJson()
{
    m_window->tabs()->setCurrentWidget(m_window->jsonView());
    QTRY_VERIFY_WITH_TIMEOUT(m_window->jsonView()->loaded(), kSlowMs);
}

void TestWindowViews::serverSwitchReloadsEveryView()
{
    showJson();
    QCOMPARE(m_window->chart()->drawnPoints(), kPointsA);
    QCOMPARE(m_window->jsonView()->model()->pointCount(), kPointsA);

    // File ▸ Connect to Server… ends in Connection::connectTo.
    m_connection->connectTo(test::connectionTo(m_serverB.address()));
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->state(), Connection::State::Connected, kSlowMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->chart()->series().points, kPointsB, kSlowMs);
    QCOMPARE(m_window->seriesList()->selected(), QString("meter-a"));
    settle();
    QCOMPARE(m_window->chart()->drawnPoints(), kPointsB);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->jsonView()->loaded(), kSlowMs);
    QCOMPARE(m_window->jsonView()->model()->pointCount(), kPointsB);

    // A server that cannot be reached: nothing of B stays up as if current.
    m_connection->connectTo(test::connectionTo("127.0.0.1:1"));
    QTRY_VERIFY_WITH_TIMEOUT(m_connection->state() == Connection::State::Unreachable, kSlowMs);
    QCOMPARE(m_window->chart()->drawnPoints(), 0);
    QCOMPARE(m_window->jsonView()->model()->pointCount(), 0);
    QCOMPARE(m_window->seriesList()->model()->rowCount(), 0);
    QVERIFY(m_window->connectionBar()->isVisible());
    QVERIFY(m_window->connectionBar()->text().startsWith("Cannot reach 127.0.0.1:1"));

    // And back: A's points again.
    m_connection->connectTo(test::connectionTo(m_serverA.address()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->chart()->series().points, kPointsA, kSlowMs);
    settle();
    QCOMPARE(m_window->chart()->drawnPoints(), kPointsA);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->jsonView()->loaded(), kSlowMs);
    QCOMPARE(m_window->jsonView()->model()->pointCount(), kPointsA);
}

void TestWindowViews::focusNeverChangesTheSeries()
{
    QTreeView *list = m_window->seriesList()->view();
    QVERIFY(m_window->seriesList()->select("meter-b"));
    settle();
    const SeriesInfo shown = m_window->chart()->series();
    QCOMPARE(shown.name, QString("meter-b"));
    const qint64 from = test::at("2019-01-10T00:00:00Z");
    m_window->chart()->setVisibleRange(from, from + 96 * 15 * kMinute);
    settle();

    // Home with the focus in the list shows all of the same series.
    list->setFocus();
    QTest::keyClick(list, Qt::Key_Home);
    settle();
    QCOMPARE(m_window->chart()->series().name, QString("meter-b"));
    QCOMPARE(m_window->chart()->visibleStart(), *shown.firstUs);
    QCOMPARE(m_window->chart()->visibleEnd(), *shown.lastUs + 1);

    // Typing in the filter narrows the list; the chart stays.
    m_window->chart()->setVisibleRange(from, from + 96 * 15 * kMinute);
    auto *filter = m_window->seriesList()->findChild<QLineEdit *>();
    filter->setFocus();
    QTest::keyClicks(filter, "meter-");
    QTest::keyClicks(filter, "a");
    settle();
    QCOMPARE(m_window->chart()->series().name, QString("meter-b"));
    QCOMPARE(m_window->chart()->visibleStart(), from);
    // Ctrl+0 from the filter shows all.
    QTest::keyClick(filter, Qt::Key_0, Qt::ControlModifier);
    QCOMPARE(m_window->chart()->visibleStart(), *shown.firstUs);
    QCOMPARE(m_window->chart()->series().name, QString("meter-b"));
}

void TestWindowViews::switchingSeriesKeepsTheTimeRange()
{
    const qint64 from = test::at("2019-01-12T06:00:00Z");
    const qint64 to = test::at("2019-01-14T18:00:00Z");
    m_window->chart()->setVisibleRange(from, to);
    settle();
    QVERIFY(m_window->seriesList()->select("meter-b"));
    settle();
    QCOMPARE(m_window->chart()->series().name, QString("meter-b"));
    QCOMPARE(m_window->chart()->visibleStart(), from);
    QCOMPARE(m_window->chart()->visibleEnd(), to);
    QCOMPARE(m_window->chart()->drawnPoints(), qint64((to - from) / (15 * kMinute) + 2));
    QVERIFY(m_window->seriesList()->select("meter-a"));
    settle();
    QCOMPARE(m_window->chart()->visibleStart(), from);
    // Home (the chart focused) shows all.
    m_window->chart()->setFocus();
    QTest::keyClick(m_window->chart(), Qt::Key_Home);
    QCOMPARE(m_window->chart()->visibleStart(), *m_window->chart()->series().firstUs);
}

void TestWindowViews::listsThousandsOfSeries()
{
    // 2,000 meters with long names: more than the 1,000 the server lists in
    // one answer, so the list comes in pages.
    constexpr int kMeters = 2000;
    std::string csv = "time";
    for (int i = 0; i < kMeters; ++i)
        csv += ",zz-" + std::string(180, 'm') + "-" + std::to_string(100000 + i);
    csv += "\n2019-02-01T00:00:00Z";
    for (int i = 0; i < kMeters; ++i)
        csv += ",1.5";
    csv += "\n";
    test::importText(*test::clientFor(m_serverA.address()), csv, "meters.csv");
    m_connection->refresh();
    QTRY_COMPARE_WITH_TIMEOUT(m_window->seriesList()->model()->rowCount(), kMeters + 2, kSlowMs);
    QCOMPARE(m_window->seriesList()->selected(), QString("meter-a"));
}

void TestWindowViews::quitDuringAnImportAsks()
{
    const qint64 from = test::at("2024-01-01T00:00:00Z");
    const QString path = test::writeFile(
        m_dir.filePath("long.csv"),
        QByteArray::fromStdString(test::meterReadingsCsv("long", from, from + 2'000'000 * 15 * kMinute, 15 * kMinute)));
    m_window->importController()->importFiles({QUrl::fromLocalFile(path)});
    QVERIFY(m_window->importController()->busy());
    // Closing asks; keeping on importing leaves the window open.
    QVERIFY(!m_window->close());
    QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
    QVERIFY(m_window->quitQuestion()->text().contains("An import is still running"));
    const auto button = [&](const QString &text) -> QAbstractButton * {
        for (QAbstractButton *one : m_window->quitQuestion()->buttons()) {
            if (one->text() == text)
                return one;
        }
        return nullptr;
    };
    QVERIFY(button("&Keep Importing"));
    QTest::mouseClick(button("&Keep Importing"), Qt::LeftButton);
    QVERIFY(m_window->isVisible());
    QVERIFY(m_window->importController()->busy());
    // Asked again, quitting stops the import and closes the window.
    QVERIFY(!m_window->close());
    QTRY_VERIFY(m_window->quitQuestion() && m_window->quitQuestion()->isVisible());
    QVERIFY(button("&Quit Anyway"));
    QTest::mouseClick(button("&Quit Anyway"), Qt::LeftButton);
    QTRY_VERIFY(!m_window->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->importController()->busy(), kSlowMs);
    for (const v1::Series &series : test::clientFor(m_serverA.address())->listSeries())
        QVERIFY(series.name() != "long");
}

QTEST_MAIN(TestWindowViews)
#include "tst_window_views.moc"
