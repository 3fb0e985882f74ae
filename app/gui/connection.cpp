#include "gui/connection.h"

#include <utility>

namespace meterscope::app {

namespace {

constexpr int kPollMs = 3000;
constexpr int kMaxBackoffSeconds = 30;
constexpr auto kProbeDeadline = std::chrono::seconds(5);

} // namespace

Connection::Connection(QObject *parent)
    : QObject(parent)
{
    connect(&m_rpc, &RpcThread::seriesListed, this, &Connection::onListed);
    connect(&m_rpc, &RpcThread::failed, this, &Connection::onFailed);
    m_poll.setSingleShot(true);
    m_poll.setInterval(kPollMs);
    connect(&m_poll, &QTimer::timeout, this, &Connection::probe);
    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, [this] {
        if (--m_secondsToRetry > 0)
            emit messageChanged();
        else
            probe();
    });
}

Connection::~Connection() = default;

void Connection::connectTo(client::ConnectionOptions options, const QString &name)
{
    options.unaryDeadline = kProbeDeadline;
    m_address = QString::fromStdString(options.address);
    m_client = std::make_shared<client::Client>(std::move(options));
    if (m_address != std::exchange(m_server, m_address)) {
        m_series.clear();
        emit serverChanged();
    }
    m_name = name.isEmpty() ? m_address : name;
    m_problem.clear();
    m_backoffSeconds = 0;
    setState(State::Connecting);
    probe();
}

void Connection::waitForAddress(const QString &problem)
{
    m_rpc.abandon();
    m_poll.stop();
    m_countdown.stop();
    m_client.reset();
    m_address.clear();
    m_problem = problem;
    setState(State::Idle);
}

QString Connection::message() const
{
    switch (m_state) {
    case State::Idle:
        return m_problem.isEmpty() ? tr("Starting the local server…") : tr("Not connected");
    case State::Connecting:
        return m_problem.isEmpty() ? tr("Connecting to %1…").arg(m_name) : tr("Trying %1 again…").arg(m_name);
    case State::Connected:
        return tr("Connected to %1").arg(m_name);
    case State::Unreachable:
        return m_countdown.isActive() ? tr("Cannot reach %1. Retrying in %2 s.").arg(m_name).arg(m_secondsToRetry)
                                      : tr("Cannot reach %1.").arg(m_name);
    }
    return {};
}

std::optional<SeriesInfo> Connection::findSeries(const QString &name) const
{
    for (const SeriesInfo &series : m_series) {
        if (series.name == name)
            return series;
    }
    return std::nullopt;
}

void Connection::retry()
{
    if (!m_client) {
        emit retryRequested();
        return;
    }
    m_backoffSeconds = 0;
    probe();
}

void Connection::refresh()
{
    if (m_state == State::Connected)
        probe();
}

void Connection::reportFailure(const RpcError &error)
{
    if (error.unreachable() && m_state == State::Connected)
        probe();
}

void Connection::probe()
{
    m_poll.stop();
    m_countdown.stop();
    if (!m_client)
        return;
    if (m_state != State::Connected)
        setState(State::Connecting);
    m_rpc.start([client = m_client](RpcWorker &worker, quint64 generation, client::Cancellation &) {
        worker.listSeries(client, generation);
    });
}

void Connection::onListed(const QList<SeriesInfo> &series)
{
    m_backoffSeconds = 0;
    m_problem.clear();
    m_series = series;
    emit seriesListed(m_series);
    setState(State::Connected);
    m_poll.start();
}

void Connection::onFailed(const RpcError &error)
{
    m_problem = error.message;
    if (m_autoRetry) {
        m_backoffSeconds = m_backoffSeconds ? std::min(m_backoffSeconds * 2, kMaxBackoffSeconds) : 1;
        m_secondsToRetry = m_backoffSeconds;
        m_countdown.start();
    }
    setState(State::Unreachable);
}

void Connection::setState(State state)
{
    const bool changed = state != m_state;
    m_state = state;
    emit messageChanged();
    if (changed)
        emit stateChanged(state);
}

} // namespace meterscope::app
