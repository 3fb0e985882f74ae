// Series management in the app (#14): the series list's context menu
// deletes a series (after a confirmation naming its points), deletes a
// time range, renames and sets the unit; the chart and JSON views follow,
// also when another client deletes the series shown live. The Y axis
// names the unit. A real server.
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/json_model.h"
#include "gui/json_view.h"
#include "gui/main_window.h"
#include "gui/message_bar.h"
#include "gui/range_dialog.h"
#include "gui/series_list.h"
#include "gui/settings.h"
#include "support/app_window.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"
#include "time/instant.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QContextMenuEvent>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QStatusBar>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>

#include <algorithm>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;
constexpr int kMinutes = 120;

} // namespace

class TestSeriesManage : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void deleteFromTheContextMenu();
    void deleteATimeRange();
    void rename();
    void unitOnTheYAxis();
    void kindFromTheMenu();
    void deleteByAnotherClientClearsLiveViews();

private:
    // Imports `series` (kMinutes points) and shows it.
    void show(const QString &series);
    void settle();
    // Selects and right-clicks the row of `series`: its context menu, open.
    QMenu *openMenu(const QString &series);
    // Right-clicks the row of `series` and triggers the menu's `item`, or
    // the item `subitem` of its submenu `item`.
    void chooseFromMenu(const QString &series, const QString &item, const QString &subitem = {});
    template<typename Dialog>
    Dialog *dialog(const char *name);
    void answerDelete(const QString &question);
    QString yTitle() const;
    QList<qint64> jsonTimes();
    void runCli(const QStringList &arguments);

    test::TestDir m_dir;
    test::ServerProcess m_server;
    std::unique_ptr<client::Client> m_client;
    test::AppWindow m_app;
};

void TestSeriesManage::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(
        m_server.start({"--listen", "127.0.0.1:0", "--data-dir", m_dir.filePath("data"), "--log-level", "warning"}),
        qPrintable(m_server.log()));
    m_client = test::clientFor(m_server.address());
    test::importText(*m_client, test::minutesCsv("other", 0, kMinutes), "other.csv");
}

void TestSeriesManage::init()
{
    m_app.open(m_dir.filePath("settings.ini"), m_server.address());
    if (QTest::currentTestFailed())
        return;
    QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->seriesList()->selected().isEmpty(), kSlowMs);
}

void TestSeriesManage::cleanup()
{
    m_app.close();
}

void TestSeriesManage::show(const QString &series)
{
    test::importText(*m_client, test::minutesCsv(series.toStdString(), 0, kMinutes), series.toStdString() + ".csv");
    m_app.connection->refresh();
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->seriesList()->select(series), kSlowMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->chart()->series().name, series, kSlowMs);
    settle();
}

void TestSeriesManage::settle()
{
    QTest::qWait(200);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->chart()->busy(), kSlowMs);
}

QMenu *TestSeriesManage::openMenu(const QString &series)
{
    SeriesList *list = m_app.window->seriesList();
    if (!list->select(series))
        return nullptr;
    const QRect row = list->view()->visualRect(list->view()->currentIndex());
    QContextMenuEvent event(QContextMenuEvent::Mouse, row.center(),
                            list->view()->viewport()->mapToGlobal(row.center()));
    QApplication::sendEvent(list->view()->viewport(), &event);
    return qobject_cast<QMenu *>(QApplication::activePopupWidget());
}

void TestSeriesManage::chooseFromMenu(const QString &series, const QString &item, const QString &subitem)
{
    QMenu *menu = openMenu(series);
    QVERIFY(menu);
    QAction *chosen = nullptr;
    QStringList items;
    for (QAction *action : menu->actions()) {
        items << action->text();
        if (action->text() == item)
            chosen = action;
    }
    QVERIFY2(chosen, qPrintable(items.join(", ")));
    if (!subitem.isEmpty()) {
        QVERIFY(chosen->menu());
        const QList<QAction *> subitems = chosen->menu()->actions();
        const auto at
            = std::find_if(subitems.begin(), subitems.end(), [&](QAction *a) { return a->text() == subitem; });
        QVERIFY2(at != subitems.end(), qPrintable(subitem));
        chosen = *at;
    }
    QVERIFY(chosen->isEnabled());
    menu->close();
    chosen->trigger();
}

template<typename Dialog>
Dialog *TestSeriesManage::dialog(const char *name)
{
    Dialog *found = nullptr;
    [&] { QTRY_VERIFY((found = m_app.window->findChild<Dialog *>(name)) && found->isVisible()); }();
    return found;
}

void TestSeriesManage::answerDelete(const QString &question)
{
    auto *box = dialog<QMessageBox>("deleteQuestion");
    QVERIFY(box);
    QCOMPARE(box->text(), question);
    QCOMPARE(box->informativeText(), QString("This cannot be undone."));
    QPushButton *yes = nullptr;
    for (QAbstractButton *button : box->buttons()) {
        if (box->buttonRole(button) == QMessageBox::DestructiveRole)
            yes = qobject_cast<QPushButton *>(button);
    }
    QVERIFY(yes);
    yes->click();
}

QString TestSeriesManage::yTitle() const
{
    return m_app.window->chart()->chart()->axes(Qt::Vertical).first()->titleText();
}

QList<qint64> TestSeriesManage::jsonTimes()
{
    m_app.window->tabs()->setCurrentWidget(m_app.window->jsonView());
    [&] { QTRY_VERIFY_WITH_TIMEOUT(m_app.window->jsonView()->loaded(), kSlowMs); }();
    return m_app.window->jsonView()->model()->points().timesUs;
}

void TestSeriesManage::runCli(const QStringList &arguments)
{
    QProcess cli;
    cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
              QStringList{"--server", m_server.address()} + arguments);
    QVERIFY(cli.waitForFinished(kSlowMs));
    QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
}

void TestSeriesManage::deleteFromTheContextMenu()
{
    show("doomed");
    QCOMPARE(jsonTimes().size(), kMinutes);
    chooseFromMenu("doomed", "&Delete Series…");
    answerDelete("Delete 'doomed' and its 120 points?");

    const QString gone = "The series 'doomed' was deleted.";
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->model()->rowOf("doomed"), -1, kSlowMs);
    QTRY_COMPARE(m_app.window->chart()->notice(), gone);
    QCOMPARE(m_app.window->chart()->series().name, QString());
    QCOMPARE(m_app.window->chart()->drawnPoints(), 0);
    QCOMPARE(m_app.window->jsonView()->model()->pointCount(), 0);
    QCOMPARE(m_app.window->jsonView()->statusText(), gone);
    // The cleared views stay up saying so; no other series is shown instead.
    QVERIFY(m_app.window->tabs()->isVisible());
    QTest::qWait(500);
    QCOMPARE(m_app.window->seriesList()->selected(), QString());
    QCOMPARE(m_app.window->chart()->notice(), gone);
    QCOMPARE(m_app.window->windowTitle(), QString("Meterscope"));
    for (const v1::Series &series : m_client->listSeries())
        QVERIFY(series.name() != "doomed");
}

void TestSeriesManage::deleteATimeRange()
{
    show("trimmed");
    // The whole series: To (not included) still takes in its last point.
    chooseFromMenu("trimmed", "Delete a &Time Range…");
    auto *whole = dialog<RangeDialog>("rangeDialog");
    QVERIFY(whole);
    QCOMPARE(whole->fromEdit()->text(), formatWallTime(test::minuteTime(0), {}, "yyyy-MM-dd HH:mm:ss"));
    QCOMPARE(whole->toEdit()->text(),
             formatWallTime(test::minuteTime(kMinutes - 1) + timeutil::kMicrosPerSecond, {}, "yyyy-MM-dd HH:mm:ss"));
    whole->reject();
    QTRY_VERIFY(!m_app.window->findChild<RangeDialog *>("rangeDialog"));
    // The dialog starts with the chart's visible range, in the display zone.
    m_app.window->chart()->setVisibleRange(test::minuteTime(30), test::minuteTime(60));
    settle();
    chooseFromMenu("trimmed", "Delete a &Time Range…");
    auto *range = dialog<RangeDialog>("rangeDialog");
    QVERIFY(range);
    QCOMPARE(range->fromEdit()->text(), formatWallTime(test::minuteTime(30), {}, "yyyy-MM-dd HH:mm:ss"));
    QCOMPARE(range->toEdit()->text(), formatWallTime(test::minuteTime(60), {}, "yyyy-MM-dd HH:mm:ss"));
    // Nonsense is refused in the dialog, which stays open.
    range->toEdit()->setText("yesterday");
    range->accept();
    QVERIFY(range->isVisible());
    QVERIFY(range->findChild<QLabel *>("problem")->isVisible());
    range->toEdit()->setText(formatWallTime(test::minuteTime(60), {}, "yyyy-MM-dd HH:mm:ss"));
    range->accept();
    answerDelete(QString("Delete the points of 'trimmed' from %1 to %2?")
                     .arg(formatWallTime(test::minuteTime(30), {}, "yyyy-MM-dd HH:mm:ss"),
                          formatWallTime(test::minuteTime(60), {}, "yyyy-MM-dd HH:mm:ss")));

    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->chart()->series().points, kMinutes - 30, kSlowMs);
    settle();
    m_app.window->chart()->resetZoom();
    settle();
    QCOMPARE(m_app.window->chart()->drawnPoints(), kMinutes - 30);
    for (const QPointF &point : m_app.window->chart()->line()->points())
        QVERIFY(point.y() < 30 || point.y() >= 60);
    const QList<qint64> times = jsonTimes();
    QCOMPARE(times.size(), kMinutes - 30);
    for (const qint64 time : times)
        QVERIFY(time < test::minuteTime(30) || time >= test::minuteTime(60));
    QCOMPARE(m_app.window->seriesList()->selected(), QString("trimmed"));
}

void TestSeriesManage::rename()
{
    show("before");
    chooseFromMenu("before", "&Rename…");
    auto *input = dialog<QInputDialog>("renameDialog");
    QVERIFY(input);
    QCOMPARE(input->textValue(), QString("before"));
    input->setTextValue("after");
    input->done(QDialog::Accepted);

    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->selected(), QString("after"), kSlowMs);
    QTRY_COMPARE(m_app.window->chart()->chart()->title(), QString("after"));
    QCOMPARE(m_app.window->seriesList()->model()->rowOf("before"), -1);
    QCOMPARE(m_app.window->windowTitle(), QString("after — Meterscope"));
    settle();
    QCOMPARE(m_app.window->chart()->series().points, kMinutes);
    QCOMPARE(jsonTimes().size(), kMinutes);

    // A name that is taken: the server's refusal, and nothing changes.
    chooseFromMenu("after", "&Rename…");
    input = dialog<QInputDialog>("renameDialog");
    QVERIFY(input);
    input->setTextValue("other");
    input->done(QDialog::Accepted);
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->noticeBar()->isVisible(), kSlowMs);
    QVERIFY2(m_app.window->noticeBar()->text().contains("other"), qPrintable(m_app.window->noticeBar()->text()));
    QCOMPARE(m_app.window->seriesList()->selected(), QString("after"));
    QCOMPARE(m_app.window->chart()->series().name, QString("after"));
}

void TestSeriesManage::unitOnTheYAxis()
{
    show("metered");
    QCOMPARE(yTitle(), QString("Value"));
    chooseFromMenu("metered", "Set &Unit…");
    auto *input = dialog<QInputDialog>("unitDialog");
    QVERIFY(input);
    input->setTextValue("kWh");
    input->done(QDialog::Accepted);
    QTRY_COMPARE_WITH_TIMEOUT(yTitle(), QString("Value (kWh)"), kSlowMs);
    QCOMPARE(m_app.window->chart()->chart()->title(), QString("metered (kWh)"));
    settle();
    // The exported drawing carries it too.
    const QString svg = m_dir.filePath("metered.svg");
    QVERIFY(m_app.window->chart()->saveImage(svg));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("Value (kWh)"));
    QCOMPARE(m_app.connection->findSeries("metered")->unit, QString("kWh"));
}

void TestSeriesManage::kindFromTheMenu()
{
    // Its readings count up a minute at a time: a register, says the import.
    show("kinded");
    QCOMPARE(m_app.connection->findSeries("kinded")->kind, QString("cumulative"));
    chooseFromMenu("kinded", "&Kind", "In&stant: a level, averaged");
    QTRY_COMPARE_WITH_TIMEOUT(m_app.connection->findSeries("kinded")->kind, QString("instant"), kSlowMs);
    QVERIFY2(m_app.window->statusBar()->currentMessage().contains("'kinded' is now instant"),
             qPrintable(m_app.window->statusBar()->currentMessage()));
    // The menu shows the kind it has now.
    QMenu *menu = openMenu("kinded");
    QVERIFY(menu);
    QStringList checked;
    for (QAction *action : menu->actions()) {
        if (action->menu()) {
            for (QAction *kind : action->menu()->actions()) {
                if (kind->isChecked())
                    checked << kind->text();
            }
        }
    }
    menu->close();
    QCOMPARE(checked, QStringList{"In&stant: a level, averaged"});
}

void TestSeriesManage::deleteByAnotherClientClearsLiveViews()
{
    show("watched");
    QCOMPARE(jsonTimes().size(), kMinutes);
    m_app.window->tabs()->setCurrentWidget(m_app.window->chart());
    m_app.window->liveAction()->setChecked(true);
    QTest::qWait(1500);

    // Another client removes a range: the points leave both views.
    runCli({"delete", "--series", "watched", "--from", QString::fromStdString(timeutil::formatIso(test::minuteTime(0))),
            "--to", QString::fromStdString(timeutil::formatIso(test::minuteTime(20)))});
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->chart()->series().points, kMinutes - 20, kSlowMs);
    settle();
    QCOMPARE(m_app.window->chart()->drawnPoints(), kMinutes - 20);
    QCOMPARE(jsonTimes().size(), kMinutes - 20);
    QVERIFY(m_app.window->liveAction()->isChecked());
    QTest::qWait(1500);

    // ... and then the whole series.
    runCli({"delete", "--series", "watched"});
    const QString gone = "The series 'watched' was deleted.";
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->chart()->notice(), gone, kSlowMs);
    QCOMPARE(m_app.window->jsonView()->statusText(), gone);
    QCOMPARE(m_app.window->jsonView()->model()->pointCount(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->model()->rowOf("watched"), -1, kSlowMs);
    QVERIFY(!m_app.window->noticeBar()->isVisible());
}

QTEST_MAIN(TestSeriesManage)
#include "tst_series_manage.moc"
