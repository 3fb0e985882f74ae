#pragma once

#include "client/client.h"
#include "grpc/health/v1/health.pb.h"
#include "meterscope/v1/meterscope.grpc.pb.h"
#include "time/micros.h"

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace meterscope::test {

/// Options for a plaintext client of `address`, with a bearer token if given.
client::ConnectionOptions connectionTo(const QString &address, const std::string &token = {});
std::unique_ptr<client::Client> clientFor(const QString &address, const std::string &token = {});

/// A MeterService stub on a plaintext channel, for tests that drive a
/// stream by hand (stall it, read it message by message).
std::unique_ptr<v1::MeterService::Stub> rawStub(const QString &address);

/// What grpc.health.v1 says about the server at `address` (SERVING once it
/// is ready); on a failed call UNKNOWN, with the reason in `error`.
grpc::health::v1::HealthCheckResponse::ServingStatus servingStatus(const QString &address,
                                                                   std::string *error = nullptr);

/// Imports `text` as a file called `name`. Throws ClientError.
v1::ImportReport importText(client::Client &client, const std::string &text, const std::string &name = "minutes.csv",
                            const client::ImportSettings &settings = {});

/// The points of a series as two columns.
struct Points {
    std::vector<timeutil::Micros> times;
    std::vector<double> values;
};

/// Runs a Query to its end and keeps every point. Throws ClientError.
Points queryPoints(client::Client &client, const v1::QueryRequest &request);
Points queryPoints(client::Client &client, const std::string &series);

/// True in a sanitizer build, whose shadow memory and quarantine make
/// memory figures say nothing about the code.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

/// A memory figure of a process from /proc/PID/status in KiB ("VmRSS" now,
/// "VmHWM" the peak so far); 0 if unknown. pid 0 = this process.
qint64 memoryKiB(qint64 pid, const char *field);

} // namespace meterscope::test
