#include "service/meter_service.h"

#include "logging/log.h"
#include "meterscope/v1/import_summary.h"
#include "service/status.h"
#include "service/wire.h"
#include "storage/series_store.h"

#include <chrono>

namespace meterscope::service {

namespace {

// 16 bytes a point: about 512 KiB a message, far below gRPC's 4 MiB limit.
constexpr std::size_t kBatchPoints = 32768;
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
// How often a waiting subscriber looks whether its client is still there.
constexpr auto kSubscriberTick = std::chrono::milliseconds(250);

// Streams one stored range to a subscriber; false when the client is gone.
bool sendRange(storage::Database &db, grpc::ServerContext *context, grpc::ServerWriter<v1::SubscribeResponse> *writer,
               storage::PointStream::Request request, std::optional<timeutil::Micros> &lastSent)
{
    storage::PointStream points(db, std::move(request));
    v1::SubscribeResponse message;
    for (bool more = true; more;) {
        message.Clear();
        v1::PointBatch *batch = message.mutable_points();
        more = points.next(*batch->mutable_time_us(), *batch->mutable_value(), kBatchPoints);
        if (batch->time_us_size() == 0)
            continue;
        lastSent = batch->time_us(batch->time_us_size() - 1);
        if (context->IsCancelled() || !writer->Write(message))
            return false;
    }
    return true;
}

} // namespace

MeterService::MeterService(storage::Database &db, storage::ChangeFeed &feed, ImportSettings settings,
                           const TokenStore *handlerTokens)
    : m_db(db)
    , m_feed(feed)
    , m_settings(std::move(settings))
    , m_tokens(handlerTokens)
{
}

grpc::Status MeterService::ListSeries(grpc::ServerContext *context, const v1::ListSeriesRequest *,
                                      v1::ListSeriesResponse *response)
{
    return guarded("ListSeries", [&] {
        if (grpc::Status status = admit(m_tokens, *context); !status.ok())
            return status;
        for (const storage::SeriesSummary &summary : storage::listSeries(m_db))
            toProto(summary, response->add_series());
        return grpc::Status::OK;
    });
}

grpc::Status MeterService::Import(grpc::ServerContext *context,
                                  grpc::ServerReaderWriter<v1::ImportResponse, v1::ImportRequest> *stream)
{
    return guarded("Import", [&] {
        if (grpc::Status status = admit(m_tokens, *context); !status.ok())
            return status;
        v1::ImportRequest request;
        if (!stream->Read(&request))
            return grpc::Status(grpc::StatusCode::CANCELLED, "the import ended before it began");
        if (!request.has_options())
            return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                "the first message of an import must carry its options");
        const std::string fileName = request.options().file_name();
        // Each import holds a database connection and a transaction for as
        // long as its upload lasts.
        struct Slot {
            std::atomic<int> &count;
            ~Slot() { --count; }
        } slot{m_imports};
        if (++m_imports > m_settings.maxConcurrentImports)
            return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                "the server is busy with " + std::to_string(m_settings.maxConcurrentImports)
                                    + " imports already (--max-concurrent-imports); try again shortly");
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
        MS_LOG(Info) << v1::importSummary(report);
        stream->Write(response);
        return grpc::Status::OK;
    });
}

grpc::Status MeterService::Query(grpc::ServerContext *context, const v1::QueryRequest *request,
                                 grpc::ServerWriter<v1::PointBatch> *writer)
{
    return guarded("Query", [&] {
        if (grpc::Status status = admit(m_tokens, *context); !status.ok())
            return status;
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

grpc::Status MeterService::Subscribe(grpc::ServerContext *context, const v1::SubscribeRequest *request,
                                     grpc::ServerWriter<v1::SubscribeResponse> *writer)
{
    return guarded("Subscribe", [&] {
        if (grpc::Status status = admit(m_tokens, *context); !status.ok())
            return status;
        const std::string &series = request->series();
        const auto [seriesId, summary] = storage::findSeries(m_db, series);
        // Registered before the backfill reads, so no commit falls between.
        const std::shared_ptr<storage::Subscription> subscription = m_feed.subscribe(seriesId);
        struct Unsubscribe {
            storage::ChangeFeed &feed;
            const std::shared_ptr<storage::Subscription> &subscription;
            ~Unsubscribe() { feed.unsubscribe(subscription); }
        } unsubscribe{m_feed, subscription};

        std::optional<timeutil::Micros> lastSent;
        storage::Snapshot snapshot;
        if (request->has_since_time_us()) {
            if (!sendRange(m_db, context, writer, {series, request->since_time_us(), std::nullopt, 0, &snapshot},
                           lastSent))
                return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
        } else {
            snapshot = storage::currentSnapshot(m_db);
        }
        // Where to pick up after lost notifications: after what was sent,
        // else after what the series held when we started.
        auto resumeFrom = [&]() -> std::optional<timeutil::Micros> {
            if (lastSent)
                return *lastSent + 1;
            if (request->has_since_time_us())
                return request->since_time_us();
            return summary.last ? std::optional<timeutil::Micros>(*summary.last + 1) : std::nullopt;
        };
        v1::SubscribeResponse caughtUp;
        caughtUp.set_caught_up(true);
        if (!writer->Write(caughtUp))
            return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");

        std::vector<storage::Change> changes;
        for (;;) {
            if (context->IsCancelled())
                return grpc::Status(grpc::StatusCode::CANCELLED, "subscription cancelled");
            switch (subscription->wait(kSubscriberTick, changes)) {
            case storage::Subscription::Wait::Timeout:
                continue;
            case storage::Subscription::Wait::Closed:
                return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                    "the server is shutting down; subscribe again (from the last time received)");
            case storage::Subscription::Wait::Overflowed:
                return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                    "this subscriber reads too slowly (more than "
                                        + std::to_string(subscription->maxPending())
                                        + " changes behind); subscribe again from the last time received");
            case storage::Subscription::Wait::Resync:
                if (!sendRange(m_db, context, writer, {series, resumeFrom(), std::nullopt, 0}, lastSent))
                    return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
                continue;
            case storage::Subscription::Wait::Changes:
                for (const storage::Change &change : changes) {
                    // The backfill already carried what its snapshot saw.
                    if (snapshot.sees(change.xid))
                        continue;
                    if (!sendRange(m_db, context, writer, {series, change.first, change.last + 1, 0}, lastSent))
                        return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
                }
                continue;
            }
        }
    });
}

} // namespace meterscope::service
