#pragma once

#include "meterusage/meterusage.grpc.pb.h"
#include "service/auth.h"
#include "storage/database.h"

namespace meterscope::service {

/// meterusage.MeterUsage, the seed system's API: one message per reading of
/// the series named "meterusage" (else the oldest series), in time order.
class LegacyService final : public meterusage::MeterUsage::Service {
public:
    explicit LegacyService(storage::Database &db, const TokenStore *handlerTokens = nullptr);

    grpc::Status GetAllRecords(grpc::ServerContext *context, const meterusage::AllRecordsRequest *request,
                               grpc::ServerWriter<meterusage::AllRecordsResponse> *writer) override;

private:
    storage::Database &m_db;
    const TokenStore *m_tokens;
};

} // namespace meterscope::service
