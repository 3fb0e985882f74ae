#include "gui/chart_view.h"

#include "gui/chart_image.h"
#include "gui/connection.h"
#include "gui/gaps.h"
#include "gui/time_ticks.h"
#include "time/instant.h"
#include "json/json.h"

#include <QAction>
#include <QCategoryAxis>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPainter>
#include <QRubberBand>
#include <QScatterSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <memory>

namespace meterscope::app {

namespace {

// The chart's x values are milliseconds since the epoch.
constexpr double kMicrosPerMs = 1000;
constexpr qint64 kMinSpanUs = 10'000;
constexpr double kWheelZoomPerNotch = 0.8;
constexpr int kMinDragPixels = 4;
constexpr int kPixelsPerTimeLabel = 90;
constexpr int kPixelsPerValueLabel = 45;
// Room above and below the line, as a share of its spread.
constexpr double kValuePadding = 0.03;
// Time labels are centred on their tick: none this close to the right end,
// where half of it would be cut off.
constexpr int kTimeLabelHalfWidth = 36;
// With fewer points than this per pixel, each point gets a marker.
constexpr int kPixelsPerMarkedPoint = 8;
constexpr int kBusyDelayMs = 250;
// The plot's width changes a little whenever label widths change; only a
// real resize is worth new points.
constexpr double kWidthChangeToRefetch = 0.1;

const QColor kLineColor(0x1f, 0x6f, 0xd0);
const QColor kGridColor(0xe4, 0xe7, 0xeb);
const QColor kCrosshairColor(0x6b, 0x72, 0x80);

} // namespace

ChartView::ChartView(Connection &connection, QWidget *parent)
    : QChartView(parent)
    , m_loader(connection)
    , m_chart(new QChart)
    , m_lone(new QScatterSeries(m_chart))
    , m_axisX(new QCategoryAxis(m_chart))
    , m_axisY(new QValueAxis(m_chart))
    , m_resetZoom(new QAction(tr("Reset Zoom"), this))
    , m_rubberBand(new QRubberBand(QRubberBand::Rectangle, viewport()))
{
    m_chart->legend()->hide();
    m_chart->setBackgroundRoundness(0);
    m_chart->setMargins(QMargins(4, 4, 12, 4));
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);

    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_axisX), static_cast<QAbstractAxis *>(m_axisY)}) {
        axis->setGridLineColor(kGridColor);
        axis->setLinePenColor(kGridColor.darker(130));
        QFont axisTitle = font();
        axisTitle.setBold(true);
        axis->setTitleFont(axisTitle);
    }
    m_axisX->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_axisY->setTickType(QValueAxis::TicksDynamic);
    m_chart->addAxis(m_axisX, Qt::AlignBottom);
    m_chart->addAxis(m_axisY, Qt::AlignLeft);
    m_lone->setColor(kLineColor);
    m_lone->setBorderColor(kLineColor);
    m_lone->setMarkerSize(5);
    m_chart->addSeries(m_lone);
    m_lone->attachAxis(m_axisX);
    m_lone->attachAxis(m_axisY);
    addLine();
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

QLineSeries *ChartView::addLine()
{
    auto *line = new QLineSeries(m_chart);
    // One pixel wide: QPainter then draws the line segment by segment; a
    // wider pen makes it fill a stroke outline, which costs hundreds of
    // milliseconds for a few thousand points of dense data.
    line->setPen(QPen(kLineColor, 1));
    line->setMarkerSize(5);
    m_chart->addSeries(line);
    line->attachAxis(m_axisX);
    line->attachAxis(m_axisY);
    m_lines.push_back(line);
    return line;
}

qsizetype ChartView::drawnPoints() const
{
    qsizetype count = m_lone->count();
    for (const QLineSeries *line : m_lines)
        count += line->count();
    return count;
}

void ChartView::showSeries(const SeriesInfo &series)
{
    m_error.clear();
    m_chart->setTitle(series.unit.isEmpty() ? series.name : QStringLiteral("%1 (%2)").arg(series.name, series.unit));
    m_axisY->setTitleText(series.unit.isEmpty() ? tr("Value") : tr("Value (%1)").arg(series.unit));
    // Without points there is no range to label (applyRange shows them).
    setAxesVisible(series.firstUs.has_value());
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
    setAxesVisible(false);
}

void ChartView::setAxesVisible(bool visible)
{
    m_axisX->setVisible(visible);
    m_axisY->setVisible(visible);
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
    m_axisX->setTitleText(tr("Time (%1)").arg(zone.label()));
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
    setAxesVisible(true);
    m_axisX->setRange(double(m_start) / kMicrosPerMs, double(m_end) / kMicrosPerMs);
    updateTimeAxis();
    redraw();
    if (m_loader.hasSeries())
        m_loader.setView(m_start, m_end, m_requestedWidth);
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
    for (const QString &label : m_axisX->categoriesLabels())
        m_axisX->remove(label);
    if (m_end <= m_start)
        return;
    // Labels sit on the values that end categories; the first one starts
    // just before the view so that a tick on its left edge counts too.
    m_axisX->setStartValue(double(m_start) / kMicrosPerMs - 1);
    const int maxTicks = std::clamp(plotWidth() / kPixelsPerTimeLabel, 2, 12);
    const qint64 lastTick = m_end - (m_end - m_start) * kTimeLabelHalfWidth / plotWidth();
    for (const TimeTick &tick : timeTicks(m_start, lastTick, maxTicks, m_zone.zone()))
        m_axisX->append(QStringLiteral("<div align=\"center\">%1</div>").arg(tick.label),
                        double(tick.timeUs) / kMicrosPerMs);
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
    if (!low)
        return;
    const double spread = *high > *low ? *high - *low : std::max(std::abs(*high) * 0.1, 1.0);
    const double min = *low - spread * kValuePadding;
    const double max = *high + spread * kValuePadding;
    // Ticks at round numbers (1, 2 or 5 times a power of ten), as many as fit.
    const int maxTicks = std::clamp(int(plotArea().height()) / kPixelsPerValueLabel, 2, 12);
    double step = (max - min) / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    for (const double nice : {1.0, 2.0, 5.0, 10.0}) {
        if (nice * magnitude >= step) {
            step = nice * magnitude;
            break;
        }
    }
    const int decimals = std::max(0, -int(std::floor(std::log10(step))));
    m_axisY->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
    m_axisY->setTickAnchor(0);
    m_axisY->setTickInterval(step);
    m_axisY->setRange(std::floor(min / step) * step, std::ceil(max / step) * step);
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
    QList<QPointF> lone;
    std::size_t line = 0;
    m_runs = 0;
    for (qsizetype i = from; i < to;) {
        if (gaps::isGap(points.values[i])) {
            ++i;
            continue;
        }
        QList<QPointF> run;
        for (; i < to && !gaps::isGap(points.values[i]); ++i)
            run.append({double(points.timesUs[i]) / kMicrosPerMs, points.values[i]});
        ++m_runs;
        if (run.size() == 1) {
            lone.append(run.front());
            continue;
        }
        QLineSeries *series = line < m_lines.size() ? m_lines[line] : addLine();
        series->setPointsVisible(marked);
        series->replace(run);
        ++line;
    }
    for (; line < m_lines.size(); ++line)
        m_lines[line]->clear();
    m_lone->replace(lone);
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

qint64 ChartView::timeAt(double x) const
{
    const QRectF area = plotArea();
    return m_start + qint64(std::llround((x - area.left()) / area.width() * double(m_end - m_start)));
}

double ChartView::xAt(qint64 timeUs) const
{
    const QRectF area = plotArea();
    return area.left() + double(timeUs - m_start) / double(m_end - m_start) * area.width();
}

void ChartView::zoomAround(qint64 centerUs, double factor)
{
    const double start = double(centerUs) - double(centerUs - m_start) * factor;
    const double end = double(centerUs) + double(m_end - centerUs) * factor;
    setVisibleRange(qint64(std::llround(start)), qint64(std::llround(end)));
}

void ChartView::wheelEvent(QWheelEvent *event)
{
    const int delta = event->angleDelta().y();
    if (delta == 0 || !m_loader.hasSeries()) {
        event->ignore();
        return;
    }
    const double x = std::clamp(event->position().x(), plotArea().left(), plotArea().right());
    zoomAround(timeAt(x), std::pow(kWheelZoomPerNotch, delta / 120.0));
    updateHover(event->position().toPoint());
    event->accept();
}

void ChartView::mousePressEvent(QMouseEvent *event)
{
    if (!m_loader.hasSeries() || !plotArea().contains(event->position())) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_pressPos = event->position().toPoint();
    m_pressStart = m_start;
    m_pressEnd = m_end;
    const bool zoom = event->button() == Qt::RightButton
                      || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (zoom) {
        m_drag = Drag::Zoom;
        m_rubberBand->setGeometry(QRect(m_pressPos.x(), int(plotArea().top()), 0, int(plotArea().height())));
        m_rubberBand->show();
    } else if (event->button() == Qt::LeftButton) {
        m_drag = Drag::Pan;
        setCursor(Qt::ClosedHandCursor);
    }
    m_hover = -1;
    viewport()->update();
    event->accept();
}

void ChartView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    switch (m_drag) {
    case Drag::Pan: {
        const double perPixel = double(m_pressEnd - m_pressStart) / plotArea().width();
        const qint64 shift = qint64(std::llround((pos.x() - m_pressPos.x()) * perPixel));
        setVisibleRange(m_pressStart - shift, m_pressEnd - shift);
        break;
    }
    case Drag::Zoom: {
        const int left
            = int(std::clamp<double>(std::min(pos.x(), m_pressPos.x()), plotArea().left(), plotArea().right()));
        const int right
            = int(std::clamp<double>(std::max(pos.x(), m_pressPos.x()), plotArea().left(), plotArea().right()));
        m_rubberBand->setGeometry(QRect(left, int(plotArea().top()), right - left, int(plotArea().height())));
        break;
    }
    case Drag::None:
        updateHover(pos);
        break;
    }
    event->accept();
}

void ChartView::mouseReleaseEvent(QMouseEvent *event)
{
    const Drag drag = std::exchange(m_drag, Drag::None);
    setCursor(Qt::CrossCursor);
    if (drag == Drag::Zoom) {
        m_rubberBand->hide();
        const QRect band = m_rubberBand->geometry();
        if (band.width() >= kMinDragPixels)
            setVisibleRange(timeAt(band.left()), timeAt(band.right()));
    }
    if (drag == Drag::None) {
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
    m_hover = -1;
    viewport()->update();
    QChartView::leaveEvent(event);
}

void ChartView::keyPressEvent(QKeyEvent *event)
{
    const qint64 span = m_end - m_start;
    const qint64 center = m_start + span / 2;
    switch (event->key()) {
    case Qt::Key_Home:
        resetZoom();
        break;
    case Qt::Key_Left:
        setVisibleRange(m_start - span / 10, m_end - span / 10);
        break;
    case Qt::Key_Right:
        setVisibleRange(m_start + span / 10, m_end + span / 10);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(center, kWheelZoomPerNotch);
        break;
    case Qt::Key_Minus:
        zoomAround(center, 1 / kWheelZoomPerNotch);
        break;
    default:
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
        const QList<qint64> &times = m_loader.points().timesUs;
        const qint64 time = timeAt(pos.x());
        const auto [first, last] = visiblePoints();
        qsizetype index = std::lower_bound(times.begin() + first, times.begin() + last, time) - times.begin();
        if (index > first && (index == last || time - times[index - 1] < times[index] - time))
            --index;
        const QList<double> &values = m_loader.points().values;
        // A gap point sits just after the reading before the gap.
        if (index > first && index < last && gaps::isGap(values[index]))
            --index;
        if (index >= first && index < last && !gaps::isGap(values[index]))
            m_hover = index;
    }
    if (m_hover != before)
        viewport()->update();
}

void ChartView::drawForeground(QPainter *painter, const QRectF &rect)
{
    QChartView::drawForeground(painter, rect);
    const QRectF area = plotArea();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    if (m_hover >= 0 && m_hover < m_loader.points().size() && m_drag == Drag::None) {
        const qint64 time = m_loader.points().timesUs[m_hover];
        const double value = m_loader.points().values[m_hover];
        const QPointF point = m_chart->mapToPosition({double(time) / kMicrosPerMs, value}, line());
        painter->setPen(QPen(kCrosshairColor, 1, Qt::DashLine));
        painter->drawLine(QPointF(point.x(), area.top()), QPointF(point.x(), area.bottom()));
        painter->setPen(QPen(Qt::white, 2));
        painter->setBrush(kLineColor);
        painter->drawEllipse(point, 4.5, 4.5);

        std::string valueText;
        json::appendJsonNumber(valueText, value);
        const QString text = QString::fromStdString(timeutil::formatIso(time, m_zone.zone())) + '\n'
                             + QString::fromStdString(valueText);
        const QFontMetrics metrics(font());
        QRectF box = metrics.boundingRect(QRect(0, 0, 1000, 1000), 0, text);
        box.adjust(-8, -5, 8, 5);
        box.moveTopLeft(point + QPointF(12, -box.height() - 12));
        if (box.right() > area.right())
            box.moveRight(point.x() - 12);
        if (box.top() < area.top())
            box.moveTop(point.y() + 12);
        painter->setPen(QPen(kCrosshairColor, 1));
        painter->setBrush(QColor(255, 255, 255, 235));
        painter->drawRoundedRect(box, 4, 4);
        painter->setPen(palette().color(QPalette::ToolTipText));
        painter->drawText(box.adjusted(8, 5, -8, -5), Qt::AlignLeft | Qt::AlignVCenter, text);
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
