#pragma once

#include "gui/display_zone.h"

#include <QRectF>

class QCategoryAxis;
class QChart;
class QFont;
class QValueAxis;

namespace meterscope::app {

/// The chart's x value of an instant: milliseconds since the epoch.
double chartX(qint64 timeUs);
/// The instant at `x` in `plotArea` when it shows [startUs, endUs).
qint64 timeAtX(double x, const QRectF &plotArea, qint64 startUs, qint64 endUs);

/// The two axes of a ChartView, styled alike: time along the bottom,
/// ticked at round wall-clock times of the display zone, and values on the
/// left, ticked at round numbers. Each ticks as many labels as fit.
class ChartAxes {
public:
    /// Adds both axes to `chart`, their titles in bold `font`.
    ChartAxes(QChart &chart, const QFont &font);

    QCategoryAxis *time() const { return m_time; }
    QValueAxis *values() const { return m_values; }

    void setVisible(bool visible);
    /// Titles the time axis with the zone its labels are in.
    void setZoneTitle(const DisplayZone &zone);
    /// Titles the value axis with `unit` (or plain "Value" when empty).
    void setUnitTitle(const QString &unit);

    /// Shows [startUs, endUs) along the time axis.
    void setTimeRange(qint64 startUs, qint64 endUs);
    /// Labels [startUs, endUs) at round times in `zone`, as many as fit in
    /// `plotWidth` pixels; none when the range is empty.
    void setTimeTicks(qint64 startUs, qint64 endUs, int plotWidth, const timeutil::Zone &zone);
    /// Shows [low, high] with some room above and below, ticked at 1, 2 or
    /// 5 times a power of ten, as many as fit in `plotHeight` pixels.
    void fitValues(double low, double high, double plotHeight);

private:
    QCategoryAxis *m_time;
    QValueAxis *m_values;
};

} // namespace meterscope::app
