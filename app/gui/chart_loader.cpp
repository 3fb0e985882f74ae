#include "gui/chart_loader.h"

#include "gui/connection.h"
#include "gui/gaps.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace meterscope::app {

namespace {

constexpr int kDebounceMs = 120;
// Live points make the overview grow; past this many per pixel, fetch it again.
constexpr qint64 kMaxOverviewPointsPerPixel = 16;

constexpr qint64 kEndOfTime = std::numeric_limits<qint64>::max();

// A detail answer reaches this far beyond the view, in pixel columns of
// the view at most: far enough to hold the readings next to the view's
// edges, so that the lines leaving the view go to the right points.
constexpr double kMaxDetailWidening = 3;

// Appends the points of `points` in [from, to) that come after the last of
// `target`, gaps marked after `typicalUs`; returns how many readings.
qsizetype appendTail(PointColumns &target, const PointColumns &points, qint64 typicalUs, qint64 from,
                     qint64 to = kEndOfTime)
{
    const PointColumns tail = points.within(from, to).after(target.lastTime());
    target.append(gaps::marked(tail, typicalUs, target.lastTime()));
    return tail.size();
}

qsizetype lowerBound(const QList<qint64> &times, qint64 time)
{
    return std::lower_bound(times.begin(), times.end(), time) - times.begin();
}

} // namespace

ChartLoader::ChartLoader(Connection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ChartLoader::requestDetail);
    connect(&m_rpc, &RpcThread::pointsReceived, this, &ChartLoader::onPoints);
    connect(&m_rpc, &RpcThread::queryFinished, this, &ChartLoader::onFinished);
    connect(&m_rpc, &RpcThread::failed, this, &ChartLoader::onFailed);
}

bool ChartLoader::busy() const
{
    return m_running != Request::None || m_debounce.isActive();
}

void ChartLoader::setSeries(const SeriesInfo &series, int width)
{
    m_series = series;
    m_overview = m_detail = m_points = {};
    m_overviewReadings = 0;
    m_hasDetail = false;
    emit pointsChanged();
    m_viewStart = series.firstUs.value_or(0);
    m_viewEnd = series.lastUs.value_or(0) + 1;
    m_viewWidth = width;
    // The mean interval until a raw answer tells the usual one.
    m_typicalUs = series.points > 1 ? (*series.lastUs - *series.firstUs) / (series.points - 1) : 0;
    requestOverview();
}

void ChartLoader::clear()
{
    m_rpc.abandon();
    m_debounce.stop();
    m_running = Request::None;
    m_series = {};
    m_overview = m_detail = m_points = {};
    m_hasDetail = false;
    emit pointsChanged();
    setBusy(false);
}

void ChartLoader::reload()
{
    if (hasSeries())
        requestOverview();
}

void ChartLoader::setView(qint64 startUs, qint64 endUs, int width)
{
    m_viewStart = startUs;
    m_viewEnd = endUs;
    m_viewWidth = width;
    // The detail follows once the overview is in.
    if (!hasSeries() || m_running == Request::Overview)
        return;
    if (wantsDetail()) {
        m_debounce.start();
        setBusy(true);
        return;
    }
    m_debounce.stop();
    if (m_running == Request::Detail) {
        m_rpc.abandon();
        m_running = Request::None;
    }
    if (m_hasDetail) {
        m_hasDetail = false;
        compose();
    }
    setBusy(false);
}

void ChartLoader::append(const PointColumns &points)
{
    if (!hasSeries() || points.isEmpty())
        return;
    // Only points after the known range are new; earlier ones may replace
    // stored readings. Either way the range grows to hold them all.
    m_series.points += points.after(m_series.lastUs).size();
    const bool inside = m_series.lastUs && points.timesUs.front() <= *m_series.lastUs;
    m_series.firstUs = std::min(m_series.firstUs.value_or(points.timesUs.front()), points.timesUs.front());
    m_series.lastUs = std::max(m_series.lastUs.value_or(points.timesUs.back()), points.timesUs.back());
    if (inside) {
        // Points inside the known range: the overview no longer tells the truth.
        requestOverview();
        return;
    }
    if (m_running != Request::None)
        m_liveDuringRequest.append(points);
    m_overviewReadings += appendTail(m_overview, points, m_typicalUs, std::numeric_limits<qint64>::min());
    if (m_hasDetail)
        appendTail(m_detail, points, m_typicalUs, m_detailStart, m_detailEnd);
    compose();
    if (m_running == Request::None && m_overview.size() > kMaxOverviewPointsPerPixel * std::max(m_overviewWidth, 1))
        requestOverview();
}

bool ChartLoader::overviewHasEveryPoint() const
{
    return m_overviewWidth > 0 && m_overviewReadings == m_series.points;
}

bool ChartLoader::wantsDetail() const
{
    if (overviewHasEveryPoint() || !m_series.firstUs)
        return false;
    const bool wholeSeries = m_viewStart <= *m_series.firstUs && m_viewEnd > *m_series.lastUs;
    return !wholeSeries || m_viewWidth > m_overviewWidth;
}

void ChartLoader::requestOverview()
{
    m_debounce.stop();
    m_overviewWidth = 0;
    if (!m_series.firstUs) {
        m_rpc.abandon();
        m_running = Request::None;
        m_overview = m_detail = m_points = {};
        m_hasDetail = false;
        emit pointsChanged();
        setBusy(false);
        return;
    }
    request(Request::Overview, std::nullopt, std::nullopt, m_viewWidth);
}

void ChartLoader::requestDetail()
{
    if (m_running != Request::Overview && wantsDetail()) {
        const qint64 span = m_viewEnd - m_viewStart;
        const qint64 margin = std::max(span / std::max(m_viewWidth, 1), 2 * m_typicalUs);
        const double widening = std::min(kMaxDetailWidening, double(span + 2 * margin) / double(span));
        request(Request::Detail, m_viewStart - margin, m_viewEnd + margin, int(std::ceil(m_viewWidth * widening)));
    } else
        setBusy(m_running != Request::None);
}

void ChartLoader::request(Request kind, std::optional<qint64> startUs, std::optional<qint64> endUs, int width)
{
    width = std::max(width, 1);
    const qint64 first = *m_series.firstUs;
    const qint64 end = *m_series.lastUs + 1;
    m_incoming = {};
    m_liveDuringRequest = {};
    m_incomingStart = startUs.value_or(first);
    m_incomingEnd = endUs.value_or(end);
    const QueryJob job{m_series.name, startUs, endUs, quint32(width)};
    if (kind == Request::Overview)
        m_overviewWidth = width;
    m_running = kind;
    m_rpc.start([client = m_connection.client(), job](RpcWorker &worker, quint64 generation,
                                                      client::Cancellation &cancellation) {
        worker.query(client, generation, job, cancellation);
    });
    setBusy(true);
}

void ChartLoader::onPoints(const PointColumns &points)
{
    m_incoming.append(points);
}

void ChartLoader::onFinished()
{
    const Request done = m_running;
    m_running = Request::None;
    m_incoming.append(
        m_liveDuringRequest.within(m_incomingStart, done == Request::Overview ? kEndOfTime : m_incomingEnd)
            .after(m_incoming.lastTime()));
    m_liveDuringRequest = {};
    if (const std::optional<qint64> typical = gaps::typicalInterval(m_incoming))
        m_typicalUs = *typical;
    const qsizetype readings = m_incoming.size();
    m_incoming = gaps::marked(m_incoming, m_typicalUs);
    if (done == Request::Overview) {
        m_overviewReadings = readings;
        m_overview = std::move(m_incoming);
        m_hasDetail = false;
    } else {
        m_detail = std::move(m_incoming);
        m_detailStart = m_incomingStart;
        m_detailEnd = m_incomingEnd;
        m_hasDetail = true;
    }
    m_incoming = {};
    compose();
    if (done == Request::Overview && wantsDetail())
        requestDetail();
    setBusy(m_running != Request::None || m_debounce.isActive());
}

void ChartLoader::onFailed(const RpcError &error)
{
    m_running = Request::None;
    setBusy(m_debounce.isActive());
    if (error.cancelled())
        return;
    m_connection.reportFailure(error);
    emit failed(error.message);
}

void ChartLoader::compose()
{
    if (!m_hasDetail) {
        m_points = m_overview;
    } else {
        const qsizetype before = lowerBound(m_overview.timesUs, m_detailStart);
        const qsizetype after = lowerBound(m_overview.timesUs, m_detailEnd);
        m_points = {};
        m_points.bucketUs = m_detail.bucketUs;
        m_points.timesUs.reserve(before + m_detail.size() + m_overview.size() - after + 2);
        m_points.values.reserve(m_points.timesUs.capacity());
        m_points.timesUs << m_overview.timesUs.mid(0, before);
        m_points.values << m_overview.values.mid(0, before);
        // The detail holds the readings next to the view, if there are any
        // near enough: without them, the view's edge is in a gap.
        const auto gapAt = [&](qint64 time, qint64 interval) {
            if (gaps::isGapInterval(interval, m_typicalUs, m_detail.bucketUs)) {
                m_points.timesUs << time;
                m_points.values << gaps::marker();
            }
        };
        if (before > 0)
            gapAt(m_detailStart,
                  m_detail.isEmpty() ? m_detailEnd - m_detailStart : m_detail.timesUs.front() - m_detailStart);
        m_points.timesUs << m_detail.timesUs;
        m_points.values << m_detail.values;
        if (after < m_overview.size() && !m_detail.isEmpty())
            gapAt(m_detailEnd - 1, m_detailEnd - 1 - m_detail.timesUs.back());
    }
    emit pointsChanged();
}

void ChartLoader::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

} // namespace meterscope::app
