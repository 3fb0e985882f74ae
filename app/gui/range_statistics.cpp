#include "gui/range_statistics.h"

#include "gui/totals_table_model.h"

#include <QLocale>
#include <QTimer>

#include <algorithm>

namespace meterscope::app {

RangeStatistics::RangeStatistics(Connection &connection, QWidget *parent)
    : QLabel(parent)
    // Years: a few buckets for any range, added up here.
    , m_loader(new TotalsLoader(connection, *this, timeutil::Period::Year))
    , m_settle(new QTimer(this))
{
    setToolTip(tr("What the chart shows: readings (of those expected), total, min, max and mean"));
    setContentsMargins(12, 0, 12, 0);
    m_settle->setSingleShot(true);
    m_settle->setInterval(300);
    connect(m_settle, &QTimer::timeout, this, [this] {
        m_loader->setRange(m_start, m_end);
        if (m_loader->series().name != m_series.name)
            m_loader->showSeries(m_series);
    });
    connect(m_loader, &TotalsLoader::changed, this, &RangeStatistics::onChanged);
}

void RangeStatistics::showRange(const SeriesInfo &series, qint64 startUs, qint64 endUs)
{
    m_series = series;
    m_start = startUs;
    m_end = endUs;
    m_settle->start();
}

void RangeStatistics::clear()
{
    m_settle->stop();
    m_series = {};
    m_loader->clear();
}

void RangeStatistics::showEvent(QShowEvent *event)
{
    QLabel::showEvent(event);
    m_loader->viewShown();
}

void RangeStatistics::onChanged()
{
    if (m_loader->state() != TotalsLoader::State::Loaded) {
        if (m_loader->state() != TotalsLoader::State::Loading)
            setText({});
        return;
    }
    std::uint64_t count = 0, expected = 0;
    double total = 0, weighted = 0, low = 0, high = 0;
    int withTotal = 0;
    for (const v1::TotalBucket &b : m_loader->buckets()) {
        count += b.count();
        expected += b.expected();
        if (!b.has_total())
            continue;
        total += b.total();
        weighted += b.mean() * double(b.count());
        low = withTotal ? std::min(low, b.min()) : b.min();
        high = withTotal ? std::max(high, b.max()) : b.max();
        ++withTotal;
    }
    if (count == 0) {
        setText(tr("In view: no readings"));
        return;
    }
    const QString unit
        = m_loader->answered().unit().empty() ? QString() : " " + QString::fromStdString(m_loader->answered().unit());
    QString text = tr("In view: %1 readings").arg(QLocale().toString(qulonglong(count)));
    if (expected > count)
        text += tr(" (%1% of %2)")
                    .arg(QString::number(100.0 * double(count) / double(expected), 'f', 2),
                         QLocale().toString(qulonglong(expected)));
    // A level's total is its mean, which means nothing added up over years.
    if (m_loader->answered().kind() != v1::SERIES_KIND_INSTANT)
        text += tr(" · total %1%2").arg(valueText(total), unit);
    text
        += tr(" · min %1 · max %2 · mean %3").arg(valueText(low), valueText(high), valueText(weighted / double(count)));
    setText(text);
}

} // namespace meterscope::app
