#pragma once

#include "meterusage/meterusage.grpc.pb.h"
#include "service/call.h"
#include "storage/database.h"

namespace meterscope::service {

/// The series the seed system's API serves: the one it was built for,
/// "meterusage", or, in a database without it, the first one imported;
/// empty when there is none. The legacy gRPC API and the HTTP page alike.
std::string legacySeries(storage::Database &db);

/// meterusage.MeterUsage, the seed system's API: one message per reading of
/// the series named "meterusage" (else the oldest series), in time order.
class LegacyService final : public meterusage::MeterUsage::Service {
public:
    LegacyService(storage::Database &db, CallGuard guard);

    const CallGuard &guard() const { return m_guard; }

private:
    grpc::Status allRecords(Call &call);

    storage::Database &m_db;
    CallGuard m_guard;
};

} // namespace meterscope::service
