#include "gui/totals_view.h"

#include "gui/chart_crosshair.h"
#include "gui/chart_line.h"
#include "gui/gaps_panel.h"
#include "gui/settings.h"
#include "gui/totals_table_model.h"
#include "gui/window_actions.h"
#include "meterscope/v1/import_summary.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMouseEvent>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace meterscope::app {

namespace {

constexpr qint64 kHourUs = 3600 * timeutil::kMicrosPerSecond;

// The part of a bucket's width left blank on each side, so bars stand apart.
constexpr double kBarMargin = 0.1;

} // namespace

/// The bars' chart view: draws the label of the hovered bar over it, as
/// the Chart tab draws its crosshair.
class TotalsView::BarsView : public QChartView {
public:
    BarsView(QChart *chart, TotalsView &totals)
        : QChartView(chart, &totals)
        , m_totals(totals)
    {
        setMouseTracking(true);
    }

protected:
    void mouseMoveEvent(QMouseEvent *event) override
    {
        QChartView::mouseMoveEvent(event);
        const QPointF scene = mapToScene(event->position().toPoint());
        QChart *bars = chart();
        const bool inside = bars->plotArea().contains(scene);
        m_totals.m_hover = inside ? m_totals.hoverText(
                               qint64(bars->mapToValue(bars->mapFromScene(scene), bars->series().front()).x() * 1000))
                                  : QString();
        m_hoverAt = scene;
        viewport()->update();
    }
    void leaveEvent(QEvent *event) override
    {
        QChartView::leaveEvent(event);
        m_totals.m_hover.clear();
        viewport()->update();
    }
    void drawForeground(QPainter *painter, const QRectF &rect) override
    {
        QChartView::drawForeground(painter, rect);
        if (m_totals.m_hover.isEmpty())
            return;
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        crosshair::drawLabel(*painter, m_hoverAt, chart()->plotArea(), m_totals.m_hover, *this);
        painter->restore();
    }

private:
    TotalsView &m_totals;
    QPointF m_hoverAt;
};

TotalsView::TotalsView(Connection &connection, Settings &settings, QWidget *parent)
    : QWidget(parent)
    , m_settings(settings)
    , m_periodBox(new QComboBox(this))
    , m_priceEdit(new QLineEdit(this))
    , m_status(new QLabel(this))
    , m_chart(new QChart)
    , m_chartView(new BarsView(m_chart, *this))
    , m_axes(*m_chart, font())
    , m_outline(new QLineSeries(m_chart))
    , m_baseline(new QLineSeries(m_chart))
    , m_area(new QAreaSeries(m_outline, m_baseline))
    , m_table(new QTableView(this))
    , m_loader(new TotalsLoader(connection, *this, timeutil::Period::Day))
    , m_model(new TotalsTableModel(*m_loader, this))
    , m_gaps(new GapsPanel(connection, this))
{
    for (const timeutil::Period period : {timeutil::Period::Hour, timeutil::Period::Day, timeutil::Period::Week,
                                          timeutil::Period::Month, timeutil::Period::Year}) {
        const QString name = QString::fromLatin1(timeutil::periodName(period).data());
        m_periodBox->addItem(name.left(1).toUpper() + name.mid(1), int(period));
    }
    m_periodBox->setCurrentIndex(int(timeutil::Period::Day));
    connect(m_periodBox, &QComboBox::activated, this,
            [this](int index) { setPeriod(timeutil::Period(m_periodBox->itemData(index).toInt())); });
    m_priceEdit->setPlaceholderText(tr("none"));
    m_priceEdit->setMaximumWidth(90);
    m_priceEdit->setToolTip(tr("Price per unit of usage: adds the cost of each bucket. Remembered per series."));
    connect(m_priceEdit, &QLineEdit::editingFinished, this, [this] {
        bool ok = false;
        const double price = m_priceEdit->text().toDouble(&ok);
        setPrice(ok ? std::optional(price) : std::nullopt);
    });

    m_chart->legend()->hide();
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->addSeries(m_area);
    // Ticks as many as fit, once the labels have settled where the plot is.
    connect(m_chart, &QChart::plotAreaChanged, this, &TotalsView::updateTicks);
    m_area->attachAxis(m_axes.time());
    m_area->attachAxis(m_axes.values());
    m_area->setColor(ChartLine::color());
    m_area->setBorderColor(ChartLine::color().darker(130));
    m_axes.setVisible(false);
    m_chartView->setRenderHint(QPainter::Antialiasing, false);

    m_table->setModel(m_model);
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);

    m_bar = new QHBoxLayout;
    m_bar->addWidget(new QLabel(tr("Totals per"), this));
    m_bar->addWidget(m_periodBox);
    m_bar->addSpacing(12);
    m_bar->addWidget(new QLabel(tr("Price"), this));
    m_bar->addWidget(m_priceEdit);
    m_bar->addSpacing(12);
    m_bar->addWidget(m_status, 1);
    auto *splitter = new QSplitter(Qt::Horizontal, this);
    auto *side = new QSplitter(Qt::Vertical, this);
    side->addWidget(m_table);
    side->addWidget(m_gaps);
    side->setStretchFactor(0, 3);
    side->setStretchFactor(1, 1);
    splitter->addWidget(m_chartView);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(m_bar);
    layout->addWidget(splitter, 1);

    connect(m_loader, &TotalsLoader::changed, this, &TotalsView::onChanged);
    updateStatus();
}

TotalsView::~TotalsView() = default;

void TotalsView::showSeries(const SeriesInfo &series)
{
    const std::optional<double> price = m_settings.price(series.name);
    m_priceEdit->setText(price ? valueText(*price) : QString());
    m_loader->showSeries(series, price);
    m_gaps->showSeries(series);
}

void TotalsView::clear(const QString &message)
{
    m_loader->clear(message);
    m_gaps->clear();
}

void TotalsView::retryIfFailed()
{
    m_loader->retryIfFailed();
    m_gaps->retryIfFailed();
}

void TotalsView::setDisplayZone(const DisplayZone &zone)
{
    m_axes.setZoneTitle(zone);
    m_loader->setZone(zone);
    m_gaps->setDisplayZone(zone);
}

void TotalsView::setPeriod(timeutil::Period period)
{
    m_periodBox->setCurrentIndex(m_periodBox->findData(int(period)));
    m_loader->setPeriod(period);
}

void TotalsView::setPrice(std::optional<double> price)
{
    const QString &series = m_loader->series().name;
    if (series.isEmpty())
        return;
    m_priceEdit->setText(price ? valueText(*price) : QString());
    if (price == m_settings.price(series))
        return;
    m_settings.setPrice(series, price);
    m_loader->setPrice(price);
}

void TotalsView::addBarAction(QAction *action)
{
    addBarButton(*m_bar, action, this);
}

bool TotalsView::loaded() const
{
    return m_loader->state() == TotalsLoader::State::Loaded;
}

void TotalsView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_loader->viewShown();
}

void TotalsView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    drawBars();
}

void TotalsView::onChanged()
{
    m_model->reload();
    drawBars();
    updateStatus();
    if (loaded())
        emit loadFinished();
}

QString TotalsView::statusText() const
{
    return m_status->text();
}

void TotalsView::drawBars()
{
    QList<QPointF> outline, baseline;
    double low = 0, high = 0;
    m_bars = 0;
    for (const v1::TotalBucket &b : m_loader->buckets()) {
        if (!b.has_total())
            continue;
        const double width = double(b.end_time_us() - b.start_time_us());
        const double left = chartX(b.start_time_us() + qint64(width * kBarMargin));
        const double right = chartX(b.end_time_us() - qint64(width * kBarMargin));
        outline << QPointF(left, 0) << QPointF(left, b.total()) << QPointF(right, b.total()) << QPointF(right, 0);
        baseline << QPointF(left, 0) << QPointF(right, 0);
        low = std::min(low, b.total());
        high = std::max(high, b.total());
        ++m_bars;
    }
    m_outline->replace(outline);
    m_baseline->replace(baseline);
    const bool any = !m_loader->buckets().isEmpty();
    m_axes.setVisible(any);
    if (!any)
        return;
    m_axes.setUnitTitle(QString::fromStdString(m_loader->answered().unit()));
    m_axes.setTimeRange(m_loader->buckets().front().start_time_us(), m_loader->buckets().back().end_time_us());
    m_low = low;
    m_high = high > low ? high : low + 1;
    updateTicks();
}

void TotalsView::updateTicks()
{
    if (m_loader->buckets().isEmpty())
        return;
    const QRectF plot = m_chart->plotArea();
    m_axes.setTimeTicks(m_loader->buckets().front().start_time_us(), m_loader->buckets().back().end_time_us(),
                        std::max(int(plot.width()), 1), m_loader->zone().zone());
    m_axes.fitValues(m_low, m_high, plot.height());
    // Bars stand on zero: no room below it unless a total is negative.
    if (m_low >= 0)
        m_axes.values()->setMin(0);
}

QString TotalsView::hoverText(qint64 timeUs) const
{
    const auto at = std::find_if(m_loader->buckets().begin(), m_loader->buckets().end(), [&](const v1::TotalBucket &b) {
        return b.start_time_us() <= timeUs && timeUs < b.end_time_us();
    });
    if (at == m_loader->buckets().end() || !at->has_total())
        return {};
    const QString unit = QString::fromStdString(m_loader->answered().unit());
    QString text = bucketLabel(*at, m_loader->period(), m_loader->zone().zone());
    const qint64 hours = (at->end_time_us() - at->start_time_us()) / kHourUs;
    if (m_loader->period() == timeutil::Period::Day && hours != 24)
        text += tr(" (%1 hours)").arg(hours);
    text += "\n" + valueText(at->total()) + (unit.isEmpty() ? "" : " " + unit);
    text += tr(", %1 of %2 readings").arg(at->count()).arg(at->expected());
    if (at->has_cost())
        text += tr("\ncost %1").arg(QString::number(at->cost(), 'f', 2));
    return text;
}

void TotalsView::updateStatus()
{
    const QString &name = m_loader->series().name;
    switch (m_loader->state()) {
    case TotalsLoader::State::Empty:
        m_status->setText(m_loader->error());
        return;
    case TotalsLoader::State::Waiting:
    case TotalsLoader::State::Loading:
        m_status->setText(tr("Totalling %1…").arg(name));
        return;
    case TotalsLoader::State::Failed:
        m_status->setText(tr("Could not total %1: %2").arg(name, m_loader->error()));
        return;
    case TotalsLoader::State::Loaded:
        break;
    }
    std::uint64_t counted = 0, expected = 0;
    int empty = 0;
    for (const v1::TotalBucket &b : m_loader->buckets()) {
        counted += b.count();
        expected += b.expected();
        empty += b.count() == 0 ? 1 : 0;
    }
    const QString kind = QString::fromStdString(v1::kindName(m_loader->answered().kind()));
    const QString unit = QString::fromStdString(m_loader->answered().unit());
    QString text = QString("%1 (%2%3)").arg(name, kind, unit.isEmpty() ? QString() : ", " + unit);
    if (expected > 0)
        text += tr(": %1% of readings").arg(QString::number(100.0 * double(counted) / double(expected), 'f', 2));
    if (empty > 0) {
        const QString period = QString::fromLatin1(timeutil::periodName(m_loader->period()).data());
        text += tr(", %1 %2 without readings").arg(empty).arg(empty == 1 ? period : period + "s");
    }
    m_status->setText(text);
}

} // namespace meterscope::app
