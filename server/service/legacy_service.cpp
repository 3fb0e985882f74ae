#include "service/legacy_service.h"

#include "service/service_metrics.h"
#include "service/status.h"
#include "storage/pg_connection.h"
#include "storage/series_store.h"

#include <pqxx/pqxx>

namespace meterscope::service {

std::string legacySeries(storage::Database &db)
{
    storage::Database::Lease lease = db.acquire();
    pqxx::nontransaction txn(*lease);
    const pqxx::result rows = txn.exec("SELECT name FROM series ORDER BY (name = 'meterusage') DESC, id LIMIT 1");
    return rows.empty() ? std::string() : rows[0][0].as<std::string>();
}

LegacyService::LegacyService(storage::Database &db, CallGuard guard)
    : m_db(db)
    , m_guard(guard)
{
    MarkMethodStreamed(0, rawHandler(this, "GetAllRecords", &LegacyService::allRecords));
}

grpc::Status LegacyService::allRecords(Call &call)
{
    const metrics::Gauge::Scope active(serviceMetrics().legacyStreams);
    const metrics::Histogram::Timer timer(serviceMetrics().legacySeconds);
    meterusage::AllRecordsRequest request;
    call.request(request);
    const std::string series = legacySeries(m_db);
    if (series.empty())
        return grpc::Status::OK;
    storage::PointStream points(m_db, {series, std::nullopt, std::nullopt, 0});
    storage::Column<timeutil::Micros> times;
    storage::Column<double> values;
    meterusage::AllRecordsResponse record;
    for (bool more = true; more;) {
        times.items.clear();
        values.items.clear();
        more = points.next(times, values, storage::kPageRows);
        if (call.context().IsCancelled())
            return grpc::Status(grpc::StatusCode::CANCELLED, "cancelled");
        for (std::size_t i = 0; i < times.items.size(); ++i) {
            const timeutil::Micros t = times.items[i];
            auto *time = record.mutable_time();
            time->set_seconds(t >= 0 ? t / timeutil::kMicrosPerSecond
                                     : -((-t + timeutil::kMicrosPerSecond - 1) / timeutil::kMicrosPerSecond));
            time->set_nanos(int((t - time->seconds() * timeutil::kMicrosPerSecond) * 1000));
            record.set_meterusage(float(values.items[i]));
            // One message per reading, as the API demands.
            if (!call.write(record))
                return grpc::Status(grpc::StatusCode::CANCELLED, "client went away");
        }
        serviceMetrics().legacyPoints.add(times.items.size());
    }
    return grpc::Status::OK;
}

} // namespace meterscope::service
