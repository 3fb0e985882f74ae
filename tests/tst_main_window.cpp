// The main window against a real meterscoped: what a user sees after a
// drop, the file dialog, a cancel, Live, and a server that goes away, with
// Live going on after it is back (#4).
// The slots run in order and share one server: the first imports the sample.
#include "client/client.h"
#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/drop_overlay.h"
#include "gui/import_controller.h"
#include "gui/import_report_dialog.h"
#include "gui/json_view.h"
#include "gui/layout_gate.h"
#include "gui/line_list_view.h"
#include "gui/live_feed.h"
#include "gui/main_window.h"
#include "gui/message_bar.h"
#include "gui/series_exporter.h"
#include "gui/series_list.h"
#include "gui/settings.h"
#include "gui/task_progress.h"
#include "support/app_window.h"
#include "support/clients.h"
#include "support/server_process.h"
#include "support/test_cluster.h"
#include "support/test_data.h"

#include <QApplication>
#include <QBuffer>
#include <QClipboard>
#include <QFileDialog>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineSeries>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>

#include <memory>

using namespace meterscope;
using namespace meterscope::app;

namespace {

constexpr int kSlowMs = 60000;

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

// A web server of one page per path: enough for a browser-dropped link.
class WebServer : public QObject {
public:
    explicit WebServer(QMap<QString, QPair<QByteArray, QByteArray>> pages)
        : m_pages(std::move(pages))
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                const QList<QByteArray> request = socket->readAll().split(' ');
                const auto page = m_pages.value(request.value(1));
                socket->write("HTTP/1.0 200 OK\r\nContent-Type: " + page.first + "\r\nContent-Length: "
                              + QByteArray::number(page.second.size()) + "\r\n\r\n" + page.second);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        });
    }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }

private:
    QTcpServer m_server;
    QMap<QString, QPair<QByteArray, QByteArray>> m_pages;
};

} // namespace

class TestMainWindow : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void dropImportsAndShowsTheSample();
    void refusesWhatItCannotImport_data();
    void refusesWhatItCannotImport();
    void fileDialogAndDropAreOnePath();
    void cancelMidImportStoresNothing();
    void lateCancelSaysWhatTheServerStored();
    void dropOfALinkDownloadsAndImports();
    void savesWhatTheCliExports();
    void exportsTheChartAsPngAndSvg();
    void displayZoneChangesEveryView();
    void followsLivePoints();
    void showsAServerThatWentAwayAndRecovers();

private:
    QStringList seriesNames();
    void drop(const QList<QUrl> &urls);
    QStringList serverArguments() const
    {
        return {"--listen", m_address, "--data-dir", m_dir.filePath("data"), "--log-level", "warning"};
    }

    test::TestDir m_dir;
    test::ServerProcess m_server;
    QString m_address = "127.0.0.1:0";
    std::unique_ptr<client::Client> m_client;
    test::AppWindow m_app;
};

void TestMainWindow::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(m_server.start(serverArguments()), qPrintable(m_server.log()));
    m_address = m_server.address();
    m_client = test::clientFor(m_address);
}

void TestMainWindow::init()
{
    m_app.open(m_dir.filePath("settings.ini"), m_address);
}

void TestMainWindow::cleanup()
{
    m_app.close();
}

QStringList TestMainWindow::seriesNames()
{
    QStringList names;
    for (const v1::Series &series : m_client->listSeries())
        names << QString::fromStdString(series.name());
    return names;
}

void TestMainWindow::drop(const QList<QUrl> &urls)
{
    // As a drag ends: it enters the window, then drops.
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(640, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &enter);
    QDropEvent event(QPointF(640, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &event);
}

void TestMainWindow::dropImportsAndShowsTheSample()
{
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(test::sampleCsv())});
    QDragEnterEvent enter(QPoint(640, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &enter);
    QVERIFY(enter.isAccepted());
    QVERIFY(m_app.window->dropOverlay()->isVisible());
    QCOMPARE(m_app.window->dropOverlay()->text(), QString("Drop to import meterusage.csv"));
    QDropEvent dropped(QPointF(640, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &dropped);
    QVERIFY(!m_app.window->dropOverlay()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog() && m_app.window->reportDialog()->isVisible(), kSlowMs);
    const ImportReportDialog *report = m_app.window->reportDialog();
    QVERIFY2(report->summary().contains(QLocale().toString(2974) + " rows imported"), qPrintable(report->summary()));
    QCOMPARE(report->filesTable()->item(0, 2)->text(), QLocale().toString(2974));
    QVERIFY2(report->linesText(false).contains("meterusage.csv:1548: missing value"),
             qPrintable(report->linesText(false)));

    // The imported series is shown: every point of it, in one line.
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->selected(), QString("meterusage"), kSlowMs);
    QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->chart()->busy(), kSlowMs);
    QCOMPARE(m_app.window->chart()->drawnPoints(), 2974);
    QCOMPARE(m_app.window->windowTitle(), QString("meterusage — Meterscope"));

    // The JSON tab; Select All and Copy give a valid document.
    m_app.window->tabs()->setCurrentWidget(m_app.window->jsonView());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->jsonView()->loaded(), kSlowMs);
    QApplication::setActiveWindow(m_app.window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_app.window.get()));
    LineListView *text = m_app.window->jsonView()->textView();
    text->setFocus();
    QTest::keySequence(text, QKeySequence::SelectAll);
    QTest::keySequence(text, QKeySequence::Copy);
    const QString copied = QGuiApplication::clipboard()->text();
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(copied.toUtf8(), &error);
    QVERIFY2(document.isObject(), qPrintable(error.errorString()));
    const QJsonObject object = document.object();
    QCOMPARE(object.size(), 2974);
    QCOMPARE(object.begin().key(), QString("2019-01-01T00:15:00Z"));
    QCOMPARE(object.begin().value().toDouble(), 55.09);
    QCOMPARE((object.end() - 1).key(), QString("2019-01-31T23:45:00Z"));
    QCOMPARE((object.end() - 1).value().toDouble(), 54.36);
    // What is on screen reads the same.
    QCOMPARE(m_app.window->jsonView()->model()->index(1, 0).data().toString(),
             QString("  \"2019-01-01T00:15:00Z\": 55.09,"));
}

void TestMainWindow::refusesWhatItCannotImport_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("why");
    QTest::addRow("image") << "photo.png"
                           << "photo.png is an image";
    QTest::addRow("empty folder") << "empty"
                                  << "holds no CSV files";
    QTest::addRow("missing file") << "gone.csv"
                                  << "gone.csv does not exist";
}

void TestMainWindow::refusesWhatItCannotImport()
{
    QFETCH(QString, name);
    QFETCH(QString, why);
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    if (name.endsWith(".png")) {
        QImage image(32, 32, QImage::Format_RGB32);
        image.fill(Qt::red);
        QVERIFY(image.save(path));
    } else if (!name.contains('.')) {
        QVERIFY(QDir(dir.path()).mkdir(name));
    }
    const QStringList before = seriesNames();
    const QList<QUrl> urls{QUrl::fromLocalFile(path)};

    // While dragging, the window says it will not take this.
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(QPoint(640, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &enter);
    QCOMPARE(m_app.window->dropOverlay()->text(), QString("Cannot import this"));
    QDragMoveEvent move(QPoint(650, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &move);
    QVERIFY(!move.isAccepted());

    QSignalSpy finished(m_app.window->importController(), &ImportController::finished);
    QDropEvent dropped(QPointF(650, 400), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(m_app.window.get(), &dropped);
    QVERIFY(m_app.window->noticeBar()->isVisible());
    QVERIFY2(m_app.window->noticeBar()->text().startsWith("Nothing was imported"),
             qPrintable(m_app.window->noticeBar()->text()));
    QVERIFY2(m_app.window->noticeBar()->text().contains(why), qPrintable(m_app.window->noticeBar()->text()));
    // Nothing was sent: no import started, the server holds what it held,
    // also a moment later, when a wrongly started import would have ended.
    QVERIFY(!m_app.window->importController()->busy());
    QVERIFY(!m_app.window->importProgress()->isVisible());
    QTest::qWait(1000);
    QCOMPARE(finished.count(), 0);
    QCOMPARE(seriesNames(), before);
}

void TestMainWindow::fileDialogAndDropAreOnePath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("dialog.csv");
    QVERIFY(writeFile(path, "time,dialog\n2019-02-01 00:00:00,1.5\n2019-02-01 00:15:00,2.5\n"));
    QSignalSpy requested(m_app.window->importController(), &ImportController::requested);

    m_app.window->importAction()->trigger();
    QFileDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_app.window->findChild<QFileDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->fileMode(), QFileDialog::ExistingFiles);
    QVERIFY(dialog->nameFilters().first().contains("*.csv"));
    dialog->setDirectory(dir.path());
    dialog->selectFile("dialog.csv");
    static_cast<QDialog *>(dialog)->accept(); // the Open button
    QCOMPARE(requested.count(), 1);
    QCOMPARE(requested.at(0).at(0).value<QList<QUrl>>(), QList<QUrl>{QUrl::fromLocalFile(path)});
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog() && m_app.window->reportDialog()->isVisible(), kSlowMs);
    QVERIFY(seriesNames().contains("dialog"));
    QCOMPARE(QDir(m_app.settings->lastImportFolder()), QDir(dir.path()));
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->selected(), QString("dialog"), kSlowMs);

    // The drop goes through the very same entry point.
    m_app.window->reportDialog()->hide();
    drop({QUrl::fromLocalFile(path)});
    QCOMPARE(requested.count(), 2);
    QCOMPARE(requested.at(1).at(0).value<QList<QUrl>>(), QList<QUrl>{QUrl::fromLocalFile(path)});
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog()->isVisible(), kSlowMs);
    QVERIFY2(m_app.window->reportDialog()->summary().contains("Nothing new"),
             qPrintable(m_app.window->reportDialog()->summary()));
}

void TestMainWindow::cancelMidImportStoresNothing()
{
    // Big enough that the upload is still running when Cancel is pressed.
    QTemporaryDir dir;
    const QString path = dir.filePath("big.csv");
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray chunk = "time,big\n";
        QDateTime time(QDate(2020, 1, 1), QTime(0, 0), QTimeZone::utc());
        for (int i = 0; i < 3'000'000; ++i) {
            chunk += time.addSecs(i).toString(Qt::ISODate).toLatin1() + ',' + QByteArray::number(i % 1000) + '\n';
            if (chunk.size() > (1 << 20)) {
                file.write(chunk);
                chunk.clear();
            }
        }
        file.write(chunk);
    }
    m_app.window->importController()->importFiles({QUrl::fromLocalFile(path)});
    QVERIFY(m_app.window->importProgress()->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->importProgress()->text().contains("rows"), kSlowMs);
    QTest::mouseClick(m_app.window->importProgress()->cancelButton(), Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog() && m_app.window->reportDialog()->isVisible(), kSlowMs);
    const QString status = m_app.window->reportDialog()->filesTable()->item(0, 1)->text();
    // Not a guess: what the server said when asked about the import id.
    QCOMPARE(status, QString("Cancelled: the server says nothing of this file was stored"));
    QVERIFY(!m_app.window->importProgress()->isVisible());
    QVERIFY(!seriesNames().contains("big"));
}

void TestMainWindow::lateCancelSaysWhatTheServerStored()
{
    // Cancels late enough that the server may have committed the file: the
    // report says what the server answers about the import id, never a guess.
    QTemporaryDir dir;
    constexpr int kRows = 50'000;
    for (const int delay : {150, 500, 900, 1500}) {
        const QString name = QStringLiteral("late_%1").arg(delay);
        const qint64 from = test::at("2024-01-01T00:00:00Z");
        const QString path = test::writeFile(dir.filePath(name + ".csv"),
                                             QByteArray::fromStdString(test::meterReadingsCsv(
                                                 name.toStdString(), from, from + kRows * 900'000'000LL, 900'000'000)));
        m_app.window->importController()->importFiles({QUrl::fromLocalFile(path)});
        // The delay counts from the upload: a cancel during the preview's dry
        // run sends nothing and says so ("nothing was stored"), not the server.
        QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->importController()->layoutGate()->busy(), kSlowMs);
        QTest::qWait(delay);
        if (m_app.window->importProgress()->isVisible())
            QTest::mouseClick(m_app.window->importProgress()->cancelButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->importController()->busy() && m_app.window->reportDialog(), kSlowMs);
        const QString status = m_app.window->reportDialog()->filesTable()->item(0, 1)->text();
        qint64 stored = 0;
        for (const v1::Series &series : m_client->listSeries())
            stored += series.name() == name.toStdString() ? series.points() : 0;
        qInfo("cancel after %d ms: \"%s\", %lld points stored", delay, qPrintable(status), stored);
        if (status.startsWith("Cancelled")) {
            QCOMPARE(status, QString("Cancelled: the server says nothing of this file was stored"));
            QCOMPARE(stored, 0);
        } else {
            QVERIFY2(status.startsWith("Imported"), qPrintable(status));
            QCOMPARE(stored, kRows);
        }
        m_app.window->reportDialog()->hide();
    }
}

void TestMainWindow::dropOfALinkDownloadsAndImports()
{
    QImage image(8, 8, QImage::Format_RGB32);
    image.fill(Qt::blue);
    QByteArray png;
    QBuffer buffer(&png);
    image.save(&buffer, "PNG");
    WebServer web(
        {{"/readings/remote.csv", {"text/csv", "time,remote\n2019-04-01 00:00:00,1.25\n2019-04-01 00:15:00,2.5\n"}},
         {"/picture", {"image/png", png}}});

    drop({web.url("/readings/remote.csv")});
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog() && m_app.window->reportDialog()->isVisible(), kSlowMs);
    QCOMPARE(m_app.window->reportDialog()->filesTable()->item(0, 0)->text(), QString("remote.csv"));
    QVERIFY(seriesNames().contains("remote"));
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->seriesList()->selected(), QString("remote"), kSlowMs);

    // A link that turns out to be an image is refused once its type is known.
    m_app.window->reportDialog()->hide();
    const QStringList before = seriesNames();
    drop({web.url("/picture")});
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->reportDialog()->isVisible(), kSlowMs);
    QVERIFY2(m_app.window->noticeBar()->text().contains("it is an image (image/png)"),
             qPrintable(m_app.window->noticeBar()->text()));
    QCOMPARE(seriesNames(), before);
}

void TestMainWindow::savesWhatTheCliExports()
{
    QTemporaryDir dir;
    SeriesExporter exporter(*m_app.connection);
    QSignalSpy finished(&exporter, &SeriesExporter::finished);
    const std::optional<SeriesInfo> series = m_app.connection->findSeries("meterusage");
    QVERIFY(series);
    for (const auto &[format, suffix] : {std::pair{client::ExportFormat::Json, QString("json")},
                                         std::pair{client::ExportFormat::Csv, QString("csv")}}) {
        finished.clear();
        const QString saved = dir.filePath("app." + suffix);
        exporter.exportSeries(*series, saved, format, DisplayZone());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kSlowMs);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));

        const QString cliOutput = dir.filePath("cli." + suffix);
        QProcess cli;
        cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
                  {"--server", m_address, "export", "--series", "meterusage", "--format", suffix, "-o", cliOutput});
        QVERIFY(cli.waitForFinished(kSlowMs));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QCOMPARE(readAll(saved), readAll(cliOutput));
    }
    const QByteArray csv = readAll(dir.filePath("app.csv"));
    QVERIFY(csv.startsWith("time,meterusage\n2019-01-01T00:15:00Z,55.09\n"));
}

void TestMainWindow::exportsTheChartAsPngAndSvg()
{
    QVERIFY(m_app.window->seriesList()->select("meterusage"));
    QTRY_VERIFY_WITH_TIMEOUT(!m_app.window->chart()->busy() && m_app.window->chart()->drawnPoints() == 2974, kSlowMs);
    QTemporaryDir dir;
    QVERIFY(m_app.window->chart()->saveImage(dir.filePath("chart.png")));
    const QImage png(dir.filePath("chart.png"));
    QCOMPARE(png.size(), m_app.window->chart()->viewport()->size() * m_app.window->chart()->devicePixelRatio());
    QVERIFY(m_app.window->chart()->saveImage(dir.filePath("chart.svg")));
    const QByteArray svg = readAll(dir.filePath("chart.svg"));
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains("<title>meterusage</title>"));
}

void TestMainWindow::displayZoneChangesEveryView()
{
    QVERIFY(m_app.window->seriesList()->select("meterusage"));
    m_app.window->tabs()->setCurrentWidget(m_app.window->jsonView());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->jsonView()->loaded(), kSlowMs);
    m_app.window->setDisplayZone(DisplayZone::named("Europe/Berlin"));
    QCOMPARE(m_app.window->jsonView()->model()->index(1).data().toString(),
             QString("  \"2019-01-01T01:15:00+01:00\": 55.09,"));
    QCOMPARE(m_app.window->chart()->chart()->axes(Qt::Horizontal).first()->titleText(),
             QString("Time (Europe/Berlin)"));
    const SeriesListModel *list = m_app.window->seriesList()->model();
    QCOMPARE(list->index(list->rowOf("meterusage"), SeriesListModel::FirstColumn).data().toString(),
             QString("2019-01-01 01:15"));
    QCOMPARE(m_app.settings->displayZone(), DisplayZone::named("Europe/Berlin"));
}

void TestMainWindow::followsLivePoints()
{
    QVERIFY(m_app.window->seriesList()->select("meterusage"));
    m_app.window->tabs()->setCurrentWidget(m_app.window->jsonView());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->jsonView()->loaded() && !m_app.window->chart()->busy(), kSlowMs);
    const qsizetype before = m_app.window->jsonView()->model()->pointCount();
    m_app.window->liveAction()->setChecked(true);

    QTemporaryDir dir;
    const QString path = dir.filePath("later.csv");
    QVERIFY(writeFile(path, "time,meterusage\n2019-02-01 00:00:00,42.5\n2019-02-01 00:15:00,43.5\n"));
    // Whether the subscription is running yet or not: it starts after the
    // last point shown, so it gets these either way.
    m_client->importFile(path.toStdString(), {});
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->jsonView()->model()->pointCount(), before + 2, kSlowMs);
    QVERIFY2(!m_app.window->noticeBar()->isVisible(), qPrintable(m_app.window->noticeBar()->text()));
    const JsonModel *model = m_app.window->jsonView()->model();
    QCOMPARE(model->index(model->rowCount() - 2).data().toString(), QString("  \"2019-02-01T00:15:00Z\": 43.5"));
    // The chart follows: the new points are in view.
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->chart()->drawnPoints(), int(before + 2), kSlowMs);
    QVERIFY(m_app.window->chart()->visibleEnd() > m_app.window->chart()->series().lastUs.value_or(0));
    m_app.window->liveAction()->setChecked(false);
}

void TestMainWindow::showsAServerThatWentAwayAndRecovers()
{
    QVERIFY(m_app.window->seriesList()->select("meterusage"));
    m_app.window->tabs()->setCurrentWidget(m_app.window->jsonView());
    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->jsonView()->loaded() && !m_app.window->chart()->busy(), kSlowMs);
    const int shown = m_app.window->chart()->drawnPoints();
    QVERIFY(shown > 0);
    const qsizetype before = m_app.window->jsonView()->model()->pointCount();
    m_app.window->liveAction()->setChecked(true);
    QCOMPARE(m_server.terminate(), 0);

    QTRY_VERIFY_WITH_TIMEOUT(m_app.window->connectionBar()->isVisible(), kSlowMs);
    QTRY_VERIFY2_WITH_TIMEOUT(m_app.window->connectionBar()->text().startsWith("Cannot reach " + m_address),
                              qPrintable(m_app.window->connectionBar()->text()), kSlowMs);
    QVERIFY(m_app.window->connectionBar()->actionButton()->isVisible());
    QVERIFY(m_app.window->connectionText().startsWith("Cannot reach"));
    // What was on screen stays there.
    QCOMPARE(m_app.window->chart()->drawnPoints(), shown);

    QVERIFY2(m_server.start(serverArguments()), qPrintable(m_server.log()));
    QTest::mouseClick(m_app.window->connectionBar()->actionButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_app.connection->state(), Connection::State::Connected, kSlowMs);
    QVERIFY(!m_app.window->connectionBar()->isVisible());
    QCOMPARE(m_app.window->connectionText(), "Connected to " + m_address);
    QVERIFY(m_app.window->seriesList()->model()->rowOf("meterusage") >= 0);

    // Live goes on where it left off: a point imported now is shown.
    QTemporaryDir dir;
    const QString path = dir.filePath("after-restart.csv");
    QVERIFY(writeFile(path, "time,meterusage\n2019-03-01 00:00:00,44.5\n"));
    client::ImportSettings settings;
    settings.importId = "after-restart"; // a retry is told what the first try stored
    QTRY_VERIFY_WITH_TIMEOUT(([&] {
                                 try { // the test's own client may meet the old connection first
                                     return m_client->importFile(path.toStdString(), settings).rows_new() == 1;
                                 } catch (const client::ClientError &) {
                                     return false;
                                 }
                             }()),
                             kSlowMs);
    QTRY_COMPARE_WITH_TIMEOUT(m_app.window->jsonView()->model()->pointCount(), before + 1, kSlowMs);
    QVERIFY(m_app.window->liveAction()->isChecked());
    m_app.window->liveAction()->setChecked(false);
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
