#pragma once

#include "core/point_columns.h"
#include "time/zone.h"

class QColor;
class QPainter;
class QPointF;
class QRectF;
class QString;
class QWidget;

namespace meterscope::app {

/// The crosshair of a ChartView: the reading under the cursor, with its
/// exact time and value.
namespace crosshair {

/// The reading of points[first, last) nearest to `timeUs`, never a gap
/// point; -1 when there is none.
qsizetype nearestReading(const PointColumns &points, qsizetype first, qsizetype last, qint64 timeUs);

/// Draws the crosshair of the reading at `timeUs` of `value`, drawn at
/// `point`: a dashed line across `plotArea`, a dot in `lineColor`, and a
/// box beside it, kept inside the plot, naming the time in `zone` and the
/// value. Text is in `view`'s font and colours.
void draw(QPainter &painter, const QPointF &point, const QRectF &plotArea, qint64 timeUs, double value,
          const timeutil::Zone &zone, const QColor &lineColor, const QWidget &view);

/// Draws the crosshair's box of `text` beside `point`, kept inside `plotArea`.
void drawLabel(QPainter &painter, const QPointF &point, const QRectF &plotArea, const QString &text,
               const QWidget &view);

} // namespace crosshair

} // namespace meterscope::app
