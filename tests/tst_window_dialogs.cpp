// The window's smaller dialogs and corners as a user meets them (#12):
// Help ▸ About names the local server's socket, import reports show whole
// reasons, the zone and URL dialogs are wide enough for what is typed in
// them, file dialogs open where the user last was (one folder for imports,
// one for saves), and an empty series draws no axis titles on top of each
// other. One real server on the socket the app's own local server uses.
#include "client/local_socket.h"
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/import_controller.h"
#include "gui/import_report_dialog.h"
#include "gui/main_window.h"
#include "gui/series_list.h"
#include "gui/settings.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QAbstractAxis>
#include <QChart>
#include <QComboBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTableWidget>
#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;

// The one dialog of type T the window shows now.
template<typename T>
T *shownDialog(QWidget *window)
{
    for (T *dialog : window->findChildren<T *>()) {
        if (dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

QAction *actionNamed(QWidget *window, const QString &text)
{
    for (QAction *action : window->findChildren<QAction *>()) {
        if (action->text() == text)
            return action;
    }
    return nullptr;
}

// Whether `item`'s whole text fits its cell, wrapped, and the cell is in view.
bool readable(const QTableWidget *table, const QTableWidgetItem *item)
{
    const QRect cell = table->visualItemRect(item);
    const int margin = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1);
    const QRect needed
        = table->fontMetrics().boundingRect(QRect(0, 0, cell.width() - margin, 100000), Qt::TextWordWrap, item->text());
    return needed.height() <= cell.height() && needed.width() <= cell.width() - margin
           && table->viewport()->rect().contains(cell) && item->toolTip() == item->text();
}

} // namespace

class TestWindowDialogs : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void aboutNamesTheLocalServer();
    void importReportShowsWholeReasons();
    void zoneAndUrlDialogsAreWideEnough();
    void foldersAreRememberedForImportAndSave();
    void emptySeriesDrawsNoAxes();

private:
    QFileDialog *openFileDialog(QAction *action);
    void drop(const QList<QUrl> &urls);

    test::TestDir m_dir;
    test::ServerProcess m_server;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<Connection> m_connection;
    std::unique_ptr<MainWindow> m_window;
};

void TestWindowDialogs::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The socket the app's own local server takes, in a runtime folder of
    // the test's own.
    QVERIFY(QDir(m_dir.path()).mkpath("runtime"));
    QFile::setPermissions(m_dir.filePath("runtime"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    qputenv("XDG_RUNTIME_DIR", m_dir.filePath("runtime").toLocal8Bit());
    QVERIFY2(m_server.start({"--listen", "unix:" + client::appServerSocket(), "--data-dir", m_dir.filePath("data"),
                             "--import", test::sampleCsv(), "--log-level", "warning"}),
             qPrintable(m_server.log()));
}

void TestWindowDialogs::init()
{
    QFile::remove(m_dir.filePath("settings.ini"));
    m_settings = std::make_unique<Settings>(m_dir.filePath("settings.ini"));
    m_connection = std::make_unique<Connection>();
    m_connection->connectTo(test::connectionTo(m_server.address()), "the local server");
    m_window = std::make_unique<MainWindow>(*m_connection, *m_settings);
    // Earlier slots import series of their own.
    m_window->showSeriesWhenListed("meterusage");
    m_window->resize(800, 600);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_window->seriesList()->selected(), QString("meterusage"), kSlowMs);
}

void TestWindowDialogs::cleanup()
{
    m_window.reset();
    m_connection.reset();
    m_settings.reset();
}

QFileDialog *TestWindowDialogs::openFileDialog(QAction *action)
{
    action->trigger();
    QFileDialog *dialog = nullptr;
    if (!QTest::qWaitFor([&] { return (dialog = shownDialog<QFileDialog>(m_window.get())) != nullptr; }, kSlowMs))
        qWarning("no file dialog opened");
    return dialog;
}

void TestWindowDialogs::drop(const QList<QUrl> &urls)
{
    // As a drag ends: it enters the window, then drops.
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &enter);
    QDropEvent event(QPointF(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_window.get(), &event);
}

void TestWindowDialogs::aboutNamesTheLocalServer()
{
    // #12: the app's own server is reachable from a terminal, and the user
    // can find out how.
    const QString address = "unix:" + client::appServerSocket();
    QAction *about = actionNamed(m_window.get(), "&About Meterscope");
    QVERIFY(about);
    about->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = shownDialog<QMessageBox>(m_window.get())));
    QVERIFY2(box->text().contains(address) && box->text().contains("meterscope-cli --local series"),
             qPrintable(box->text()));
    box->close();

    QLabel *state = nullptr;
    for (QLabel *label : m_window->statusBar()->findChildren<QLabel *>()) {
        if (label->text().contains("Connected to the local server"))
            state = label;
    }
    QVERIFY(state);
    QVERIFY2(state->toolTip().contains(address) && state->toolTip().contains("meterscope-cli --local series"),
             qPrintable(state->toolTip()));
}

void TestWindowDialogs::importReportShowsWholeReasons()
{
    // #12: the reasons in the report were cut off at the column's edge.
    const QString refused
        = test::writeFile(m_dir.filePath("refused.csv"), "time," + QByteArray(240, 'n') + "\n2019-01-01 00:00:00,1\n");
    const QString rejected = test::writeFile(m_dir.filePath("rejected.csv"),
                                             "time,report_reasons\n2019-01-01 00:00:00,1\n" + QByteArray(120, 'T')
                                                 + ",2\n2019-01-01 00:30:00," + QByteArray(100, '9') + "x\n");
    m_window->resize(640, 480);
    m_window->importController()->importFiles({QUrl::fromLocalFile(refused), QUrl::fromLocalFile(rejected)});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->reportDialog() && m_window->reportDialog()->isVisible(), kSlowMs);
    ImportReportDialog *report = m_window->reportDialog();
    QVERIFY(QTest::qWaitForWindowExposed(report));
    QVERIFY2(report->width() <= report->screen()->availableSize().width(),
             qPrintable(QString::number(report->width())));
    QTableWidget *files = report->filesTable();
    const QTableWidgetItem *failure = files->item(0, 1);
    QVERIFY2(failure->text().startsWith("Failed: ") && failure->text().size() > 80, qPrintable(failure->text()));
    QTRY_VERIFY2(readable(files, failure), qPrintable(failure->text()));
    QVERIFY(readable(files, files->item(1, 1)));
    QTableWidget *lines = report->linesTable();
    QCOMPARE(lines->rowCount(), 2);
    for (int row = 0; row < lines->rowCount(); ++row)
        QTRY_VERIFY2(readable(lines, lines->item(row, 3)), qPrintable(lines->item(row, 3)->text()));
    // Columns can be widened by hand.
    QCOMPARE(lines->horizontalHeader()->sectionResizeMode(0), QHeaderView::Interactive);
}

void TestWindowDialogs::zoneAndUrlDialogsAreWideEnough()
{
    // #12: both were a few characters wide.
    const QFontMetrics metrics(m_window->font());
    QAction *zone = actionNamed(m_window.get(), "Other Zone…");
    QVERIFY(zone);
    zone->trigger();
    QInputDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = shownDialog<QInputDialog>(m_window.get())));
    QComboBox *zones = dialog->findChild<QComboBox *>();
    QVERIFY(zones);
    QVERIFY2(zones->width() >= metrics.horizontalAdvance("America/Argentina/ComodRivadavia"),
             qPrintable(QString::number(zones->width())));
    zones->setCurrentText("Europe/Berlin");
    dialog->accept();
    QTRY_VERIFY(actionNamed(m_window.get(), "Other Zone (Europe/Berlin)…"));

    QAction *url = actionNamed(m_window.get(), "Import from &URL…");
    QVERIFY(url);
    url->trigger();
    QTRY_VERIFY((dialog = shownDialog<QInputDialog>(m_window.get())));
    QLineEdit *edit = dialog->findChild<QLineEdit *>();
    QVERIFY(edit);
    QVERIFY2(edit->width() >= metrics.horizontalAdvance("https://data.example.org/meters/2019/meterusage-january.csv"),
             qPrintable(QString::number(edit->width())));
    dialog->reject();
}

void TestWindowDialogs::foldersAreRememberedForImportAndSave()
{
    // #12: the folder of a dropped file was forgotten, a file typed with
    // its folder did not count, and saving opened in the import folder.
    QDir root(m_dir.path());
    for (const char *folder : {"dropped", "typed", "saved"})
        QVERIFY(root.mkpath(folder));
    const QString dropped = test::writeFile(root.filePath("dropped/dropped.csv"), "time,dropped\n2019-02-01,1\n");
    const QString typed = test::writeFile(root.filePath("typed/typed.csv"), "time,typed\n2019-02-01,1\n");

    drop({QUrl::fromLocalFile(dropped)});
    QTRY_VERIFY_WITH_TIMEOUT(m_window->reportDialog() && m_window->reportDialog()->isVisible(), kSlowMs);
    m_window->reportDialog()->hide();
    QCOMPARE(QDir(m_settings->lastImportFolder()), QDir(root.filePath("dropped")));

    QFileDialog *dialog = openFileDialog(m_window->importAction());
    QVERIFY(dialog);
    QCOMPARE(dialog->directory(), QDir(root.filePath("dropped")));
    // Typed with its folder into the name field, never navigated to.
    QLineEdit *name = dialog->findChild<QLineEdit *>("fileNameEdit");
    QVERIFY(name);
    name->setText(typed);
    static_cast<QDialog *>(dialog)->accept();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->reportDialog()->isVisible(), kSlowMs);
    m_window->reportDialog()->hide();
    QCOMPARE(QDir(m_settings->lastImportFolder()), QDir(root.filePath("typed")));
    // The report comes before the refreshed list shows the new series; the
    // save dialogs below propose the name of the series shown.
    QTRY_COMPARE_WITH_TIMEOUT(m_window->windowTitle(), QString("typed — Meterscope"), kSlowMs);

    // Saving starts at home, not in the import folder, and is remembered apart.
    QTRY_VERIFY(!shownDialog<QFileDialog>(m_window.get()));
    dialog = openFileDialog(actionNamed(m_window.get(), "Export &Chart as Image…"));
    QVERIFY(dialog);
    QCOMPARE(dialog->directory(), QDir::home());
    const QString chart = root.filePath("saved/chart.png");
    dialog->findChild<QLineEdit *>("fileNameEdit")->setText(chart);
    static_cast<QDialog *>(dialog)->accept();
    QTRY_VERIFY(QFileInfo::exists(chart));
    QCOMPARE(QDir(m_settings->lastSaveFolder()), QDir(root.filePath("saved")));
    QCOMPARE(QDir(m_settings->lastImportFolder()), QDir(root.filePath("typed")));

    QTRY_VERIFY(!shownDialog<QFileDialog>(m_window.get()));
    dialog = openFileDialog(actionNamed(m_window.get(), "Save Series as &JSON…"));
    QVERIFY(dialog);
    QCOMPARE(dialog->directory(), QDir(root.filePath("saved")));
    QVERIFY2(dialog->selectedFiles().value(0).endsWith("/saved/typed.json"),
             qPrintable(dialog->selectedFiles().value(0)));
    dialog->reject();
    QTRY_VERIFY(!shownDialog<QFileDialog>(m_window.get()));
    dialog = openFileDialog(m_window->importAction());
    QVERIFY(dialog);
    QCOMPARE(dialog->directory(), QDir(root.filePath("typed")));
    dialog->reject();
}

void TestWindowDialogs::emptySeriesDrawsNoAxes()
{
    // #12: "Time (UTC)" and "Value" were drawn over each other in the corner.
    ChartView *chart = m_window->chart();
    const auto axesShown = [chart] {
        int shown = 0;
        for (const QAbstractAxis *axis : chart->chart()->axes())
            shown += axis->isVisible() && axis->isTitleVisible() ? 1 : 0;
        return shown;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!chart->busy(), kSlowMs);
    QCOMPARE(axesShown(), 2);
    chart->showSeries(SeriesInfo{"empty", {}, 0, std::nullopt, std::nullopt});
    QCOMPARE(axesShown(), 0);
    QString error;
    QVERIFY2(chart->saveImage(m_dir.filePath("empty.png"), &error), qPrintable(error));

    // Its first points (Live) bring the axes back.
    PointColumns points;
    points.timesUs = {test::at("2019-01-01T00:00:00Z"), test::at("2019-01-01T00:15:00Z")};
    points.values = {1, 2};
    chart->appendPoints(points);
    QCOMPARE(axesShown(), 2);
    chart->showSeries(*m_connection->findSeries("meterusage"));
    QCOMPARE(axesShown(), 2);
}

QTEST_MAIN(TestWindowDialogs)
#include "tst_window_dialogs.moc"
