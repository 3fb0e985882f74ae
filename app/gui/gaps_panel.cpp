#include "gui/gaps_panel.h"

#include "gui/connection.h"
#include "gui/window_dialogs.h"
#include "time/duration.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace meterscope::app {

namespace {

QString durationText(qint64 us)
{
    const qint64 seconds = us / timeutil::kMicrosPerSecond;
    if (seconds > 0 && seconds % 86400 == 0)
        return QObject::tr("%1 d").arg(seconds / 86400);
    if (seconds > 0 && seconds % 3600 == 0)
        return QObject::tr("%1 h").arg(seconds / 3600);
    if (seconds > 0 && seconds % 60 == 0)
        return QObject::tr("%1 min").arg(seconds / 60);
    return QObject::tr("%1 s").arg(seconds);
}

} // namespace

GapsPanel::GapsPanel(Connection &connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_summary(new QLabel(this))
    , m_threshold(new QToolButton(this))
    , m_table(new QTableWidget(this))
{
    m_summary->setWordWrap(true);
    m_threshold->setText(tr("Threshold…"));
    m_threshold->setToolTip(tr("Readings at least this far apart are a gap (by default twice the cadence)"));
    m_threshold->setAutoRaise(true);
    connect(m_threshold, &QToolButton::clicked, this, &GapsPanel::chooseThreshold);
    m_table->setColumnCount(3);
    m_table->setHorizontalHeaderLabels({tr("Last reading before"), tr("First after"), tr("Missing")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    m_table->setToolTip(tr("Double-click a gap to see it in the chart"));
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row, int) {
        if (row < 0 || row >= m_gaps.gaps_size())
            return;
        const v1::Gap &gap = m_gaps.gaps(row);
        // The gap in the middle, with as much on each side as it is wide
        // (at least a dozen readings).
        const qint64 margin = std::max<qint64>(gap.first_after_us() - gap.last_before_us(), 12 * m_gaps.cadence_us());
        emit gapChosen(gap.last_before_us() - margin, gap.first_after_us() + margin);
    });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_summary, 1);
    bar->addWidget(m_threshold);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);

    connect(&m_rpc, &RpcThread::gapsListed, this, [this](const v1::ListGapsResponse &gaps) {
        m_gaps = gaps;
        m_loaded = true;
        fill();
        emit loadFinished();
    });
    connect(&m_rpc, &RpcThread::seriesUpdated, this, [this](const QString &, const SeriesInfo &) { load(); });
    connect(&m_rpc, &RpcThread::failed, this, [this](const RpcError &error) {
        if (error.cancelled())
            return;
        m_failed = true;
        m_summary->setText(tr("Could not list the gaps of %1: %2").arg(m_series.name, error.message));
    });
    m_threshold->setEnabled(false);
}

void GapsPanel::showSeries(const SeriesInfo &series)
{
    m_series = series;
    m_rpc.abandon();
    m_loaded = false;
    m_stale = true;
    if (isVisible())
        load();
}

void GapsPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        load();
}

void GapsPanel::clear()
{
    m_rpc.abandon();
    m_series = {};
    m_gaps.Clear();
    m_loaded = false;
    m_stale = false;
    m_summary->clear();
    m_table->setRowCount(0);
    m_threshold->setEnabled(false);
}

void GapsPanel::retryIfFailed()
{
    if (m_failed)
        showSeries(m_series);
}

void GapsPanel::setDisplayZone(const DisplayZone &zone)
{
    m_zone = zone;
    fill();
}

void GapsPanel::setThreshold(qint64 thresholdUs)
{
    if (m_series.name.isEmpty())
        return;
    v1::UpdateSeriesRequest request;
    request.set_series(m_series.name.toStdString());
    request.set_gap_threshold_us(thresholdUs);
    m_loaded = false;
    m_rpc.start(
        [client = m_connection.client(), request](RpcWorker &worker, quint64 generation, client::Cancellation &) {
            worker.updateSeries(client, generation, request);
        });
}

void GapsPanel::load()
{
    m_stale = false;
    m_failed = false;
    m_loaded = false;
    m_summary->setText(tr("Looking for gaps in %1…").arg(m_series.name));
    v1::ListGapsRequest request;
    request.set_series(m_series.name.toStdString());
    m_rpc.start(
        [client = m_connection.client(), request](RpcWorker &worker, quint64 generation, client::Cancellation &) {
            worker.listGaps(client, generation, request);
        });
}

QString GapsPanel::summaryText() const
{
    return m_summary->text();
}

void GapsPanel::fill()
{
    if (!m_loaded)
        return;
    const QLocale locale;
    QString text = m_gaps.gaps_size() == 1 ? tr("1 gap") : tr("%1 gaps").arg(locale.toString(m_gaps.gaps_size()));
    if (m_gaps.truncated())
        text += tr(" (the first %1)").arg(locale.toString(m_gaps.gaps_size()));
    text += tr(" of at least %1").arg(durationText(m_gaps.threshold_us()));
    if (m_gaps.expected() > 0)
        text += tr(" · %1 of %2 readings (%3%)")
                    .arg(locale.toString(qulonglong(m_gaps.readings())), locale.toString(qulonglong(m_gaps.expected())),
                         QString::number(100.0 * double(m_gaps.readings()) / double(m_gaps.expected()), 'f', 2));
    m_summary->setText(text);
    m_threshold->setEnabled(true);
    const timeutil::Zone zone = m_zone.zone();
    m_table->setRowCount(m_gaps.gaps_size());
    for (int row = 0; row < m_gaps.gaps_size(); ++row) {
        const v1::Gap &gap = m_gaps.gaps(row);
        m_table->setItem(row, 0, new QTableWidgetItem(formatWallTime(gap.last_before_us(), zone, "yyyy-MM-dd HH:mm")));
        m_table->setItem(row, 1, new QTableWidgetItem(formatWallTime(gap.first_after_us(), zone, "yyyy-MM-dd HH:mm")));
        auto *missing = new QTableWidgetItem(locale.toString(qulonglong(gap.missing())));
        missing->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(row, 2, missing);
    }
}

void GapsPanel::chooseThreshold()
{
    QInputDialog *dialog = openTextDialog(
        this, tr("Gap Threshold"),
        tr("Readings of '%1' at least this far apart are a gap (such as 45m, 2h or 1d; 0 for twice the cadence):")
            .arg(m_series.name),
        QString());
    dialog->setObjectName("gapThresholdDialog");
    connect(dialog, &QInputDialog::textValueSelected, this, [this](const QString &text) {
        const std::optional<std::chrono::seconds> duration = timeutil::parseDuration(text.toStdString());
        if (text.trimmed() == "0" || duration)
            setThreshold(duration ? duration->count() * timeutil::kMicrosPerSecond : 0);
        else
            m_summary->setText(tr("'%1' is no duration such as 45m or 2h (or 0).").arg(text));
    });
}

} // namespace meterscope::app
