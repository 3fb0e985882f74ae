#include "gui/chart_navigation.h"

#include "gui/chart_axes.h"
#include "gui/chart_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QRubberBand>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace meterscope::app {

namespace {

constexpr double kWheelZoomPerNotch = 0.8;
constexpr int kMinDragPixels = 4;

} // namespace

ChartNavigation::ChartNavigation(ChartView &view)
    : m_view(view)
    , m_rubberBand(new QRubberBand(QRubberBand::Rectangle, view.viewport()))
{
}

QRectF ChartNavigation::plotArea() const
{
    return m_view.chart()->plotArea();
}

qint64 ChartNavigation::timeAt(double x) const
{
    return timeAtX(x, plotArea(), m_view.visibleStart(), m_view.visibleEnd());
}

void ChartNavigation::zoomAround(qint64 centerUs, double factor)
{
    const double start = double(centerUs) - double(centerUs - m_view.visibleStart()) * factor;
    const double end = double(centerUs) + double(m_view.visibleEnd() - centerUs) * factor;
    m_view.setVisibleRange(qint64(std::llround(start)), qint64(std::llround(end)));
}

bool ChartNavigation::wheel(const QWheelEvent &event)
{
    const int delta = event.angleDelta().y();
    if (delta == 0)
        return false;
    const double x = std::clamp(event.position().x(), plotArea().left(), plotArea().right());
    zoomAround(timeAt(x), std::pow(kWheelZoomPerNotch, delta / 120.0));
    return true;
}

bool ChartNavigation::press(const QMouseEvent &event)
{
    if (!plotArea().contains(event.position()))
        return false;
    m_pressPos = event.position().toPoint();
    m_pressStart = m_view.visibleStart();
    m_pressEnd = m_view.visibleEnd();
    const bool zoom = event.button() == Qt::RightButton
                      || (event.button() == Qt::LeftButton && (event.modifiers() & Qt::ShiftModifier));
    if (zoom) {
        m_drag = Drag::Zoom;
        m_rubberBand->setGeometry(QRect(m_pressPos.x(), int(plotArea().top()), 0, int(plotArea().height())));
        m_rubberBand->show();
    } else if (event.button() == Qt::LeftButton) {
        m_drag = Drag::Pan;
        m_view.setCursor(Qt::ClosedHandCursor);
    }
    return true;
}

bool ChartNavigation::move(const QMouseEvent &event)
{
    const QPoint pos = event.position().toPoint();
    switch (m_drag) {
    case Drag::Pan: {
        const double perPixel = double(m_pressEnd - m_pressStart) / plotArea().width();
        const qint64 shift = qint64(std::llround((pos.x() - m_pressPos.x()) * perPixel));
        m_view.setVisibleRange(m_pressStart - shift, m_pressEnd - shift);
        return true;
    }
    case Drag::Zoom: {
        const int left
            = int(std::clamp<double>(std::min(pos.x(), m_pressPos.x()), plotArea().left(), plotArea().right()));
        const int right
            = int(std::clamp<double>(std::max(pos.x(), m_pressPos.x()), plotArea().left(), plotArea().right()));
        m_rubberBand->setGeometry(QRect(left, int(plotArea().top()), right - left, int(plotArea().height())));
        return true;
    }
    case Drag::None:
        break;
    }
    return false;
}

bool ChartNavigation::release()
{
    const Drag drag = std::exchange(m_drag, Drag::None);
    m_view.setCursor(Qt::CrossCursor);
    if (drag == Drag::Zoom) {
        m_rubberBand->hide();
        const QRect band = m_rubberBand->geometry();
        if (band.width() >= kMinDragPixels)
            m_view.setVisibleRange(timeAt(band.left()), timeAt(band.right()));
    }
    return drag != Drag::None;
}

bool ChartNavigation::key(const QKeyEvent &event)
{
    const qint64 start = m_view.visibleStart();
    const qint64 end = m_view.visibleEnd();
    const qint64 span = end - start;
    const qint64 center = start + span / 2;
    switch (event.key()) {
    case Qt::Key_Home:
        m_view.resetZoom();
        break;
    case Qt::Key_Left:
        m_view.setVisibleRange(start - span / 10, end - span / 10);
        break;
    case Qt::Key_Right:
        m_view.setVisibleRange(start + span / 10, end + span / 10);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(center, kWheelZoomPerNotch);
        break;
    case Qt::Key_Minus:
        zoomAround(center, 1 / kWheelZoomPerNotch);
        break;
    default:
        return false;
    }
    return true;
}

} // namespace meterscope::app
