#pragma once

#include "meterscope/v1/meterscope.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <istream>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace meterscope::client {

/// Where and how to reach a server.
struct ConnectionOptions {
    /// HOST:PORT or unix:PATH.
    std::string address = "127.0.0.1:50051";
    /// Bearer token sent with every call; empty = none. One that is not a
    /// valid bearer token (tokens::checkToken()) fails every call with
    /// UNAUTHENTICATED saying why, and is never sent.
    std::string token;
    /// TLS: on when `tls` is set or any file is given.
    bool tls = false;
    std::string tlsCaFile;
    std::string tlsCertFile;
    std::string tlsKeyFile;
    /// Deadline of every unary call.
    std::chrono::milliseconds unaryDeadline{10000};

    bool operator==(const ConnectionOptions &) const = default;
};

/// A failed call: the gRPC status and a sentence a user can act on.
class ClientError : public std::runtime_error {
public:
    ClientError(grpc::StatusCode code, const std::string &message)
        : std::runtime_error(message)
        , m_code(code)
    {
    }
    grpc::StatusCode code() const { return m_code; }
    /// The server could not be reached or refused our credentials.
    bool unreachable() const
    {
        return m_code == grpc::StatusCode::UNAVAILABLE || m_code == grpc::StatusCode::UNAUTHENTICATED
               || m_code == grpc::StatusCode::DEADLINE_EXCEEDED;
    }
    /// An Import call that ended so (a cancel, a lost connection, a
    /// deadline) says nothing of whether the server committed the file:
    /// ask Client::importOutcome().
    bool importOutcomeUnknown() const
    {
        return m_code == grpc::StatusCode::CANCELLED || m_code == grpc::StatusCode::UNAVAILABLE
               || m_code == grpc::StatusCode::DEADLINE_EXCEEDED || m_code == grpc::StatusCode::UNKNOWN
               || m_code == grpc::StatusCode::INTERNAL;
    }

private:
    grpc::StatusCode m_code;
};

/// Lets another thread stop a running call (ClientContext::TryCancel).
/// Thread-safe; a cancel before the call starts cancels it as it starts.
class Cancellation {
public:
    void cancel();
    bool cancelled() const { return m_cancelled; }
    /// Waits up to `timeout` or until cancelled; true when cancelled.
    bool waitFor(std::chrono::milliseconds timeout);

private:
    friend class CancellationScope;
    std::mutex m_mutex;
    std::condition_variable m_cancelledChanged;
    grpc::ClientContext *m_context = nullptr;
    std::atomic<bool> m_cancelled{false};
};

/// Options of one import, as the Import RPC takes them.
struct ImportSettings {
    std::string series;
    std::string timezone;
    std::string timeFormat;
    std::string delimiter;
    v1::EpochUnit epochUnit = v1::EPOCH_UNIT_AUTO;
    /// Column roles as the wire carries them: time_column, value_column,
    /// series_column, skip_lines, missing and unit (unset = detect); the
    /// other fields of it are not used.
    v1::ImportOptions columnRoles;
    bool dryRun = false;
    /// With dryRun: the report's sample holds this many first records (at most 100).
    std::uint32_t sampleRecords = 0;
    /// Empty = a fresh random id per upload. Set one (newImportId()) to ask
    /// importOutcome() about an upload that ended without a report.
    std::string importId;
};

/// How far an upload has come.
struct ImportProgress {
    std::uint64_t bytesSent = 0;
    std::uint64_t totalBytes = 0; ///< 0 when unknown
    v1::ImportProgress server;
};

/// The client side of the Meterscope API, shared by the desktop app and
/// meterscope-cli. Blocking calls, safe to use from one thread at a time
/// per call; the channel itself is shared and thread-safe.
class Client {
public:
    explicit Client(ConnectionOptions options);

    const ConnectionOptions &options() const { return m_options; }

    /// Every series, however many: pages through listSeriesPage(). Throws ClientError.
    std::vector<v1::Series> listSeries();

    /// One page of series: up to `pageSize` of them (0 = as many as the
    /// server sends in one answer, at most 1,000) after `pageToken` (empty =
    /// from the first); `nextPageToken` is empty after the last page.
    struct SeriesPage {
        std::vector<v1::Series> series;
        std::string nextPageToken;
    };
    SeriesPage listSeriesPage(const std::string &pageToken = {}, std::uint32_t pageSize = 0);

    /// Uploads `in` (read in chunks, never whole) as `fileName`. `progress`
    /// runs on the calling thread whenever the server reports. Returns the
    /// report; throws ClientError (CANCELLED after a cancel: nothing stored).
    v1::ImportReport importStream(std::istream &in, const std::string &fileName, std::uint64_t size,
                                  const ImportSettings &settings,
                                  const std::function<void(const ImportProgress &)> &progress = {},
                                  Cancellation *cancellation = nullptr);
    /// importStream() of a file on disk, named `fileName` (empty: `path`);
    /// throws ClientError(NOT_FOUND) if it cannot be read. uploadFile()
    /// (upload.h) also finds out what became of an interrupted upload.
    v1::ImportReport importFile(const std::string &path, const ImportSettings &settings,
                                const std::function<void(const ImportProgress &)> &progress = {},
                                Cancellation *cancellation = nullptr, const std::string &fileName = {});

    /// What became of the import sent with `importId` (ImportSettings), for
    /// an upload that ended without a report (cancelled, a broken
    /// connection): its report (`replayed` set) when the server committed
    /// it, none when nothing was stored under that id. Waits while the
    /// server is still committing it. Throws ClientError when the server
    /// cannot be asked.
    std::optional<v1::ImportReport> importOutcome(const std::string &importId);

    /// Deletes the series, or only its points in the request's range
    /// (DeleteSeries). Throws ClientError (NOT_FOUND: no such series).
    v1::DeleteSeriesResponse deleteSeries(const v1::DeleteSeriesRequest &request);
    /// Renames the series or sets its unit (UpdateSeries); returns it as it
    /// is now. Throws ClientError (ALREADY_EXISTS: the new name is taken).
    v1::Series updateSeries(const v1::UpdateSeriesRequest &request);

    /// Totals per bucket (Aggregate), each series' messages in the order
    /// they came. Throws ClientError (NOT_FOUND: no such series).
    std::vector<v1::AggregateResponse> aggregate(const v1::AggregateRequest &request,
                                                 Cancellation *cancellation = nullptr);

    /// Where readings of a series are missing (ListGaps). Throws ClientError.
    v1::ListGapsResponse listGaps(const v1::ListGapsRequest &request);

    /// Streams a Query; `onBatch` returns false to stop early. Throws ClientError.
    void query(const v1::QueryRequest &request, const std::function<bool(const v1::PointBatch &)> &onBatch,
               Cancellation *cancellation = nullptr);

    /// Streams a Subscribe until cancelled or `onMessage` returns false.
    void subscribe(const v1::SubscribeRequest &request,
                   const std::function<bool(const v1::SubscribeResponse &)> &onMessage,
                   Cancellation *cancellation = nullptr);

    /// Turns a status into the sentence a user sees (names the server).
    ClientError error(const grpc::Status &status) const;

private:
    void prepare(grpc::ClientContext &context, bool unary) const;
    template<typename Response, typename Request, typename Start>
    void readStream(Start start, const Request &request, const std::function<bool(const Response &)> &onMessage,
                    Cancellation *cancellation);
    // Throws for a failed stream, unless the caller itself stopped it.
    void finish(const grpc::Status &status, bool stoppedByCaller, const Cancellation *cancellation) const;

    ConnectionOptions m_options;
    /// Why m_options.token cannot be sent; empty when it can.
    std::string m_tokenError;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::MeterService::Stub> m_stub;
};

/// A fresh random import id (128 bits, hex).
std::string newImportId();

/// Why `address` is no server address (HOST:PORT with a port from 1 to
/// 65535, [IPv6]:PORT, or unix:PATH), in a few words; empty when it is one.
std::string addressProblem(const std::string &address);

} // namespace meterscope::client
