#include "service/meter_service.h"

#include "logging/log.h"
#include "meterscope/v1/import_summary.h"
#include "service/service_metrics.h"
#include "service/status.h"
#include "service/validation.h"
#include "service/wire.h"
#include "storage/aggregate.h"
#include "storage/errors.h"
#include "storage/gaps.h"
#include "storage/import_writer.h"
#include "storage/series_admin.h"
#include "storage/series_store.h"

#include <grpc/grpc.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <tuple>

namespace meterscope::service {

namespace {

// 16 bytes a point: about 512 KiB a message, far below gRPC's 4 MiB limit;
// one database page each.
constexpr std::size_t kBatchPoints = storage::kPageRows;
constexpr auto kProgressInterval = std::chrono::milliseconds(250);
// How often a waiting subscriber looks whether its client is still there.
constexpr auto kSubscriberTick = std::chrono::milliseconds(250);
// A ListSeries answer stays below the 4 MiB clients accept by default.
constexpr std::size_t kMaxListBytes = 4 * 1024 * 1024 - 64 * 1024;
constexpr std::uint32_t kMaxPageSize = 1000;

grpc::Status invalid(const std::string &message)
{
    return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

// Streams one stored range to a subscriber; false when the client is gone.
bool sendRange(storage::Database &db, Call &call, storage::PointStream::Request request,
               std::optional<timeutil::Micros> &lastSent)
{
    storage::PointStream points(db, std::move(request));
    v1::SubscribeResponse message;
    for (bool more = true; more;) {
        message.Clear();
        v1::PointBatch *batch = message.mutable_points();
        more = points.next(*batch->mutable_time_us(), *batch->mutable_value(), kBatchPoints);
        if (batch->time_us_size() == 0)
            continue;
        lastSent = std::max(lastSent.value_or(batch->time_us(0)), batch->time_us(batch->time_us_size() - 1));
        if (call.context().IsCancelled() || !call.write(message))
            return false;
        serviceMetrics().subscribePoints.add(std::uint64_t(batch->time_us_size()));
    }
    return true;
}

} // namespace

MeterService::MeterService(storage::Database &db, storage::ChangeFeed &feed, ImportLimits settings, CallGuard guard)
    : m_db(db)
    , m_feed(feed)
    , m_settings(std::move(settings))
    , m_guard(guard)
{
    // In the order of the service's methods in the proto.
    MarkMethodStreamed(0, rawHandler(this, "ListSeries", &MeterService::listSeries));
    MarkMethodStreamed(1, rawHandler(this, "Import", &MeterService::importFile));
    MarkMethodStreamed(2, rawHandler(this, "Query", &MeterService::query));
    MarkMethodStreamed(3, rawHandler(this, "Subscribe", &MeterService::subscribe));
    MarkMethodStreamed(4, rawHandler(this, "GetImport", &MeterService::getImport));
    MarkMethodStreamed(5, rawHandler(this, "DeleteSeries", &MeterService::deleteSeries));
    MarkMethodStreamed(6, rawHandler(this, "UpdateSeries", &MeterService::updateSeries));
    MarkMethodStreamed(7, rawHandler(this, "Aggregate", &MeterService::aggregate));
    MarkMethodStreamed(8, rawHandler(this, "ListGaps", &MeterService::listGaps));
}

grpc::Status MeterService::listSeries(Call &call)
{
    const metrics::Histogram::Timer timer(serviceMetrics().listSeriesSeconds);
    v1::ListSeriesRequest request;
    call.request(request);
    const std::size_t wanted
        = request.page_size() ? std::min(request.page_size(), kMaxPageSize) : std::numeric_limits<std::size_t>::max();
    v1::ListSeriesResponse response;
    std::string after = request.page_token();
    std::size_t bytes = 0;
    for (bool more = true; more;) {
        const std::vector<storage::SeriesSummary> page = storage::listSeries(m_db, after, kMaxPageSize);
        more = page.size() == kMaxPageSize;
        for (const storage::SeriesSummary &summary : page) {
            v1::Series series;
            toProto(summary, &series);
            const std::size_t size = series.ByteSizeLong() + 8;
            if (std::size_t(response.series_size()) >= wanted || bytes + size > kMaxListBytes) {
                response.set_next_page_token(after);
                more = false;
                break;
            }
            bytes += size;
            after = summary.name;
            *response.add_series() = std::move(series);
        }
    }
    call.write(response);
    return grpc::Status::OK;
}

grpc::Status MeterService::importFile(Call &call)
{
    grpc::ServerContext &context = call.context();
    ImportCount count;
    v1::ImportRequest request;
    if (!call.read(request, "the client sent no options"))
        return context.IsCancelled() ? grpc::Status(grpc::StatusCode::CANCELLED, "the import was cancelled")
                                     : invalid("the import ended before it began: its first message must carry "
                                               "the options");
    if (!request.has_options())
        return invalid("the first message of an import must carry its options");
    const v1::ImportOptions options = request.options();
    checkImportOptions(options);
    const std::string fileName = quoted(options.file_name());
    // Each import keeps a spill file and, at its end, a connection and a
    // transaction.
    struct Slot {
        std::atomic<int> &count;
        ~Slot() { --count; }
    } slot{m_imports};
    if (++m_imports > m_settings.maxConcurrentImports)
        return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                            "the server is busy with " + std::to_string(m_settings.maxConcurrentImports)
                                + " imports already (--max-concurrent-imports); try again shortly");
    ImportJob job(m_db, options, m_settings);
    v1::ImportResponse response;
    auto lastProgress = std::chrono::steady_clock::now();
    while (call.read(request, "the client sent no data")) {
        if (request.payload_case() != v1::ImportRequest::kChunk)
            return invalid("only file bytes may follow an import's options");
        job.feed(request.chunk());
        if (std::chrono::steady_clock::now() - lastProgress >= kProgressInterval) {
            lastProgress = std::chrono::steady_clock::now();
            *response.mutable_progress() = job.progress();
            if (!call.write(response))
                break;
        }
    }
    // Read() ends alike for a clean half-close and for a call that broke (a
    // message over the limit, a cancel, a deadline, the idle timeout). Only
    // a call that can still be answered is merged, and only one that is
    // still alive right before the commit is committed.
    *response.mutable_progress() = job.progress();
    if (context.IsCancelled() || !call.write(response)) {
        MS_LOG(Info) << "import of " << fileName << " ended before its upload was complete; nothing stored";
        count.set(ServiceMetrics::ImportOutcome::Cancelled);
        return grpc::Status(grpc::StatusCode::CANCELLED, "import cancelled; nothing was stored");
    }
    *response.mutable_report() = job.finish([&] { return !context.IsCancelled(); });
    const v1::ImportReport &report = response.report();
    if (report.replayed()) {
        count.set(ServiceMetrics::ImportOutcome::Replayed);
        MS_LOG(Info) << "import " << quoted(options.import_id()) << " of " << fileName
                     << " was done before; replayed its report";
    } else {
        count.set(report.dry_run() ? ServiceMetrics::ImportOutcome::DryRun : ServiceMetrics::ImportOutcome::Stored);
        serviceMetrics().countImport(report, job.progress().bytes_processed());
        MS_LOG(Info) << v1::importSummary(report);
    }
    call.write(response);
    return grpc::Status::OK;
}

grpc::Status MeterService::query(Call &call)
{
    const metrics::Gauge::Scope active(serviceMetrics().queryStreams);
    const metrics::Histogram::Timer timer(serviceMetrics().querySeconds);
    v1::QueryRequest request;
    call.request(request);
    checkSeriesName(request.series(), "field 'series'");
    storage::PointStream::Request query;
    query.series = request.series();
    std::tie(query.start, query.end) = timeRange(request);
    query.maxPoints = request.max_points();
    storage::PointStream points(m_db, std::move(query));
    v1::PointBatch batch;
    for (bool more = true; more;) {
        batch.Clear();
        more = points.next(*batch.mutable_time_us(), *batch.mutable_value(), kBatchPoints);
        if (batch.time_us_size() == 0)
            continue;
        batch.set_bucket_us(points.bucketWidth());
        if (call.context().IsCancelled() || !call.write(batch))
            return grpc::Status(grpc::StatusCode::CANCELLED, "query cancelled");
        serviceMetrics().queryPoints.add(std::uint64_t(batch.time_us_size()));
    }
    return grpc::Status::OK;
}

grpc::Status MeterService::subscribe(Call &call)
{
    const metrics::Gauge::Scope active(serviceMetrics().subscribeStreams);
    const metrics::Histogram::Timer timer(serviceMetrics().subscribeSeconds);
    v1::SubscribeRequest request;
    call.request(request);
    const std::string &series = request.series();
    checkSeriesName(series, "field 'series'");
    const auto [seriesId, summary] = storage::findSeries(m_db, series);
    const std::string tooSlow = "this subscriber reads too slowly (more than " + std::to_string(m_feed.maxPending())
                                + " changes behind, --max-subscriber-lag); subscribe again from the last time received";
    // Registered before the backfill reads, so no commit falls between. A
    // subscriber that falls behind is ended at once, even while it is
    // blocked on a client that does not read.
    grpc_call *rawCall = call.context().c_call();
    const std::shared_ptr<storage::Subscription> subscription = m_feed.subscribe(seriesId, [rawCall, &tooSlow] {
        grpc_call_cancel_with_status(rawCall, GRPC_STATUS_RESOURCE_EXHAUSTED, tooSlow.c_str(), nullptr);
    });
    struct Unsubscribe {
        storage::ChangeFeed &feed;
        const std::shared_ptr<storage::Subscription> &subscription;
        ~Unsubscribe() { feed.unsubscribe(subscription); }
    } unsubscribe{m_feed, subscription};

    std::optional<timeutil::Micros> lastSent;
    // What the backfill carried, page by page: no snapshot is held while
    // the client is slow.
    storage::ReadSnapshots seen;
    if (request.has_since_time_us()) {
        if (!sendRange(m_db, call, {series, request.since_time_us(), std::nullopt, 0, &seen}, lastSent))
            return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
    } else {
        seen.add(std::nullopt, storage::currentSnapshot(m_db));
    }
    // Where to pick up after lost notifications: after what was sent,
    // else after what the series held when we started.
    auto resumeFrom = [&]() -> std::optional<timeutil::Micros> {
        if (lastSent)
            return *lastSent + 1;
        if (request.has_since_time_us())
            return request.since_time_us();
        return summary.last ? std::optional<timeutil::Micros>(*summary.last + 1) : std::nullopt;
    };
    v1::SubscribeResponse caughtUp;
    caughtUp.set_caught_up(true);
    if (!call.write(caughtUp))
        return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");

    // After the backfill: a series renamed or deleted meanwhile is not
    // found by its name; the news that says which is on its way.
    const auto follow = [&](storage::PointStream::Request range) {
        try {
            return sendRange(m_db, call, std::move(range), lastSent);
        } catch (const storage::NotFound &) {
            return true;
        }
    };
    std::vector<storage::Change> changes;
    for (;;) {
        if (call.context().IsCancelled())
            return grpc::Status(grpc::StatusCode::CANCELLED, "subscription cancelled");
        switch (subscription->wait(kSubscriberTick, changes)) {
        case storage::Subscription::Wait::Timeout:
            continue;
        case storage::Subscription::Wait::Closed:
            return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                                "the server is shutting down; subscribe again (from the last time received)");
        case storage::Subscription::Wait::Overflowed:
            return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, tooSlow);
        case storage::Subscription::Wait::Resync:
            // News may be lost: a series gone by now ends the stream
            // (NOT_FOUND).
            if (!sendRange(m_db, call, {series, resumeFrom(), std::nullopt, 0}, lastSent))
                return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
            continue;
        case storage::Subscription::Wait::Changes:
            for (const storage::Change &change : changes) {
                // A deleted or renamed series ends the stream, saying so.
                if (change.kind == storage::ChangeKind::Deleted || change.kind == storage::ChangeKind::Renamed) {
                    v1::SubscribeResponse last;
                    if (change.kind == storage::ChangeKind::Deleted)
                        last.set_series_deleted(true);
                    else
                        last.set_renamed_to(change.newName);
                    call.write(last);
                    return grpc::Status::OK;
                }
                // Deleted points: the client may hold them from anywhere (a
                // query before it subscribed, the backfill), so it is always
                // told; what the range holds now follows (points imported
                // there since).
                if (change.kind == storage::ChangeKind::Removed) {
                    v1::SubscribeResponse removal;
                    removal.mutable_removed()->set_start_time_us(change.first);
                    removal.mutable_removed()->set_end_time_us(change.last + 1);
                    if (!call.write(removal) || !follow({series, change.first, change.last + 1, 0}))
                        return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
                    continue;
                }
                // The backfill already carried what its snapshots saw.
                const auto unseen = seen.unseen(change);
                if (!unseen)
                    continue;
                if (!follow({series, unseen->first, unseen->second + 1, 0}))
                    return grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away");
            }
            continue;
        }
    }
}

grpc::Status MeterService::getImport(Call &call)
{
    v1::GetImportRequest request;
    call.request(request);
    const std::string &id = request.import_id();
    if (id.empty())
        return invalid("field 'import_id' is empty");
    const std::optional<storage::StoredImport> stored = storage::findImport(m_db, id);
    v1::ImportReport report;
    if (!stored || !report.ParseFromString(stored->report))
        return {grpc::StatusCode::NOT_FOUND, "nothing was stored under the import id " + quoted(id)};
    report.set_replayed(true);
    call.write(report);
    return grpc::Status::OK;
}

grpc::Status MeterService::deleteSeries(Call &call)
{
    v1::DeleteSeriesRequest request;
    call.request(request);
    checkSeriesName(request.series(), "field 'series'");
    const auto [start, end] = timeRange(request);
    const storage::DeleteResult result = storage::deleteSeries(m_db, request.series(), start, end);
    MS_LOG(Info) << "deleted " << result.points << " points of " << quoted(request.series())
                 << (result.seriesDeleted ? " and the series" : "");
    v1::DeleteSeriesResponse response;
    response.set_points_deleted(std::int64_t(result.points));
    response.set_series_deleted(result.seriesDeleted);
    call.write(response);
    return grpc::Status::OK;
}

grpc::Status MeterService::updateSeries(Call &call)
{
    v1::UpdateSeriesRequest request;
    call.request(request);
    checkSeriesName(request.series(), "field 'series'");
    storage::SeriesUpdate update;
    if (request.has_rename()) {
        checkSeriesName(request.rename(), "field 'rename'");
        update.rename = request.rename();
    }
    if (request.has_unit())
        update.unit = request.unit();
    if (request.has_kind()) {
        if (request.kind() == v1::SERIES_KIND_UNSPECIFIED || !v1::SeriesKind_IsValid(request.kind()))
            return invalid("field 'kind': " + std::to_string(request.kind())
                           + " is not a kind (1 interval, 2 cumulative, 3 instant)");
        update.kind = storage::SeriesKind(request.kind() - 1);
    }
    if (request.has_gap_threshold_us()) {
        if (request.gap_threshold_us() < 0)
            return invalid("field 'gap_threshold_us' is negative");
        update.gapThreshold = request.gap_threshold_us();
    }
    const storage::SeriesSummary now = storage::updateSeries(m_db, request.series(), update);
    if (update.rename)
        MS_LOG(Info) << "renamed the series " << quoted(request.series()) << " to " << quoted(now.name);
    v1::Series response;
    toProto(now, &response);
    call.write(response);
    return grpc::Status::OK;
}

grpc::Status MeterService::aggregate(Call &call)
{
    v1::AggregateRequest request;
    call.request(request);
    storage::TotalsRequest totals;
    if (request.series_size() == 0)
        return invalid("field 'series' names no series");
    for (const std::string &name : request.series()) {
        checkSeriesName(name, "field 'series'");
        if (std::find(totals.series.begin(), totals.series.end(), name) != totals.series.end())
            return invalid("field 'series' names " + quoted(name) + " twice");
        totals.series.push_back(name);
    }
    if (request.by() == v1::PERIOD_UNSPECIFIED || !v1::Period_IsValid(request.by()))
        return invalid("field 'by': " + std::to_string(request.by())
                       + " is not a period (1 hour, 2 day, 3 week, 4 month, 5 year)");
    totals.by = timeutil::Period(request.by() - 1);
    std::tie(totals.start, totals.end) = timeRange(request);
    try {
        totals.zone = timeutil::Zone::byName(request.timezone());
    } catch (const std::invalid_argument &e) {
        return invalid(std::string("field 'timezone': ") + e.what());
    }
    if (request.has_price()) {
        if (!std::isfinite(request.price()))
            return invalid("field 'price' is not a finite number");
        totals.price = request.price();
    }
    for (const storage::SeriesTotals &series : storage::aggregate(m_db, totals)) {
        // About 1 MiB a message.
        constexpr std::size_t kBucketsPerMessage = 16384;
        std::size_t sent = 0;
        do {
            v1::AggregateResponse response;
            toProto(series.series, response.mutable_series());
            response.set_cadence_us(series.cadence);
            for (; sent < series.buckets.size() && response.buckets_size() < int(kBucketsPerMessage); ++sent) {
                const storage::BucketTotal &b = series.buckets[sent];
                v1::TotalBucket *out = response.add_buckets();
                out->set_start_time_us(b.start);
                out->set_end_time_us(b.end);
                if (b.total) {
                    out->set_total(*b.total);
                    out->set_min(*b.min);
                    out->set_max(*b.max);
                    out->set_mean(*b.mean);
                }
                if (b.cost)
                    out->set_cost(*b.cost);
                out->set_count(b.count);
                out->set_expected(b.expected);
                out->set_resets(b.resets);
            }
            if (call.context().IsCancelled() || !call.write(response))
                return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
        } while (sent < series.buckets.size());
    }
    return grpc::Status::OK;
}

grpc::Status MeterService::listGaps(Call &call)
{
    v1::ListGapsRequest request;
    call.request(request);
    checkSeriesName(request.series(), "field 'series'");
    const auto [start, end] = timeRange(request);
    const storage::GapReport report = storage::findGaps(m_db, request.series(), start, end);
    v1::ListGapsResponse response;
    toProto(report.series, response.mutable_series());
    response.set_cadence_us(report.cadence);
    response.set_threshold_us(report.threshold);
    response.set_readings(report.readings);
    response.set_expected(report.expected);
    for (const storage::Gap &gap : report.gaps) {
        v1::Gap *out = response.add_gaps();
        out->set_last_before_us(gap.lastBefore);
        out->set_first_after_us(gap.firstAfter);
        out->set_missing(gap.missing);
    }
    response.set_truncated(report.truncated);
    call.write(response);
    return grpc::Status::OK;
}

} // namespace meterscope::service
