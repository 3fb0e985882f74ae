#pragma once

#include "meterscope/v1/meterscope.pb.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace meterscope::daemon {

/// Everything meterscoped is told on its command line.
struct Options {
    std::string listen = "127.0.0.1:50051";
    std::filesystem::path dataDir;
    std::string database;
    /// --storage: auto, postgres or timescaledb.
    std::string storage = "auto";
    /// --compress-after; 0 = off.
    std::chrono::seconds compressAfter{0};
    std::vector<std::string> imports;
    /// Column roles for the --import files, as the Import RPC takes them
    /// (#14); unset = detected.
    v1::ImportOptions importColumnRoles;
    std::string timezone = "UTC";
    std::string logLevel = "info";
    std::uint64_t maxImportBytes = 0;
    std::string clusterUser;
    std::size_t maxSubscriberLag = 1024;
    int maxConcurrentImports = 8;
    /// How long a call may wait on its client; 0 = forever.
    std::chrono::milliseconds idleTimeout{60000};
    std::string tlsCert;
    std::string tlsKey;
    std::string tlsClientCa;
    std::string tokenFile;
    bool allowInsecure = false;
    /// HTTP beside gRPC (HOST:PORT); empty = off.
    std::string httpListen;
};

/// The default --data-dir: $XDG_DATA_HOME/meterscope (~/.local/share/meterscope),
/// or /var/lib/meterscope for root, whose home PostgreSQL's account cannot enter.
std::filesystem::path defaultDataDir();

/// Parses the command line. Prints help or version and exits 0 when asked;
/// prints one line and exits 2 on a usage error.
Options parseCommandLine(int argc, char **argv);

} // namespace meterscope::daemon
