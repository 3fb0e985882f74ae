#pragma once

#include "meterusage/meterusage.grpc.pb.h"
#include "service/call.h"
#include "storage/database.h"

namespace meterscope::service {

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
