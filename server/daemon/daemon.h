#pragma once

#include "daemon/options.h"

namespace meterscope::daemon {

/// Runs meterscoped until SIGINT or SIGTERM: starts (or connects to) the
/// database, imports the start-up files, serves gRPC, then shuts down
/// gracefully. Returns the process exit code; start-up failures print one
/// line saying what to do and return 1.
int run(const Options &options);

} // namespace meterscope::daemon
