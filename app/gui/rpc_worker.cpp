#include "gui/rpc_worker.h"

#include "client/follow.h"
#include "client/series_export.h"
#include "client/upload.h"
#include "meterscope/v1/import_summary.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace meterscope::app {

namespace {

PointColumns toColumns(const v1::PointBatch &batch)
{
    return {QList<qint64>(batch.time_us().begin(), batch.time_us().end()),
            QList<double>(batch.value().begin(), batch.value().end()), batch.bucket_us()};
}

std::optional<qint64> optionalTime(bool present, std::int64_t value)
{
    return present ? std::optional<qint64>(value) : std::nullopt;
}

} // namespace

bool RpcError::unreachable() const
{
    return client::ClientError(code, {}).unreachable();
}

SeriesInfo toSeriesInfo(const v1::Series &series)
{
    return {QString::fromStdString(series.name()),
            QString::fromStdString(series.unit()),
            series.points(),
            optionalTime(series.has_first_time_us(), series.first_time_us()),
            optionalTime(series.has_last_time_us(), series.last_time_us()),
            QString::fromStdString(v1::kindName(series.kind()))};
}

template<typename Call>
void RpcWorker::guarded(quint64 generation, const ClientPtr &client, Call &&call)
{
    try {
        if (!client)
            throw client::ClientError(grpc::StatusCode::UNAVAILABLE, "not connected to a server yet");
        call();
    } catch (const client::ClientError &e) {
        emit failed(generation, {e.code(), QString::fromStdString(e.what())});
    } catch (const std::exception &e) {
        emit failed(generation, {grpc::StatusCode::INTERNAL, QString::fromStdString(e.what())});
    }
}

void RpcWorker::listSeries(const ClientPtr &client, quint64 generation)
{
    guarded(generation, client, [&] {
        QList<SeriesInfo> series;
        for (const v1::Series &one : client->listSeries())
            series.append(toSeriesInfo(one));
        emit seriesListed(generation, series);
    });
}

void RpcWorker::query(const ClientPtr &client, quint64 generation, const QueryJob &job,
                      client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        v1::QueryRequest request;
        request.set_series(job.series.toStdString());
        if (job.startUs)
            request.set_start_time_us(*job.startUs);
        if (job.endUs)
            request.set_end_time_us(*job.endUs);
        request.set_max_points(job.maxPoints);
        client->query(
            request,
            [&](const v1::PointBatch &batch) {
                emit pointsReceived(generation, toColumns(batch));
                return true;
            },
            &cancellation);
        emit queryFinished(generation);
    });
}

void RpcWorker::subscribe(const ClientPtr &client, quint64 generation, const QString &series,
                          std::optional<qint64> sinceUs, client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        client::follow(
            *client, series.toStdString(), sinceUs,
            [&](const v1::SubscribeResponse &message) {
                if (message.points().time_us_size() > 0)
                    emit pointsReceived(generation, toColumns(message.points()));
                if (message.has_removed())
                    emit pointsRemoved(generation, message.removed().start_time_us(), message.removed().end_time_us());
                if (message.series_deleted() || !message.renamed_to().empty()) {
                    emit seriesGone(generation, QString::fromStdString(message.renamed_to()));
                    return false;
                }
                return true;
            },
            [&](const client::ClientError &e) {
                emit subscribeInterrupted(generation, {e.code(), QString::fromStdString(e.what())});
            },
            cancellation);
        emit queryFinished(generation);
    });
}

void RpcWorker::importFile(const ClientPtr &client, quint64 generation, const QString &path, const QString &fileName,
                           const client::ImportSettings &settings, client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        const client::Upload upload = client::uploadFile(
            *client, path.toStdString(), fileName.toStdString(), settings,
            [&](const client::ImportProgress &progress) {
                emit importProgress(generation, progress.server.bytes_processed(), progress.server.rows_read());
            },
            &cancellation);
        // A cancel that came too late says nothing more than the report.
        const bool brokeOff = upload.interruption && upload.interruption->code() != grpc::StatusCode::CANCELLED;
        emit imported(generation, upload.report, brokeOff ? QString::fromStdString(upload.interruption->what()) : "");
    });
}

void RpcWorker::previewFile(const ClientPtr &client, quint64 generation, const QString &path, const QString &fileName,
                            client::ImportSettings settings, client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        std::ifstream in(path.toStdString(), std::ios::binary);
        std::string head(std::size_t(kPreviewBytes), '\0');
        if (in)
            in.read(head.data(), std::streamsize(head.size()));
        if (!in && !in.eof())
            throw client::ClientError(grpc::StatusCode::NOT_FOUND, "cannot read " + path.toStdString());
        head.resize(std::size_t(in.gcount()));
        // A line cut in two would be reported as a bad line of the file.
        if (in && in.peek() != std::char_traits<char>::eof()) {
            if (const std::size_t end = head.find_last_of("\r\n"); end != std::string::npos)
                head.resize(end + 1);
        }
        std::istringstream text(head);
        settings.dryRun = true;
        emit previewed(generation,
                       client->importStream(text, fileName.toStdString(), head.size(), settings, {}, &cancellation));
    });
}

void RpcWorker::exportSeries(const ClientPtr &client, quint64 generation, const client::ExportSource &source,
                             const QString &path, client::ExportFormat format, timeutil::Zone zone,
                             client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        const std::uint64_t points = client::exportToFile(
            *client, source, path.toStdString(), format, std::move(zone),
            [&](std::uint64_t written) { emit exportProgress(generation, written); }, &cancellation);
        emit exported(generation, points);
    });
}

void RpcWorker::deleteSeries(const ClientPtr &client, quint64 generation, const v1::DeleteSeriesRequest &request)
{
    guarded(generation, client, [&] {
        emit seriesDeleted(generation, QString::fromStdString(request.series()), client->deleteSeries(request));
    });
}

void RpcWorker::updateSeries(const ClientPtr &client, quint64 generation, const v1::UpdateSeriesRequest &request)
{
    guarded(generation, client, [&] {
        emit seriesUpdated(generation, QString::fromStdString(request.series()),
                           toSeriesInfo(client->updateSeries(request)));
    });
}

void RpcWorker::listGaps(const ClientPtr &client, quint64 generation, const v1::ListGapsRequest &request)
{
    guarded(generation, client, [&] { emit gapsListed(generation, client->listGaps(request)); });
}

void RpcWorker::aggregate(const ClientPtr &client, quint64 generation, const v1::AggregateRequest &request,
                          client::Cancellation &cancellation)
{
    guarded(generation, client, [&] {
        const std::vector<v1::AggregateResponse> answers = client->aggregate(request, &cancellation);
        emit aggregated(generation, QList<v1::AggregateResponse>(answers.begin(), answers.end()));
    });
}

} // namespace meterscope::app
