#include "gui/series_exporter.h"

#include "gui/connection.h"

#include <QDir>
#include <QLocale>

namespace meterscope::app {

SeriesExporter::SeriesExporter(Connection &connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(&m_rpc, &RpcThread::exportProgress, this, [this](quint64 points) {
        emit progress(tr("Saving %1 · %2 points").arg(m_series.name, QLocale().toString(qulonglong(points))),
                      m_series.points > 0 && !m_totals ? double(points) / double(m_series.points) : -1);
    });
    connect(&m_rpc, &RpcThread::exported, this, [this](quint64 points) {
        emit finished(
            true, (m_totals ? tr("Saved %1 totals of %2 to %3.") : tr("Saved %1 points of %2 to %3."))
                      .arg(QLocale().toString(qulonglong(points)), m_series.name, QDir::toNativeSeparators(m_path)));
    });
    connect(&m_rpc, &RpcThread::failed, this, [this](const RpcError &error) {
        m_connection.reportFailure(error);
        emit finished(false, error.cancelled() ? tr("Saving %1 was cancelled; no file was written.").arg(m_series.name)
                                               : tr("Could not save %1: %2").arg(m_series.name, error.message));
    });
}

void SeriesExporter::exportSeries(const SeriesInfo &series, const QString &path, client::ExportFormat format,
                                  const DisplayZone &zone)
{
    m_series = series;
    m_totals = false;
    v1::QueryRequest request;
    request.set_series(series.name.toStdString());
    start(request, path, format, zone);
}

void SeriesExporter::exportTotals(const SeriesInfo &series, timeutil::Period period, const QString &path,
                                  client::ExportFormat format, const DisplayZone &zone)
{
    m_series = series;
    m_totals = true;
    v1::AggregateRequest request;
    request.add_series(series.name.toStdString());
    request.set_by(v1::Period(int(period) + 1));
    request.set_timezone(zone.zone().name());
    start(request, path, format, zone);
}

void SeriesExporter::start(const client::ExportSource &source, const QString &path, client::ExportFormat format,
                           const DisplayZone &zone)
{
    m_path = path;
    emit progress(tr("Saving %1…").arg(m_series.name), -1);
    m_rpc.start([client = m_connection.client(), source, path, format,
                 zone = zone.zone()](RpcWorker &worker, quint64 generation, client::Cancellation &cancellation) {
        worker.exportSeries(client, generation, source, path, format, zone, cancellation);
    });
}

void SeriesExporter::cancel()
{
    m_rpc.cancel();
}

} // namespace meterscope::app
