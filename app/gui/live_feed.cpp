#include "gui/live_feed.h"

#include "gui/connection.h"

namespace meterscope::app {

LiveFeed::LiveFeed(Connection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(&m_rpc, &RpcThread::pointsReceived, this, [this](const PointColumns &points) {
        if (points.isEmpty())
            return;
        m_after = std::max(m_after.value_or(points.timesUs.back()), points.timesUs.back());
        emit pointsArrived(points);
    });
    connect(&m_rpc, &RpcThread::pointsRemoved, this,
            [this](qint64 startUs, qint64 endUs) { emit pointsRemoved(m_series, startUs, endUs); });
    connect(&m_rpc, &RpcThread::seriesGone, this, [this](const QString &renamedTo) {
        const QString series = m_series;
        stop();
        if (renamedTo.isEmpty())
            emit seriesDeleted(series);
        else
            emit seriesRenamed(series, renamedTo);
    });
    connect(&m_rpc, &RpcThread::subscribeInterrupted, this, [this](const RpcError &error) {
        if (error.unreachable())
            m_connection.reportFailure(error);
    });
    connect(&m_rpc, &RpcThread::failed, this, &LiveFeed::onFailed);
    connect(&m_rpc, &RpcThread::queryFinished, this, [this]() {
        if (active()) {
            stop();
            emit stopped(tr("The server ended the live stream."));
        }
    });
    connect(&m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Connected && std::exchange(m_waitingForServer, false) && active())
            subscribe();
    });
}

void LiveFeed::follow(const QString &series, std::optional<qint64> afterUs)
{
    m_series = series;
    m_after = afterUs;
    m_waitingForServer = false;
    subscribe();
}

void LiveFeed::stop()
{
    m_rpc.abandon();
    m_series.clear();
    m_waitingForServer = false;
}

void LiveFeed::subscribe()
{
    std::optional<qint64> since;
    if (m_after)
        since = *m_after + 1;
    m_rpc.start([client = m_connection.client(), series = m_series, since](RpcWorker &worker, quint64 generation,
                                                                           client::Cancellation &cancellation) {
        worker.subscribe(client, generation, series, since, cancellation);
    });
}

void LiveFeed::onFailed(const RpcError &error)
{
    if (error.cancelled())
        return;
    // Without a client yet: follow once the app is connected.
    if (error.unreachable()) {
        m_waitingForServer = true;
        m_connection.reportFailure(error);
        return;
    }
    const QString series = m_series;
    stop();
    emit stopped(error.code == grpc::StatusCode::UNIMPLEMENTED
                     ? tr("This server does not offer live updates (Subscribe); update meterscoped.")
                     : tr("Live updates of %1 stopped: %2").arg(series, error.message));
}

} // namespace meterscope::app
