#include "gui/chart_view.h"

#include "gui/chart_crosshair.h"
#include "gui/chart_image.h"
#include "gui/connection.h"
#include "gui/gaps.h"

#include <QAction>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace meterscope::app {

namespace {

constexpr qint64 kMinSpanUs = 10'000;
// With fewer points than this per pixel, each point gets a marker.
constexpr int kPixelsPerMarkedPoint = 8;
constexpr int kBusyDelayMs = 250;
// The plot's width changes a little whenever label widths change; only a
// real resize is worth new points.
constexpr double kWidthChangeToRefetch = 0.1;

} // namespace

ChartView::ChartView(Connection &connection, QWidget *parent)
    : QChartView(parent)
    , m_loader(connection)
    , m_chart(new QChart)
    , m_axes(*m_chart, font())
    , m_line(*m_chart, m_axes.time(), m_axes.values())
    , m_navigation(*this)
    , m_resetZoom(new QAction(tr("Reset Zoom"), this))
{
    m_chart->legend()->hide();
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 12, 4));
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);

    // setChart() releases the chart QChartView made itself, without deleting it.
    std::unique_ptr<QChart> initial(chart());
    setChart(m_chart);
    setFrameShape(QFrame::NoFrame);
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::NoRubberBand);
    setMouseTracking(true);
    viewport()->setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setCursor(Qt::CrossCursor);
    setStatusTip(tr("Wheel: zoom · Drag: pan · Right-drag: zoom to a range · Double-click or Home: show all"));

    // Wherever the focus is in the window (text fields keep Home for themselves).
    m_resetZoom->setShortcuts({QKeySequence(Qt::CTRL | Qt::Key_0), QKeySequence(Qt::Key_Home)});
    m_resetZoom->setToolTip(tr("Show the whole series (Home, Ctrl+0)"));
    connect(m_resetZoom, &QAction::triggered, this, &ChartView::resetZoom);

    m_busyDelay.setSingleShot(true);
    m_busyDelay.setInterval(kBusyDelayMs);
    connect(&m_busyDelay, &QTimer::timeout, this, [this] {
        m_showBusy = true;
        viewport()->update();
    });
    connect(&m_loader, &ChartLoader::pointsChanged, this, &ChartView::redraw);
    connect(&m_loader, &ChartLoader::busyChanged, this, [this](bool busy) {
        if (busy) {
            m_busyDelay.start();
            return;
        }
        m_busyDelay.stop();
        m_showBusy = false;
        viewport()->update();
        emit settled();
    });
    connect(&m_loader, &ChartLoader::failed, this, [this](const QString &message) {
        m_error = message;
        viewport()->update();
        emit loadFailed(message);
    });
    connect(m_chart, &QChart::plotAreaChanged, this, &ChartView::onPlotAreaChanged);
    setDisplayZone(m_zone);
    clear();
}

ChartView::~ChartView() = default;

void ChartView::showSeries(const SeriesInfo &series)
{
    m_error.clear();
    m_chart->setTitle(series.unit.isEmpty() ? series.name : QStringLiteral("%1 (%2)").arg(series.name, series.unit));
    m_axes.setUnitTitle(series.unit);
    // Without points there is no range to label (applyRange shows them).
    m_axes.setVisible(series.firstUs.has_value());
    m_requestedWidth = plotWidth();
    // Flipping between meters keeps a zoomed-in time range (Home shows all).
    const qint64 start = m_start;
    const qint64 end = m_end;
    const bool keepRange = m_zoomed && series.firstUs && start <= *series.lastUs && end > *series.firstUs;
    m_loader.setSeries(series, m_requestedWidth);
    if (keepRange)
        setVisibleRange(start, end);
    else
        resetZoom();
}

void ChartView::clear(const QString &message)
{
    m_loader.clear();
    m_error = message;
    m_chart->setTitle({});
    m_axes.setVisible(false);
}

void ChartView::retryIfFailed()
{
    if (m_error.isEmpty() || !m_loader.hasSeries())
        return;
    m_error.clear();
    m_loader.reload();
}

void ChartView::appendPoints(const PointColumns &points)
{
    const SeriesInfo before = m_loader.series();
    const bool wholeSeries = !before.firstUs || (m_start <= *before.firstUs && m_end > *before.lastUs);
    const bool atEnd = !before.lastUs || m_end > *before.lastUs;
    m_loader.append(points);
    const SeriesInfo &after = m_loader.series();
    if (!after.lastUs || after.lastUs == before.lastUs)
        return;
    if (wholeSeries)
        resetZoom();
    else if (atEnd)
        setVisibleRange(*after.lastUs + 1 - (m_end - m_start), *after.lastUs + 1);
}

void ChartView::setDisplayZone(const DisplayZone &zone)
{
    m_zone = zone;
    m_axes.setZoneTitle(zone);
    updateTimeAxis();
    viewport()->update();
}

void ChartView::resetZoom()
{
    const SeriesInfo &series = m_loader.series();
    if (series.firstUs)
        setVisibleRange(*series.firstUs, *series.lastUs + 1);
}

void ChartView::setVisibleRange(qint64 startUs, qint64 endUs)
{
    const SeriesInfo &series = m_loader.series();
    if (!series.firstUs || endUs <= startUs)
        return;
    const qint64 first = *series.firstUs;
    const qint64 last = *series.lastUs + 1;
    const qint64 widest = std::max(last - first, kMinSpanUs);
    const qint64 span = std::clamp(endUs - startUs, kMinSpanUs, widest);
    qint64 start = startUs + (endUs - startUs - span) / 2;
    // Keep some data in view, and the whole series exactly when all fits.
    if (span == widest && last - first >= kMinSpanUs)
        start = first;
    start = std::clamp(start, first - span + 1, last - 1);
    m_start = start;
    m_end = start + span;
    m_zoomed = m_start > first || m_end < last;
    applyRange();
}

void ChartView::applyRange()
{
    if (m_end <= m_start)
        return;
    m_axes.setVisible(true);
    m_axes.setTimeRange(m_start, m_end);
    updateTimeAxis();
    redraw();
    if (m_loader.hasSeries()) {
        m_loader.setView(m_start, m_end, m_requestedWidth);
        emit visibleRangeChanged(m_start, m_end);
    }
    viewport()->update();
}

void ChartView::onPlotAreaChanged()
{
    updateTimeAxis();
    const int width = plotWidth();
    if (std::abs(width - m_requestedWidth) > m_requestedWidth * kWidthChangeToRefetch) {
        m_requestedWidth = width;
        if (m_loader.hasSeries())
            m_loader.setView(m_start, m_end, width);
    }
}

void ChartView::updateTimeAxis()
{
    m_axes.setTimeTicks(m_start, m_end, plotWidth(), m_zone.zone());
}

std::pair<qsizetype, qsizetype> ChartView::visiblePoints() const
{
    const QList<qint64> &times = m_loader.points().timesUs;
    const auto first = std::lower_bound(times.begin(), times.end(), m_start);
    const auto last = std::lower_bound(first, times.end(), m_end);
    return {first - times.begin(), last - times.begin()};
}

void ChartView::fitValues()
{
    const PointColumns &points = m_loader.points();
    auto [first, last] = visiblePoints();
    // Between two points the line still crosses the view.
    if (first == last) {
        first = std::max<qsizetype>(first - 1, 0);
        last = std::min(last + 1, points.size());
    }
    std::optional<double> low, high;
    for (qsizetype i = first; i < last; ++i) {
        const double value = points.values[i];
        if (gaps::isGap(value))
            continue;
        low = std::min(low.value_or(value), value);
        high = std::max(high.value_or(value), value);
    }
    if (low)
        m_axes.fitValues(*low, *high, plotArea().height());
}

void ChartView::redraw()
{
    const PointColumns &points = m_loader.points();
    const auto [first, last] = visiblePoints();
    // The line gets what is in view and the two segments that cross its
    // edges, nothing further: points far outside still cost stroking time.
    const qsizetype from = std::max<qsizetype>(first - 1, 0);
    const qsizetype to = std::min(last + 1, points.size());
    const bool marked = last > first && (last - first) * kPixelsPerMarkedPoint < plotWidth();
    m_line.draw(points, from, to, marked);
    fitValues();
    m_hover = -1;
    viewport()->update();
}

QRectF ChartView::plotArea() const
{
    return m_chart->plotArea();
}

int ChartView::plotWidth() const
{
    return std::max(int(plotArea().width()), 1);
}

void ChartView::wheelEvent(QWheelEvent *event)
{
    if (!m_loader.hasSeries() || !m_navigation.wheel(*event)) {
        event->ignore();
        return;
    }
    updateHover(event->position().toPoint());
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent *event)
{
    if (!m_loader.hasSeries() || !m_navigation.press(*event)) {
        QChartView::mousePressEvent(event);
        return;
    }
    hideHover();
    event->accept();
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_navigation.move(*event))
        updateHover(event->position().toPoint());
    event->accept();
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_navigation.release()) {
        QChartView::mouseReleaseEvent(event);
        return;
    }
    updateHover(event->position().toPoint());
    event->accept();
}

void ChartView::mouseDoubleClickEvent(QMouseEvent *event)
{
    resetZoom();
    event->accept();
}

void ChartView::leaveEvent(QEvent *event)
{
    hideHover();
    QChartView::leaveEvent(event);
}

void ChartView::keyPressEvent(QKeyEvent *event)
{
    if (!m_navigation.key(*event)) {
        QChartView::keyPressEvent(event);
        return;
    }
    event->accept();
}

void ChartView::updateHover(const QPoint &pos)
{
    const qsizetype before = m_hover;
    m_hover = -1;
    const QRectF area = plotArea();
    if (area.contains(pos)) {
        const auto [first, last] = visiblePoints();
        m_hover = crosshair::nearestReading(m_loader.points(), first, last, timeAtX(pos.x(), area, m_start, m_end));
    }
    if (m_hover != before)
        viewport()->update();
}

void ChartView::hideHover()
{
    m_hover = -1;
    viewport()->update();
}

void ChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF area = plotArea();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_hover >= 0 && m_hover < m_loader.points().size() && !m_navigation.dragging()) {
        const qint64 time = m_loader.points().timesUs[m_hover];
        const double value = m_loader.points().values[m_hover];
        const QPointF point = m_chart->mapToPosition({chartX(time), value}, line());
        crosshair::draw(*painter, point, area, time, value, m_zone.zone(), ChartLine::color(), *this);
    }
    const auto notice = [&](const QString &text, Qt::Alignment alignment) {
        painter->setPen(palette().color(QPalette::PlaceholderText));
        painter->drawText(area.adjusted(10, 6, -10, -6), int(alignment) | Qt::TextWordWrap, text);
    };
    if (m_showBusy)
        notice(tr("Loading…"), Qt::AlignTop | Qt::AlignRight);
    if (!m_error.isEmpty() && m_loader.points().isEmpty())
        notice(m_error, Qt::AlignCenter);
    else if (m_loader.hasSeries() && !m_loader.busy() && m_loader.points().isEmpty())
        notice(tr("This series holds no points."), Qt::AlignCenter);
    painter->restore();
}

bool ChartView::saveImage(const QString &path, QString *error) const
{
    return saveChartImage(*this, path, error);
}

} // namespace meterscope::app
