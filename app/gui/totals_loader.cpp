#include "gui/totals_loader.h"

#include "gui/connection.h"

#include <QWidget>

namespace meterscope::app {

TotalsLoader::TotalsLoader(Connection &connection, QWidget &view, timeutil::Period period)
    : QObject(&view)
    , m_connection(connection)
    , m_view(view)
    , m_period(period)
{
    connect(&m_rpc, &RpcThread::aggregated, this, [this](const QList<v1::AggregateResponse> &answers) {
        m_buckets.clear();
        m_answered = answers.isEmpty() ? v1::Series() : answers.front().series();
        for (const v1::AggregateResponse &answer : answers)
            m_buckets.append(QList<v1::TotalBucket>(answer.buckets().begin(), answer.buckets().end()));
        m_state = State::Loaded;
        emit changed();
    });
    connect(&m_rpc, &RpcThread::failed, this, [this](const RpcError &error) {
        if (error.cancelled())
            return;
        m_state = State::Failed;
        m_error = error.message;
        m_buckets.clear();
        emit changed();
    });
}

void TotalsLoader::showSeries(const SeriesInfo &series, std::optional<double> price)
{
    m_series = series;
    m_price = price;
    reload();
}

void TotalsLoader::clear(const QString &message)
{
    m_rpc.abandon();
    m_series = {};
    m_buckets.clear();
    m_state = State::Empty;
    m_error = message;
    emit changed();
}

void TotalsLoader::setZone(const DisplayZone &zone)
{
    m_zone = zone;
    if (m_state != State::Empty)
        reload();
}

void TotalsLoader::setPeriod(timeutil::Period period)
{
    m_period = period;
    if (m_state != State::Empty)
        reload();
}

void TotalsLoader::setPrice(std::optional<double> price)
{
    m_price = price;
    if (m_state != State::Empty)
        reload();
}

void TotalsLoader::setRange(std::optional<qint64> start, std::optional<qint64> end)
{
    m_start = start;
    m_end = end;
    if (m_state != State::Empty)
        reload();
}

void TotalsLoader::retryIfFailed()
{
    if (m_state == State::Failed)
        reload();
}

void TotalsLoader::viewShown()
{
    if (m_state == State::Waiting)
        load();
}

void TotalsLoader::reload()
{
    m_rpc.abandon();
    m_state = State::Waiting;
    if (m_view.isVisible())
        load();
    else
        emit changed();
}

void TotalsLoader::load()
{
    m_state = State::Loading;
    m_error.clear();
    v1::AggregateRequest request;
    request.add_series(m_series.name.toStdString());
    request.set_by(v1::Period(int(m_period) + 1));
    request.set_timezone(m_zone.zone().name());
    if (m_price)
        request.set_price(*m_price);
    if (m_start)
        request.set_start_time_us(*m_start);
    if (m_end)
        request.set_end_time_us(*m_end);
    m_rpc.start([client = m_connection.client(), request](RpcWorker &worker, quint64 generation,
                                                          client::Cancellation &cancellation) {
        worker.aggregate(client, generation, request, cancellation);
    });
    emit changed();
}

} // namespace meterscope::app
