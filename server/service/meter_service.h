#pragma once

#include "meterscope/v1/meterscope.grpc.pb.h"
#include "service/auth.h"
#include "service/import_job.h"
#include "storage/change_feed.h"
#include "storage/database.h"

#include <atomic>

namespace meterscope::service {

/// meterscope.v1.MeterService: translates requests into storage and ingest
/// calls and back. Synchronous handlers (libpqxx blocks); streams stop when
/// the client cancels or a write fails.
class MeterService final : public v1::MeterService::Service {
public:
    /// `handlerTokens`: tokens each handler checks itself; null when the
    /// transport checks them (or none are required).
    MeterService(storage::Database &db, storage::ChangeFeed &feed, ImportSettings settings,
                 const TokenStore *handlerTokens = nullptr);

    grpc::Status ListSeries(grpc::ServerContext *context, const v1::ListSeriesRequest *request,
                            v1::ListSeriesResponse *response) override;
    grpc::Status Import(grpc::ServerContext *context,
                        grpc::ServerReaderWriter<v1::ImportResponse, v1::ImportRequest> *stream) override;
    grpc::Status Query(grpc::ServerContext *context, const v1::QueryRequest *request,
                       grpc::ServerWriter<v1::PointBatch> *writer) override;
    grpc::Status Subscribe(grpc::ServerContext *context, const v1::SubscribeRequest *request,
                           grpc::ServerWriter<v1::SubscribeResponse> *writer) override;

private:
    storage::Database &m_db;
    storage::ChangeFeed &m_feed;
    ImportSettings m_settings;
    const TokenStore *m_tokens;
    std::atomic<int> m_imports{0};
};

} // namespace meterscope::service
