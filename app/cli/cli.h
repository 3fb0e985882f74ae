#pragma once

namespace meterscope::cli {

/// Exit codes of meterscope-cli.
enum ExitCode {
    kExitOk = 0,          ///< everything imported (or the command succeeded)
    kExitRejected = 1,    ///< some rows were rejected; the rest is stored
    kExitUsage = 2,       ///< bad command line
    kExitUnreachable = 3, ///< cannot reach or authenticate to the server
    kExitRefused = 4,     ///< the server refused (an import stored nothing)
};

/// meterscope-cli [global options] import|series|delete|update|export|tail|totals|gaps
/// [options]. Returns the process exit code.
int run(int argc, char **argv);

} // namespace meterscope::cli
