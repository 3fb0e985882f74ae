#pragma once

#include "client/client.h"

#include <QString>

#include <memory>

namespace meterscope::test {

/// Options for a plaintext client of `address`, with a bearer token if given.
client::ConnectionOptions connectionTo(const QString &address, const std::string &token = {});
std::unique_ptr<client::Client> clientFor(const QString &address, const std::string &token = {});

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
