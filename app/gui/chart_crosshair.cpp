#include "gui/chart_crosshair.h"

#include "gui/gaps.h"
#include "time/instant.h"
#include "json/json.h"

#include <QPainter>
#include <QWidget>

#include <algorithm>

namespace meterscope::app::crosshair {

namespace {

const QColor kCrosshairColor(0x6b, 0x72, 0x80);

} // namespace

qsizetype nearestReading(const PointColumns &points, qsizetype first, qsizetype last, qint64 timeUs)
{
    const QList<qint64> &times = points.timesUs;
    qsizetype index = std::lower_bound(times.begin() + first, times.begin() + last, timeUs) - times.begin();
    if (index > first && (index == last || timeUs - times[index - 1] < times[index] - timeUs))
        --index;
    const QList<double> &values = points.values;
    // A gap point sits just after the reading before the gap.
    if (index > first && index < last && gaps::isGap(values[index]))
        --index;
    if (index >= first && index < last && !gaps::isGap(values[index]))
        return index;
    return -1;
}

void draw(QPainter &painter, const QPointF &point, const QRectF &plotArea, qint64 timeUs, double value,
          const timeutil::Zone &zone, const QColor &lineColor, const QWidget &view)
{
    painter.setPen(QPen(kCrosshairColor, 1, Qt::DashLine));
    painter.drawLine(QPointF(point.x(), plotArea.top()), QPointF(point.x(), plotArea.bottom()));
    painter.setPen(QPen(Qt::white, 2));
    painter.setBrush(lineColor);
    painter.drawEllipse(point, 4.5, 4.5);

    std::string valueText;
    json::appendJsonNumber(valueText, value);
    drawLabel(painter, point, plotArea,
              QString::fromStdString(timeutil::formatIso(timeUs, zone)) + '\n' + QString::fromStdString(valueText),
              view);
}

void drawLabel(QPainter &painter, const QPointF &point, const QRectF &plotArea, const QString &text,
               const QWidget &view)
{
    const QFontMetrics metrics(view.font());
    QRectF box = metrics.boundingRect(QRect(0, 0, 1000, 1000), 0, text);
    box.adjust(-8, -5, 8, 5);
    box.moveTopLeft(point + QPointF(12, -box.height() - 12));
    if (box.right() > plotArea.right())
        box.moveRight(point.x() - 12);
    if (box.top() < plotArea.top())
        box.moveTop(point.y() + 12);
    painter.setPen(QPen(kCrosshairColor, 1));
    painter.setBrush(QColor(255, 255, 255, 235));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(view.palette().color(QPalette::ToolTipText));
    painter.drawText(box.adjusted(8, 5, -8, -5), Qt::AlignLeft | Qt::AlignVCenter, text);
}

} // namespace meterscope::app::crosshair
