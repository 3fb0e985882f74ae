#include "gui/chart_axes.h"

#include "gui/time_ticks.h"

#include <QCategoryAxis>
#include <QChart>
#include <QCoreApplication>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace meterscope::app {

namespace {

constexpr double kMicrosPerMs = 1000;
constexpr int kPixelsPerTimeLabel = 90;
constexpr int kPixelsPerValueLabel = 45;
// Room above and below the line, as a share of its spread.
constexpr double kValuePadding = 0.03;
// Time labels are centred on their tick: none this close to the right end,
// where half of it would be cut off.
constexpr int kTimeLabelHalfWidth = 36;

const QColor kGridColor(0xe4, 0xe7, 0xeb);

QString tr(const char *text)
{
    return QCoreApplication::translate("ChartView", text);
}

} // namespace

double chartX(qint64 timeUs)
{
    return double(timeUs) / kMicrosPerMs;
}

qint64 timeAtX(double x, const QRectF &plotArea, qint64 startUs, qint64 endUs)
{
    return startUs + qint64(std::llround((x - plotArea.left()) / plotArea.width() * double(endUs - startUs)));
}

ChartAxes::ChartAxes(QChart &chart, const QFont &font)
    : m_time(new QCategoryAxis(&chart))
    , m_values(new QValueAxis(&chart))
{
    for (QAbstractAxis *axis : {static_cast<QAbstractAxis *>(m_time), static_cast<QAbstractAxis *>(m_values)}) {
        axis->setGridLineColor(kGridColor);
        axis->setLinePenColor(kGridColor.darker(130));
        QFont axisTitle = font;
        axisTitle.setBold(true);
        axis->setTitleFont(axisTitle);
    }
    m_time->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_values->setTickType(QValueAxis::TicksDynamic);
    chart.addAxis(m_time, Qt::AlignBottom);
    chart.addAxis(m_values, Qt::AlignLeft);
}

void ChartAxes::setVisible(bool visible)
{
    m_time->setVisible(visible);
    m_values->setVisible(visible);
}

void ChartAxes::setZoneTitle(const DisplayZone &zone)
{
    m_time->setTitleText(tr("Time (%1)").arg(zone.label()));
}

void ChartAxes::setUnitTitle(const QString &unit)
{
    m_values->setTitleText(unit.isEmpty() ? tr("Value") : tr("Value (%1)").arg(unit));
}

void ChartAxes::setTimeRange(qint64 startUs, qint64 endUs)
{
    m_time->setRange(chartX(startUs), chartX(endUs));
}

void ChartAxes::setTimeTicks(qint64 startUs, qint64 endUs, int plotWidth, const timeutil::Zone &zone)
{
    for (const QString &label : m_time->categoriesLabels())
        m_time->remove(label);
    if (endUs <= startUs)
        return;
    // Labels sit on the values that end categories; the first one starts
    // just before the view so that a tick on its left edge counts too.
    m_time->setStartValue(chartX(startUs) - 1);
    const int maxTicks = std::clamp(plotWidth / kPixelsPerTimeLabel, 2, 12);
    const qint64 lastTick = endUs - (endUs - startUs) * kTimeLabelHalfWidth / plotWidth;
    for (const TimeTick &tick : timeTicks(startUs, lastTick, maxTicks, zone))
        m_time->append(QStringLiteral("<div align=\"center\">%1</div>").arg(tick.label), chartX(tick.timeUs));
}

void ChartAxes::fitValues(double low, double high, double plotHeight)
{
    const double spread = high > low ? high - low : std::max(std::abs(high) * 0.1, 1.0);
    const double min = low - spread * kValuePadding;
    const double max = high + spread * kValuePadding;
    const int maxTicks = std::clamp(int(plotHeight) / kPixelsPerValueLabel, 2, 12);
    double step = (max - min) / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    for (const double nice : {1.0, 2.0, 5.0, 10.0}) {
        if (nice * magnitude >= step) {
            step = nice * magnitude;
            break;
        }
    }
    const int decimals = std::max(0, -int(std::floor(std::log10(step))));
    m_values->setLabelFormat(QStringLiteral("%.%1f").arg(decimals));
    m_values->setTickAnchor(0);
    m_values->setTickInterval(step);
    m_values->setRange(std::floor(min / step) * step, std::ceil(max / step) * step);
}

} // namespace meterscope::app
