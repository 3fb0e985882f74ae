#include "gui/main_window.h"

#include "gui/about_dialog.h"
#include "gui/chart_view.h"
#include "gui/connection_dialog.h"
#include "gui/connection_status.h"
#include "gui/drop_overlay.h"
#include "gui/gaps_panel.h"
#include "gui/heatmap_view.h"
#include "gui/import_report_dialog.h"
#include "gui/json_view.h"
#include "gui/layout_gate.h"
#include "gui/live_feed.h"
#include "gui/message_bar.h"
#include "gui/placeholder_page.h"
#include "gui/range_statistics.h"
#include "gui/series_exporter.h"
#include "gui/series_list.h"
#include "gui/series_manager.h"
#include "gui/settings.h"
#include "gui/task_progress.h"
#include "gui/totals_view.h"
#include "gui/window_dialogs.h"

#include <QAction>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace meterscope::app {

namespace {

constexpr int kStatusMessageMs = 8000;

} // namespace

MainWindow::MainWindow(Connection &connection, Settings &settings, QWidget *parent)
    : QMainWindow(parent)
    , m_connection(connection)
    , m_settings(settings)
    , m_import(new ImportController(connection, settings, this))
    , m_exporter(new SeriesExporter(connection, this))
    , m_live(new LiveFeed(connection, this))
    , m_seriesList(new SeriesList(this))
    , m_chart(new ChartView(connection, this))
    , m_json(new JsonView(connection, this))
    , m_totals(new TotalsView(connection, settings, this))
    , m_heatmap(new HeatmapView(connection, this))
    , m_rangeStatistics(new RangeStatistics(connection, this))
    , m_tabs(new QTabWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_connectionBar(new MessageBar(this))
    , m_noticeBar(new MessageBar(this))
    , m_connectionStatus(new ConnectionStatus(connection, *m_connectionBar, this))
    , m_importProgress(new TaskProgress(this))
    , m_exportProgress(new TaskProgress(this))
    , m_actions(m_import->layoutGate()->layoutsAction(), m_chart->resetZoomAction(), this)
{
    setWindowTitle(tr("Meterscope"));
    setAcceptDrops(true);
    m_chart->setAcceptDrops(false);
    m_chart->viewport()->setAcceptDrops(false);

    connectActions();
    m_actions.addTo(*this);
    m_json->addBarAction(m_actions.exportJson);
    m_totals->addBarAction(m_actions.exportTotals);
    // A gap chosen in the Totals tab: the chart shows it.
    connect(m_totals->gaps(), &GapsPanel::gapChosen, this, [this](qint64 startUs, qint64 endUs) {
        m_tabs->setCurrentWidget(m_chart);
        m_chart->setVisibleRange(startUs, endUs);
    });

    m_tabs->addTab(m_chart, tr("Chart"));
    m_tabs->addTab(m_json, tr("JSON"));
    m_tabs->addTab(m_totals, tr("Totals"));
    m_tabs->addTab(m_heatmap, tr("Heatmap"));
    m_tabs->setDocumentMode(true);
    m_placeholder = createPlaceholderPage(m_actions.importFiles, m_placeholderTitle, this);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(m_tabs);

    m_splitter->addWidget(m_seriesList);
    m_splitter->addWidget(m_stack);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({430, 850});
    m_splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->addWidget(m_connectionBar);
    layout->addWidget(m_noticeBar);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    m_dropOverlay = new DropOverlay(central);

    statusBar()->addPermanentWidget(m_rangeStatistics);
    statusBar()->addPermanentWidget(m_importProgress);
    statusBar()->addPermanentWidget(m_exportProgress);
    statusBar()->addPermanentWidget(m_connectionStatus);

    connect(&m_connection, &Connection::messageChanged, this, &MainWindow::showConnection);
    // Views that failed to load try again once the server is back, not on
    // every look at it.
    connect(&m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Connected) {
            m_chart->retryIfFailed();
            m_json->retryIfFailed();
            m_totals->retryIfFailed();
            m_heatmap->retryIfFailed();
        }
    });
    connect(&m_connection, &Connection::seriesListed, this, &MainWindow::onSeriesListed);
    connect(&m_connection, &Connection::serverChanged, this, &MainWindow::onServerChanged);
    connect(m_seriesList, &SeriesList::seriesSelected, this, &MainWindow::onSeriesSelected);
    // What the chart shows.
    connect(m_chart, &ChartView::visibleRangeChanged, this,
            [this](qint64 startUs, qint64 endUs) { m_rangeStatistics->showRange(m_chart->series(), startUs, endUs); });

    connect(m_import, &ImportController::requested, m_noticeBar, &MessageBar::hide);
    connect(m_import, &ImportController::requested, this,
            [this](const QList<QUrl> &urls) { rememberImportFolder(m_settings, urls); });
    connect(m_import, &ImportController::refused, this,
            [this](const QString &message) { m_noticeBar->showMessage(MessageBar::Kind::Warning, message); });
    connect(m_import, &ImportController::progress, m_importProgress, &TaskProgress::setProgress);
    connect(m_importProgress, &TaskProgress::cancelRequested, m_import, &ImportController::cancel);
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportsFinished);

    connect(m_exporter, &SeriesExporter::progress, m_exportProgress, &TaskProgress::setProgress);
    connect(m_exportProgress, &TaskProgress::cancelRequested, m_exporter, &SeriesExporter::cancel);
    connect(m_exporter, &SeriesExporter::finished, this, [this](bool ok, const QString &message) {
        m_exportProgress->finish();
        if (ok)
            statusBar()->showMessage(message, kStatusMessageMs);
        else
            m_noticeBar->showMessage(MessageBar::Kind::Error, message);
    });

    connect(m_live, &LiveFeed::pointsArrived, this, [this](const PointColumns &points) {
        m_chart->appendPoints(points);
        m_json->appendPoints(points);
    });
    auto *manager = new SeriesManager(connection, *m_seriesList, *m_chart, *m_noticeBar, this);
    connect(manager, &SeriesManager::done, this,
            [this](const QString &text) { statusBar()->showMessage(text, kStatusMessageMs); });
    connect(m_live, &LiveFeed::seriesDeleted, this, &MainWindow::onSeriesDeleted);
    connect(m_live, &LiveFeed::seriesRenamed, this, &MainWindow::onSeriesChanged);
    connect(m_live, &LiveFeed::pointsRemoved, this, [this](const QString &series) { onSeriesChanged(series, series); });
    connect(manager, &SeriesManager::seriesDeleted, this, &MainWindow::onSeriesDeleted);
    connect(manager, &SeriesManager::seriesChanged, this, &MainWindow::onSeriesChanged);
    connect(m_live, &LiveFeed::stopped, this, [this](const QString &message) {
        m_actions.live->setChecked(false);
        m_noticeBar->showMessage(MessageBar::Kind::Warning, message);
    });
    connect(m_chart, &ChartView::loadFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Could not load the chart: %1").arg(message), kStatusMessageMs);
    });

    m_toShow = m_settings.lastSeries();
    setDisplayZone(m_settings.displayZone());
    // Fitting the screen with the window manager's frame around it.
    if (!restoreGeometry(m_settings.windowGeometry()))
        resize(QSize(1280, 800).boundedTo(screen()->availableSize() - QSize(8, 40)));
    setMinimumSize(640, 480);
    m_splitter->restoreState(m_settings.splitterState());
    showConnection();
    updateActions();
}

MainWindow::~MainWindow() = default;

QMessageBox *MainWindow::quitQuestion() const
{
    return m_quitQuestion;
}

void MainWindow::connectActions()
{
    connect(m_actions.importFiles, &QAction::triggered, this, &MainWindow::chooseFilesToImport);
    connect(m_actions.importUrl, &QAction::triggered, this, &MainWindow::importUrl);
    connect(m_actions.exportChart, &QAction::triggered, this, &MainWindow::exportChart);
    connect(m_actions.exportCsv, &QAction::triggered, this, [this] { exportSeries(client::ExportFormat::Csv); });
    connect(m_actions.exportJson, &QAction::triggered, this, [this] { exportSeries(client::ExportFormat::Json); });
    connect(m_actions.exportTotals, &QAction::triggered, this, &MainWindow::exportTotals);
    connect(m_actions.connectToServer, &QAction::triggered, this, &MainWindow::chooseServer);
    connect(m_actions.quit, &QAction::triggered, this, &QMainWindow::close);
    connect(m_actions.live, &QAction::toggled, this, &MainWindow::setLive);
    connect(m_actions.utc, &QAction::triggered, this, [this] { setDisplayZone({}); });
    connect(m_actions.local, &QAction::triggered, this, [this] { setDisplayZone(DisplayZone::local()); });
    connect(m_actions.otherZone, &QAction::triggered, this, &MainWindow::chooseOtherZone);
    connect(m_actions.about, &QAction::triggered, this, &MainWindow::about);
}

QString MainWindow::connectionText() const
{
    return m_connection.message();
}

void MainWindow::showConnection()
{
    m_connectionStatus->showState();
    m_placeholderTitle->setText(m_connection.state() == Connection::State::Connected ? tr("No series to show yet")
                                                                                     : m_connection.message());
    updateActions();
}

void MainWindow::onSeriesListed(const QList<SeriesInfo> &series)
{
    m_seriesList->model()->setSeries(series);
    // A wanted series is in the first list after the import or start-up
    // that asked for it, or it is not coming.
    if (const std::optional<SeriesInfo> wanted = m_connection.findSeries(std::exchange(m_toShow, {}))) {
        if (wanted->name == m_shown)
            showSeries(*wanted);
        else
            m_seriesList->select(wanted->name);
    } else if (m_shown.isEmpty() && m_chart->notice().isEmpty() && !series.isEmpty()) {
        m_seriesList->select(series.first().name);
    }
}

void MainWindow::onServerChanged()
{
    // Every view showed the old server's data: none of it stays up. The
    // series comes back, with the new server's points, once it is listed.
    if (m_toShow.isEmpty())
        m_toShow = m_shown;
    clearViews({});
    m_seriesList->model()->setSeries({});
}

void MainWindow::clearViews(const QString &message)
{
    m_shown.clear();
    m_live->stop();
    m_chart->clear(message);
    m_json->clear(message);
    m_totals->clear(message);
    m_heatmap->clear(message);
    m_rangeStatistics->clear();
    setWindowTitle(tr("Meterscope"));
    updateActions();
}

void MainWindow::onSeriesDeleted(const QString &series)
{
    if (series == m_shown)
        clearViews(tr("The series '%1' was deleted.").arg(series));
    m_connection.refresh();
}

void MainWindow::onSeriesChanged(const QString &before, const QString &after)
{
    // Shown again as the server now has it, under its new name.
    if (before == m_shown)
        m_toShow = after;
    m_connection.refresh();
}

void MainWindow::onSeriesSelected(const QString &name)
{
    if (name == m_shown)
        return;
    if (const std::optional<SeriesInfo> series = m_connection.findSeries(name))
        showSeries(*series);
}

void MainWindow::showSeries(const SeriesInfo &series)
{
    m_shown = series.name;
    m_toShow.clear();
    m_settings.setLastSeries(series.name);
    setWindowTitle(tr("%1 — Meterscope").arg(series.name));
    m_stack->setCurrentWidget(m_tabs);
    m_chart->showSeries(series);
    m_json->showSeries(series);
    m_totals->showSeries(series);
    m_heatmap->showSeries(series);
    if (m_actions.live->isChecked())
        m_live->follow(series.name, series.lastUs);
    updateActions();
}

void MainWindow::onImportsFinished(const QList<ImportOutcome> &outcomes)
{
    m_importProgress->finish();
    if (!m_report)
        m_report = new ImportReportDialog(this);
    m_report->setOutcomes(outcomes);
    m_report->show();
    m_report->raise();
    for (auto outcome = outcomes.rbegin(); outcome != outcomes.rend(); ++outcome) {
        if (outcome->report && outcome->report->series_size() > 0) {
            m_toShow = QString::fromStdString(outcome->report->series(0).name());
            break;
        }
    }
    m_connection.refresh();
}

void MainWindow::setLive(bool on)
{
    if (!on) {
        m_live->stop();
        return;
    }
    if (const std::optional<SeriesInfo> series = m_connection.findSeries(m_shown))
        m_live->follow(series->name, m_chart->series().lastUs);
}

void MainWindow::setDisplayZone(const DisplayZone &zone)
{
    m_zone = zone;
    m_settings.setDisplayZone(zone);
    m_chart->setDisplayZone(zone);
    m_json->setDisplayZone(zone);
    m_totals->setDisplayZone(zone);
    m_heatmap->setDisplayZone(zone);
    m_seriesList->model()->setZone(zone);
    m_actions.showZone(zone);
}

void MainWindow::chooseOtherZone()
{
    QInputDialog *dialog = openZoneDialog(this, m_zone);
    // Cancelled or not, the checked zone action must be the zone in use.
    connect(dialog, &QDialog::finished, this, [this, dialog](int result) {
        try {
            setDisplayZone(result == QDialog::Accepted ? DisplayZone::named(dialog->textValue()) : m_zone);
        } catch (const std::invalid_argument &e) {
            setDisplayZone(m_zone);
            m_noticeBar->showMessage(MessageBar::Kind::Warning, QString::fromStdString(e.what()));
        }
    });
}

void MainWindow::chooseFilesToImport()
{
    connect(openImportDialog(this, m_settings), &QFileDialog::filesSelected, this, [this](const QStringList &files) {
        QList<QUrl> urls;
        for (const QString &file : files)
            urls << QUrl::fromLocalFile(file);
        m_import->importFiles(urls);
    });
}

void MainWindow::importUrl()
{
    connect(openUrlDialog(this), &QInputDialog::textValueSelected, this, [this](const QString &text) {
        if (!text.trimmed().isEmpty())
            m_import->importFiles({QUrl::fromUserInput(text.trimmed())});
    });
}

void MainWindow::exportChart()
{
    QFileDialog *dialog = openSaveDialog(this, m_settings, tr("Export Chart"), m_shown + ".png",
                                         tr("PNG image (*.png);;SVG drawing (*.svg)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString error;
        if (m_chart->saveImage(path, &error))
            statusBar()->showMessage(tr("Saved the chart to %1.").arg(QDir::toNativeSeparators(path)),
                                     kStatusMessageMs);
        else
            m_noticeBar->showMessage(MessageBar::Kind::Error, error);
    });
}

void MainWindow::exportSeries(client::ExportFormat format)
{
    const bool csv = format == client::ExportFormat::Csv;
    QFileDialog *dialog
        = openSaveDialog(this, m_settings, csv ? tr("Export Series as CSV") : tr("Save Series as JSON"),
                         m_shown + (csv ? ".csv" : ".json"), csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, format](const QString &path) {
        if (const std::optional<SeriesInfo> series = m_connection.findSeries(m_shown))
            m_exporter->exportSeries(*series, path, format, m_zone);
    });
}

void MainWindow::exportTotals()
{
    const timeutil::Period period = m_totals->period();
    QFileDialog *dialog = openSaveDialog(
        this, m_settings, tr("Save Totals as JSON"),
        m_shown + "-" + QString::fromLatin1(timeutil::periodName(period).data()) + ".json", tr("JSON files (*.json)"));
    connect(dialog, &QFileDialog::fileSelected, this, [this, period](const QString &path) {
        if (const std::optional<SeriesInfo> series = m_connection.findSeries(m_shown))
            m_exporter->exportTotals(*series, period, path, client::ExportFormat::Json, m_zone);
    });
}

void MainWindow::chooseServer()
{
    ConnectionDialog dialog(m_settings.server(), this);
    if (dialog.exec() == QDialog::Accepted) {
        m_settings.setServer(dialog.server());
        emit serverChosen(dialog.server());
    }
}

void MainWindow::about()
{
    openAboutDialog(this, m_connection, m_zone);
}

void MainWindow::updateActions()
{
    const bool connected = m_connection.state() == Connection::State::Connected;
    const bool shown = !m_shown.isEmpty();
    m_actions.enable(shown, connected);
    if (!shown && m_chart->notice().isEmpty())
        m_stack->setCurrentWidget(m_placeholder);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    // As editors do with unsaved work: an import would be lost.
    if (m_import->busy() && !m_quitDuringImport) {
        event->ignore();
        if (m_quitQuestion && m_quitQuestion->isVisible())
            return;
        m_quitQuestion = openQuitQuestion(this);
        connect(m_quitQuestion, &QMessageBox::finished, this, [this] {
            if (m_quitQuestion->buttonRole(m_quitQuestion->clickedButton()) != QMessageBox::DestructiveRole)
                return;
            m_quitDuringImport = true;
            m_import->cancel();
            close();
        });
        return;
    }
    m_settings.setWindowGeometry(saveGeometry());
    m_settings.setSplitterState(m_splitter->saveState());
    m_settings.sync();
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = importableUrls(event->mimeData());
    if (urls.isEmpty())
        return;
    m_dropOverlay->showPlan(ImportController::plan(urls));
    // Accepted either way, so the overlay can say why a drop would do nothing.
    event->acceptProposedAction();
}

void MainWindow::dragMoveEvent(QDragMoveEvent *event)
{
    if (m_dropOverlay->accepting())
        event->acceptProposedAction();
    else
        event->ignore();
}

void MainWindow::dragLeaveEvent(QDragLeaveEvent *)
{
    m_dropOverlay->hide();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    m_dropOverlay->hide();
    const QList<QUrl> urls = importableUrls(event->mimeData());
    if (urls.isEmpty())
        return;
    event->acceptProposedAction();
    m_import->importFiles(urls);
}

} // namespace meterscope::app
