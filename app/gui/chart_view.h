#pragma once

#include "gui/chart_loader.h"
#include "gui/display_zone.h"

#include <QChartView>
#include <QTimer>

#include <algorithm>
#include <vector>

class QAction;
class QCategoryAxis;
class QLineSeries;
class QScatterSeries;
class QRubberBand;
class QValueAxis;

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
    QLineSeries *line() const { return m_lines.front(); }
    /// Readings drawn: in view and the nearest one beyond each edge.
    qsizetype drawnPoints() const;
    /// Where the drawn line is broken by missing readings.
    int lineBreaks() const { return std::max(m_runs - 1, 0); }
    /// Points are being fetched; the picture is not final yet.
    bool busy() const { return m_loader.busy(); }
    /// Reset Zoom (Ctrl+0), for menus and toolbars.
    QAction *resetZoomAction() const { return m_resetZoom; }

signals:
    /// Nothing is being fetched any more: what is drawn is final.
    void settled();
    void loadFailed(const QString &message);

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
    enum class Drag { None, Pan, Zoom };

    void redraw();
    void setAxesVisible(bool visible);
    void applyRange();
    void fitValues();
    void updateTimeAxis();
    void onPlotAreaChanged();
    void zoomAround(qint64 centerUs, double factor);
    void updateHover(const QPoint &pos);
    QRectF plotArea() const;
    int plotWidth() const;
    qint64 timeAt(double x) const;
    double xAt(qint64 timeUs) const;
    // Visible points: [first, last) of the loader's columns.
    std::pair<qsizetype, qsizetype> visiblePoints() const;

    QLineSeries *addLine();

    ChartLoader m_loader;
    QChart *m_chart;
    // Runs of the line, as many as the most ever drawn; the first maps points.
    std::vector<QLineSeries *> m_lines;
    QScatterSeries *m_lone;
    int m_runs = 0;
    QCategoryAxis *m_axisX;
    QValueAxis *m_axisY;
    QAction *m_resetZoom;
    QRubberBand *m_rubberBand;
    DisplayZone m_zone;
    QString m_error;

    qint64 m_start = 0;
    qint64 m_end = 0;
    // Less than the whole series is in view (kept for the next series).
    bool m_zoomed = false;
    int m_requestedWidth = 0;

    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    qint64 m_pressStart = 0;
    qint64 m_pressEnd = 0;
    qsizetype m_hover = -1;
    // "Loading…" shows only when a fetch takes long enough to notice.
    QTimer m_busyDelay;
    bool m_showBusy = false;
};

} // namespace meterscope::app
