#include "gui/heatmap_view.h"

#include "gui/chart_crosshair.h"
#include "gui/totals_table_model.h"
#include "meterscope/v1/import_summary.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>
#include <array>
#include <cmath>

namespace meterscope::app {

namespace {

constexpr qint64 kHourUs = 3600 * timeutil::kMicrosPerSecond;
constexpr qint64 kDayUs = 24 * kHourUs;
// Room around the cells: hour labels on the left, day labels below, the
// title above and the scale on the right.
constexpr double kLeft = 56, kTop = 30, kRight = 96, kBottom = 34;

// viridis at five stops: dark for little, yellow for much, readable in grey.
constexpr std::array<QRgb, 5> kScale = {0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725};

std::int64_t floorDiv(qint64 a, qint64 b)
{
    return a / b - (a % b < 0 ? 1 : 0);
}

} // namespace

HeatmapView::HeatmapView(Connection &connection, QWidget *parent)
    : QWidget(parent)
    , m_loader(new TotalsLoader(connection, *this, timeutil::Period::Hour))
{
    setMouseTracking(true);
    setMinimumSize(400, 300);
    connect(m_loader, &TotalsLoader::changed, this, &HeatmapView::onChanged);
}

HeatmapView::~HeatmapView() = default;

void HeatmapView::showSeries(const SeriesInfo &series)
{
    m_loader->showSeries(series);
}

void HeatmapView::clear(const QString &message)
{
    m_loader->clear(message);
}

void HeatmapView::retryIfFailed()
{
    m_loader->retryIfFailed();
}

void HeatmapView::setDisplayZone(const DisplayZone &zone)
{
    m_loader->setZone(zone);
}

void HeatmapView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_loader->viewShown();
}

void HeatmapView::onChanged()
{
    m_cells.clear();
    m_days = 0;
    m_hover.clear();
    const QList<v1::TotalBucket> &buckets = m_loader->buckets();
    const timeutil::Zone zone = m_loader->zone().zone();
    const auto localDay = [&](qint64 utc) {
        return floorDiv(utc + qint64(zone.offsetSecondsAt(utc)) * timeutil::kMicrosPerSecond, kDayUs);
    };
    if (!buckets.isEmpty()) {
        m_firstDay = localDay(buckets.front().start_time_us());
        m_days = int(localDay(buckets.back().start_time_us()) - m_firstDay + 1);
        m_cells.resize(qsizetype(m_days) * 24);
    }
    const bool instant = m_loader->answered().kind() == v1::SERIES_KIND_INSTANT;
    for (const v1::TotalBucket &b : buckets) {
        const int index = cellIndex(b.start_time_us());
        if (index < 0)
            continue;
        Cell &cell = m_cells[index];
        if (!cell.present)
            cell.start = b.start_time_us();
        cell.present = true;
        ++cell.buckets;
        cell.count += b.count();
        cell.expected += b.expected();
        if (b.has_total()) {
            // The autumn night's two 01:00 hours: added, or for a level averaged.
            cell.sum = instant ? (cell.sum * cell.totals + b.total()) / (cell.totals + 1) : cell.sum + b.total();
            ++cell.totals;
        }
    }
    bool any = false;
    for (const Cell &cell : m_cells) {
        if (cell.totals == 0)
            continue;
        m_min = any ? std::min(m_min, cell.sum) : cell.sum;
        m_max = any ? std::max(m_max, cell.sum) : cell.sum;
        any = true;
    }
    update();
    if (loaded())
        emit loadFinished();
}

int HeatmapView::cellIndex(qint64 timeUs) const
{
    if (m_days == 0)
        return -1;
    const timeutil::Zone zone = m_loader->zone().zone();
    const qint64 local = timeUs + qint64(zone.offsetSecondsAt(timeUs)) * timeutil::kMicrosPerSecond;
    const std::int64_t day = floorDiv(local, kDayUs) - m_firstDay;
    const int hour = int((local - floorDiv(local, kDayUs) * kDayUs) / kHourUs);
    if (day < 0 || day >= m_days)
        return -1;
    return int(day) * 24 + hour;
}

int HeatmapView::valueCells() const
{
    return int(std::count_if(m_cells.begin(), m_cells.end(), [](const Cell &c) { return c.totals > 0; }));
}

int HeatmapView::missingCells() const
{
    return int(std::count_if(m_cells.begin(), m_cells.end(), [](const Cell &c) { return c.present && !c.totals; }));
}

QColor HeatmapView::colourOf(double value) const
{
    const double t = m_max > m_min ? std::clamp((value - m_min) / (m_max - m_min), 0.0, 1.0) : 0.5;
    const double at = t * double(kScale.size() - 1);
    const auto low = std::size_t(std::floor(at));
    const std::size_t high = std::min(low + 1, kScale.size() - 1);
    const double f = at - double(low);
    const QColor a(kScale[low]), b(kScale[high]);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * f),
                            float(a.greenF() + (b.greenF() - a.greenF()) * f),
                            float(a.blueF() + (b.blueF() - a.blueF()) * f));
}

QRectF HeatmapView::plotArea() const
{
    return QRectF(rect()).adjusted(kLeft, kTop, -kRight, -kBottom);
}

QRectF HeatmapView::rectOf(int index) const
{
    const QRectF plot = plotArea();
    const double w = plot.width() / std::max(m_days, 1), h = plot.height() / 24;
    return QRectF(plot.left() + (index / 24) * w, plot.top() + (index % 24) * h, w, h);
}

QRectF HeatmapView::cellRect(qint64 timeUs) const
{
    const int index = cellIndex(timeUs);
    return index >= 0 && m_cells[index].present ? rectOf(index) : QRectF();
}

QString HeatmapView::describe(const Cell &cell) const
{
    const timeutil::Zone zone = m_loader->zone().zone();
    QString text = formatWallTime(cell.start, zone, "ddd d MMM yyyy, HH:mm");
    if (cell.buckets > 1)
        text += tr(" (twice: the clocks went back)");
    const QString unit = QString::fromStdString(m_loader->answered().unit());
    text += "\n" + (cell.totals ? valueText(cell.sum) + (unit.isEmpty() ? "" : " " + unit) : tr("no readings"));
    text += tr(", %1 of %2 readings").arg(cell.count).arg(cell.expected);
    return text;
}

QString HeatmapView::cellText(qint64 timeUs) const
{
    const int index = cellIndex(timeUs);
    return index >= 0 && m_cells[index].present ? describe(m_cells[index]) : QString();
}

void HeatmapView::mouseMoveEvent(QMouseEvent *event)
{
    QWidget::mouseMoveEvent(event);
    m_hover.clear();
    m_hoverAt = event->position();
    const QRectF plot = plotArea();
    if (m_days > 0 && plot.contains(m_hoverAt)) {
        const int day = std::clamp(int((m_hoverAt.x() - plot.left()) / plot.width() * m_days), 0, m_days - 1);
        const int hour = std::clamp(int((m_hoverAt.y() - plot.top()) / plot.height() * 24), 0, 23);
        const Cell &cell = m_cells[day * 24 + hour];
        if (cell.present)
            m_hover = describe(cell);
    }
    update();
}

void HeatmapView::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    m_hover.clear();
    update();
}

void HeatmapView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().color(QPalette::Base));
    const QRectF plot = plotArea();
    const QString &name = m_loader->series().name;
    const auto notice = [&](const QString &text) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, text);
    };
    switch (m_loader->state()) {
    case TotalsLoader::State::Empty:
        notice(m_loader->error());
        return;
    case TotalsLoader::State::Waiting:
    case TotalsLoader::State::Loading:
        notice(tr("Totalling %1 per hour…").arg(name));
        return;
    case TotalsLoader::State::Failed:
        notice(tr("Could not total %1: %2").arg(name, m_loader->error()));
        return;
    case TotalsLoader::State::Loaded:
        break;
    }
    if (m_days == 0) {
        notice(tr("This series holds no points."));
        return;
    }
    const QString unit = QString::fromStdString(m_loader->answered().unit());
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(plot.left(), 4, plot.width(), kTop - 8), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("%1 per hour of the day%2 (%3)")
                         .arg(name, unit.isEmpty() ? QString() : ", " + unit, m_loader->zone().label()));
    painter.setFont(font());

    const QBrush missing(QColor(0xb0, 0xb0, 0xb0), Qt::BDiagPattern);
    for (int i = 0; i < m_cells.size(); ++i) {
        const Cell &cell = m_cells[i];
        if (!cell.present)
            continue;
        const QRectF r = rectOf(i);
        if (cell.totals)
            painter.fillRect(r, colourOf(cell.sum));
        else
            painter.fillRect(r, missing);
    }
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(plot);

    // Hours on the left, every three; days below, as many as fit.
    painter.setPen(palette().color(QPalette::Text));
    const QFontMetrics metrics(font());
    for (int hour = 0; hour <= 24; hour += 3) {
        const double y = plot.top() + plot.height() * hour / 24;
        painter.drawText(QRectF(0, y - 8, kLeft - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                         QString("%1:00").arg(hour, 2, 10, QChar('0')));
    }
    const double labelWidth = metrics.horizontalAdvance("00 Mmm 0000") + 12;
    const int step = std::max(1, int(std::ceil(labelWidth / (plot.width() / m_days))));
    const timeutil::Zone zone = m_loader->zone().zone();
    for (int day = 0; day < m_days; day += step) {
        const double x = plot.left() + plot.width() * day / m_days;
        // Noon of the local day names it whatever its offset.
        const qint64 noon = (m_firstDay + day) * kDayUs + 12 * kHourUs;
        const qint64 utc = noon - qint64(zone.offsetSecondsAt(noon)) * timeutil::kMicrosPerSecond;
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        painter.drawText(QRectF(x - 2, plot.bottom() + 6, labelWidth, kBottom - 8), Qt::AlignLeft | Qt::AlignTop,
                         formatWallTime(utc, zone, "d MMM yyyy"));
    }

    // The scale: high at the top.
    const QRectF bar(plot.right() + 16, plot.top(), 16, plot.height() - 40);
    for (int y = 0; y < int(bar.height()); ++y)
        painter.fillRect(QRectF(bar.left(), bar.top() + y, bar.width(), 1),
                         colourOf(m_max - (m_max - m_min) * y / std::max(bar.height() - 1, 1.0)));
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(bar);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(QRectF(bar.right() + 4, bar.top() - 8, kRight - 36, 16), Qt::AlignLeft | Qt::AlignVCenter,
                     valueText(m_max));
    painter.drawText(QRectF(bar.right() + 4, bar.bottom() - 8, kRight - 36, 16), Qt::AlignLeft | Qt::AlignVCenter,
                     valueText(m_min));
    const QRectF swatch(bar.left(), plot.bottom() - 16, 16, 16);
    painter.fillRect(swatch, missing);
    painter.drawText(QRectF(swatch.right() + 4, swatch.top() - 4, kRight - 24, 24), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("none"));

    if (!m_hover.isEmpty()) {
        painter.setRenderHint(QPainter::Antialiasing);
        crosshair::drawLabel(painter, m_hoverAt, plot, m_hover, *this);
    }
}

} // namespace meterscope::app
