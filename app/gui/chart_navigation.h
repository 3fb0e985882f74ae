#pragma once

#include <QPoint>
#include <QRectF>

class QKeyEvent;
class QMouseEvent;
class QRubberBand;
class QWheelEvent;

namespace meterscope::app {

class ChartView;

/// Pan and zoom of a ChartView's time range: the wheel zooms around the
/// cursor, dragging pans, dragging with the right button (or Shift) zooms
/// to the dragged range, shown as a band; the arrow keys pan, + and - zoom
/// and Home shows everything. The view passes its events on; each handler
/// returns whether it used the event.
class ChartNavigation {
public:
    explicit ChartNavigation(ChartView &view);

    /// A pan or zoom drag is under way.
    bool dragging() const { return m_drag != Drag::None; }

    bool wheel(const QWheelEvent &event);
    /// Starts a drag when the press is on the plot.
    bool press(const QMouseEvent &event);
    /// Pans or stretches the band while dragging.
    bool move(const QMouseEvent &event);
    /// Ends a drag, zooming to the band's range when it is wide enough.
    bool release();
    bool key(const QKeyEvent &event);

private:
    enum class Drag { None, Pan, Zoom };

    /// Zooms by `factor` (below 1: in), keeping `centerUs` where it is.
    void zoomAround(qint64 centerUs, double factor);
    QRectF plotArea() const;
    qint64 timeAt(double x) const;

    ChartView &m_view;
    QRubberBand *m_rubberBand;
    Drag m_drag = Drag::None;
    QPoint m_pressPos;
    qint64 m_pressStart = 0;
    qint64 m_pressEnd = 0;
};

} // namespace meterscope::app
