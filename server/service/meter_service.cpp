#include "service/meter_service.h"

#include "logging/log.h"
#include "service/status.h"
#include "storage/series_store.h"

#include <chrono>

namespace meterscope::service {

namespace {

// 16 bytes a point: about 512 KiB a message, far below gRPC's 4 MiB limit.
constexpr std::size_t kBatchPoints = 32768;
constexpr auto kProgressInterval = std::chrono::milliseconds(250);

} // namespace

MeterService::MeterService(storage::Database &db, ImportSettings settings)
    : m_db(db)
    , m_settings(std::move(settings))
{
}

grpc::Status MeterService::ListSeries(grpc::ServerContext *, const v1::ListSeriesRequest *,
                                      v1::ListSeriesResponse *response)
{
    return guarded("ListSeries", [&] {
        for (const storage::SeriesSummary &summary : storage::listSeries(m_db))
            toProto(summary, response->add_series());
        return grpc::Status::OK;
    });
}

grpc::Status MeterService::Import(grpc::ServerContext *context,
                                  grpc::ServerReaderWriter<v1::ImportResponse, v1::ImportRequest> *stream)
{
    return guarded("Import", [&] {
        v1::ImportRequest request;
        if (!stream->Read(&request))
            return grpc::Status(grpc::StatusCode::CANCELLED, "the import ended before it began");
        if (!request.has_options())
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                "the first message of an import must carry its options");
        const std::string fileName = request.options().file_name();
        ImportJob job(m_db, request.options(), m_settings);
        v1::ImportResponse response;
        if (std::optional<v1::ImportReport> previous = job.replay()) {
            MS_LOG(Info) << "import " << request.options().import_id() << " of " << fileName
                         << " was done before; replaying its report";
            *response.mutable_report() = std::move(*previous);
            stream->Write(response);
            return grpc::Status::OK;
        }
        auto lastProgress = std::chrono::steady_clock::now();
        while (stream->Read(&request)) {
            if (request.payload_case() != v1::ImportRequest::kChunk)
                return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "only file bytes may follow an import's options");
            job.feed(request.chunk());
            if (std::chrono::steady_clock::now() - lastProgress >= kProgressInterval) {
                lastProgress = std::chrono::steady_clock::now();
                *response.mutable_progress() = job.progress();
                if (!stream->Write(response))
                    break;
            }
        }
        if (context->IsCancelled()) {
            MS_LOG(Info) << "import of " << fileName << " cancelled by the client; nothing stored";
            return grpc::Status(grpc::StatusCode::CANCELLED, "import cancelled; nothing was stored");
        }
        *response.mutable_report() = job.finish();
        const v1::ImportReport &report = response.report();
        MS_LOG(Info) << (report.dry_run() ? "dry run of " : "imported ") << fileName << ": " << report.rows_imported()
                     << " rows (" << report.rows_new() << " new, " << report.rows_updated() << " updated, "
                     << report.rows_unchanged() << " unchanged), " << report.rows_missing() << " missing, "
                     << report.rows_rejected() << " rejected, " << report.duration_ms() << " ms";
        stream->Write(response);
        return grpc::Status::OK;
    });
}

grpc::Status MeterService::Query(grpc::ServerContext *context, const v1::QueryRequest *request,
                                 grpc::ServerWriter<v1::PointBatch> *writer)
{
    return guarded("Query", [&] {
        storage::PointStream::Request query;
        query.series = request->series();
        if (request->has_start_time_us())
            query.start = request->start_time_us();
        if (request->has_end_time_us())
            query.end = request->end_time_us();
        query.maxPoints = request->max_points();
        storage::PointStream points(m_db, std::move(query));
        v1::PointBatch batch;
        for (bool more = true; more;) {
            batch.Clear();
            more = points.next(*batch.mutable_time_us(), *batch.mutable_value(), kBatchPoints);
            if (batch.time_us_size() == 0)
                continue;
            batch.set_bucket_us(points.bucketWidth());
            if (context->IsCancelled() || !writer->Write(batch))
                return grpc::Status(grpc::StatusCode::CANCELLED, "query cancelled");
        }
        return grpc::Status::OK;
    });
}

} // namespace meterscope::service
