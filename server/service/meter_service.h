#pragma once

#include "meterscope/v1/meterscope.grpc.pb.h"
#include "service/call.h"
#include "service/import_job.h"
#include "storage/change_feed.h"
#include "storage/database.h"

#include <atomic>

namespace meterscope::service {

/// meterscope.v1.MeterService: translates requests into storage and ingest
/// calls and back. Synchronous handlers (libpqxx blocks) on the raw bytes
/// of each call (see Call); streams stop when the client cancels or a
/// write fails, and hold no database connection while they wait on the
/// client.
class MeterService final : public v1::MeterService::Service {
public:
    MeterService(storage::Database &db, storage::ChangeFeed &feed, ImportLimits settings, CallGuard guard);

    const CallGuard &guard() const { return m_guard; }

private:
    grpc::Status listSeries(Call &call);
    grpc::Status importFile(Call &call);
    grpc::Status query(Call &call);
    grpc::Status subscribe(Call &call);
    grpc::Status getImport(Call &call);
    grpc::Status deleteSeries(Call &call);
    grpc::Status updateSeries(Call &call);
    grpc::Status aggregate(Call &call);
    grpc::Status listGaps(Call &call);

    storage::Database &m_db;
    storage::ChangeFeed &m_feed;
    ImportLimits m_settings;
    CallGuard m_guard;
    std::atomic<int> m_imports{0};
};

} // namespace meterscope::service
