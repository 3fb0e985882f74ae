#pragma once

#include "gui/connection.h"
#include "gui/display_zone.h"
#include "gui/import_controller.h"
#include "gui/window_actions.h"

#include <QMainWindow>
#include <QPointer>

class QAction;
class QLabel;
class QMessageBox;
class QSplitter;
class QStackedWidget;
class QTabWidget;

namespace meterscope::app {

class ChartView;
class ConnectionStatus;
class DropOverlay;
class HeatmapView;
class ImportReportDialog;
class JsonView;
class LiveFeed;
class MessageBar;
class RangeStatistics;
class SeriesExporter;
class SeriesList;
class Settings;
class TaskProgress;
class TotalsView;

/// The main window: the series list beside Chart, JSON, Totals and Heatmap tabs, the
/// connection state and long tasks in the status bar, problems in plain
/// words across the top. Files, folders and links dropped on it are
/// imported through the same ImportController as File ▸ Import CSV….
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    MainWindow(Connection &connection, Settings &settings, QWidget *parent = nullptr);
    ~MainWindow() override;

    ImportController *importController() const { return m_import; }
    SeriesList *seriesList() const { return m_seriesList; }
    ChartView *chart() const { return m_chart; }
    JsonView *jsonView() const { return m_json; }
    TotalsView *totalsView() const { return m_totals; }
    HeatmapView *heatmapView() const { return m_heatmap; }
    /// The status bar's statistics of the chart's visible range.
    RangeStatistics *rangeStatistics() const { return m_rangeStatistics; }
    QTabWidget *tabs() const { return m_tabs; }
    /// Asks whether to quit while an import runs (open while it asks).
    QMessageBox *quitQuestion() const;
    /// The import report of the last run of imports, once there is one.
    ImportReportDialog *reportDialog() const { return m_report; }
    /// The connection problem across the top (with Retry).
    MessageBar *connectionBar() const { return m_connectionBar; }
    /// Refused drops, failed exports and the like.
    MessageBar *noticeBar() const { return m_noticeBar; }
    DropOverlay *dropOverlay() const { return m_dropOverlay; }
    TaskProgress *importProgress() const { return m_importProgress; }
    /// The connection state as the status bar shows it.
    QString connectionText() const;
    QAction *importAction() const { return m_actions.importFiles; }
    QAction *liveAction() const { return m_actions.live; }

    void setDisplayZone(const DisplayZone &zone);
    /// Shows `name` once the server lists it (instead of the last one shown).
    void showSeriesWhenListed(const QString &name) { m_toShow = name; }
    /// Opens File ▸ Import CSV…'s dialog (it does not block).
    void chooseFilesToImport();

signals:
    /// The user chose another server in File ▸ Connect to Server…; empty =
    /// the local one.
    void serverChosen(const std::optional<meterscope::client::ConnectionOptions> &server);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void connectActions();
    void showConnection();
    void onSeriesListed(const QList<SeriesInfo> &series);
    void onServerChanged();
    void onSeriesSelected(const QString &name);
    /// Nothing shown; the views say `message` instead (empty: nothing).
    void clearViews(const QString &message);
    void onSeriesDeleted(const QString &series);
    void onSeriesChanged(const QString &before, const QString &after);
    void showSeries(const SeriesInfo &series);
    void onImportsFinished(const QList<ImportOutcome> &outcomes);
    void setLive(bool on);
    void exportChart();
    void exportSeries(client::ExportFormat format);
    /// Saves the shown series' totals per the Totals tab's period.
    void exportTotals();
    void chooseOtherZone();
    void chooseServer();
    void importUrl();
    void about();
    void updateActions();

    Connection &m_connection;
    Settings &m_settings;
    DisplayZone m_zone;
    ImportController *m_import;
    SeriesExporter *m_exporter;
    LiveFeed *m_live;

    SeriesList *m_seriesList;
    ChartView *m_chart;
    JsonView *m_json;
    TotalsView *m_totals;
    HeatmapView *m_heatmap;
    RangeStatistics *m_rangeStatistics;
    QTabWidget *m_tabs;
    QStackedWidget *m_stack;
    QWidget *m_placeholder;
    QSplitter *m_splitter;
    MessageBar *m_connectionBar;
    MessageBar *m_noticeBar;
    DropOverlay *m_dropOverlay;
    ImportReportDialog *m_report = nullptr;

    QLabel *m_placeholderTitle = nullptr;
    ConnectionStatus *m_connectionStatus;
    TaskProgress *m_importProgress;
    TaskProgress *m_exportProgress;
    WindowActions m_actions;

    /// The series shown, by name; empty = none.
    QString m_shown;
    /// A series to show as soon as the server lists it (after an import, at start).
    QString m_toShow;
    QPointer<QMessageBox> m_quitQuestion;
    bool m_quitDuringImport = false;
};

} // namespace meterscope::app
