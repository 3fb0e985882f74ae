#pragma once

#include "client/client.h"

#include <QString>

#include <memory>

namespace meterscope::test {

/// Options for a plaintext client of `address`, with a bearer token if given.
client::ConnectionOptions connectionTo(const QString &address, const std::string &token = {});
std::unique_ptr<client::Client> clientFor(const QString &address, const std::string &token = {});

/// A memory figure of a process from /proc/PID/status in KiB ("VmRSS" now,
/// "VmHWM" the peak so far); 0 if unknown. pid 0 = this process.
qint64 memoryKiB(qint64 pid, const char *field);

} // namespace meterscope::test
