#pragma once

#include "gui/chart_axes.h"
#include "gui/chart_line.h"
#include "gui/chart_loader.h"
#include "gui/chart_navigation.h"
#include "gui/display_zone.h"

#include <QChartView>
#include <QTimer>

#include <algorithm>

class QAction;
class QLineSeries;

namespace meterscope::app {

class Connection;

/// The chart of one series: a line over a time axis in the display zone,
/// ticked at round wall-clock times of that zone. The wheel zooms around the cursor, dragging pans, dragging with
/// the right button (or Shift) zooms to the dragged range, Home or Ctrl+0
/// shows everything again, and the crosshair names the exact time and
/// value of the point under the cursor. Points come from a ChartLoader as
/// the view changes; the line breaks where readings are missing (one
/// QLineSeries per run of readings, lone readings as dots).
class ChartView : public QChartView {
    Q_OBJECT

public:
    explicit ChartView(Connection &connection, QWidget *parent = nullptr);
    ~ChartView() override;

    /// Shows `series` over the zoomed-in time range shown before, where
    /// it holds points then, else whole.
    void showSeries(const SeriesInfo &series);
    /// Shows nothing, or only `message` (why the series is gone).
    void clear(const QString &message = {});
    /// The message shown instead of points (a failure, a clear()'s), or empty.
    const QString &notice() const { return m_error; }
    /// Fetches the shown series again, keeping the view, if fetching it
    /// failed (the server was away).
    void retryIfFailed();
    /// New points of the shown series (Live). A view that reaches the end
    /// follows them.
    void appendPoints(const PointColumns &points);
    void setDisplayZone(const DisplayZone &zone);

    /// Shows [startUs, endUs), kept within what can be shown sensibly.
    void setVisibleRange(qint64 startUs, qint64 endUs);
    qint64 visibleStart() const { return m_start; }
    qint64 visibleEnd() const { return m_end; }
    /// Shows the whole series.
    void resetZoom();

    /// Saves the chart as shown (without the crosshair) as PNG, or as SVG
    /// when `path` ends in .svg. On failure returns false and sets `error`.
    bool saveImage(const QString &path, QString *error = nullptr) const;

    const SeriesInfo &series() const { return m_loader.series(); }
    /// The first run of the drawn line.
    QLineSeries *line() const { return m_line.first(); }
    /// Readings drawn: in view and the nearest one beyond each edge.
    qsizetype drawnPoints() const { return m_line.drawnPoints(); }
    /// Where the drawn line is broken by missing readings.
    int lineBreaks() const { return std::max(m_line.runs() - 1, 0); }
    /// Points are being fetched; the picture is not final yet.
    bool busy() const { return m_loader.busy(); }
    /// Reset Zoom (Ctrl+0), for menus and toolbars.
    QAction *resetZoomAction() const { return m_resetZoom; }

signals:
    /// Nothing is being fetched any more: what is drawn is final.
    void settled();
    void loadFailed(const QString &message);
    /// The shown series' visible time range changed (a zoom or pan step,
    /// another series): [startUs, endUs).
    void visibleRangeChanged(qint64 startUs, qint64 endUs);

protected:
    void wheelEvent(QWheelEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void drawForeground(QPainter *painter, const QRectF &rect) override;

private:
    void redraw();
    void applyRange();
    void fitValues();
    void updateTimeAxis();
    void onPlotAreaChanged();
    void updateHover(const QPoint &pos);
    void hideHover();
    QRectF plotArea() const;
    int plotWidth() const;
    // Visible points: [first, last) of the loader's columns.
    std::pair<qsizetype, qsizetype> visiblePoints() const;

    ChartLoader m_loader;
    QChart *m_chart;
    ChartAxes m_axes;
    ChartLine m_line;
    ChartNavigation m_navigation;
    QAction *m_resetZoom;
    DisplayZone m_zone;
    QString m_error;

    qint64 m_start = 0;
    qint64 m_end = 0;
    // Less than the whole series is in view (kept for the next series).
    bool m_zoomed = false;
    int m_requestedWidth = 0;

    // The reading under the crosshair, or -1.
    qsizetype m_hover = -1;
    // "Loading…" shows only when a fetch takes long enough to notice.
    QTimer m_busyDelay;
    bool m_showBusy = false;
};

} // namespace meterscope::app
