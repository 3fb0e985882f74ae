#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/types.h>
#include <vector>

namespace meterscope::storage {

/// A start-up problem with the embedded cluster; `what()` is one sentence
/// saying what to do.
class ClusterError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// A private PostgreSQL cluster in `<dataDir>/postgres`, run from the
/// machine's PostgreSQL binaries, listening only on a Unix socket inside that
/// folder (mode 0700, owner only). Created with initdb on first start and
/// reused afterwards. The postmaster runs in its own process group and gets
/// SIGINT (fast shutdown) if this process dies, so it never outlives its owner.
///
/// PostgreSQL refuses to run as root: when this process is root, the cluster
/// runs as an unprivileged account (`clusterUser`, else "meterscope", else
/// "postgres"), or start() fails with a sentence saying what to do.
class EmbeddedCluster {
public:
    struct Options {
        std::filesystem::path dataDir;
        /// Account to run PostgreSQL as when we are root; empty = pick one.
        std::string clusterUser;
        /// Extra `-c name=value` settings for the postmaster.
        std::vector<std::string> settings;
        /// Preload TimescaleDB (telemetry off) when it is installed into
        /// these PostgreSQL binaries, so `points` can be a hypertable.
        bool preloadTimescaledb = false;
    };

    explicit EmbeddedCluster(Options options);
    /// Stops the cluster if it runs.
    ~EmbeddedCluster();
    EmbeddedCluster(const EmbeddedCluster &) = delete;
    EmbeddedCluster &operator=(const EmbeddedCluster &) = delete;

    /// Takes the data folder for this process (a second server on the same
    /// folder is refused), runs initdb on first use, clears what a crash left behind (a stale
    /// postmaster.pid, an orphaned postmaster of this folder), starts
    /// postgres, waits until it accepts connections and creates the
    /// "meterscope" database. Throws ClusterError.
    void start();

    /// Fast shutdown (SIGINT), waiting up to `timeoutSeconds` before SIGQUIT
    /// and finally SIGKILL. Safe to call when not running.
    void stop(int timeoutSeconds = 30);

    /// True while the postmaster we started is alive (reaps it if it died).
    bool running();

    /// PID of the postmaster, or 0.
    pid_t pid() const { return m_pid; }

    /// libpq key/value connection string for the "meterscope" database.
    std::string connectionString() const;
    /// The same as a libpq URI (for `--database`).
    std::string connectionUri() const;

    std::filesystem::path pgdata() const { return m_pgdata; }
    /// Where PostgreSQL's own log goes.
    std::filesystem::path logFile() const { return m_pgdata.parent_path() / "postgres.log"; }

    /// The directory of initdb/postgres: $METERSCOPE_PG_BINDIR, else the
    /// newest /usr/lib/postgresql/<version>/bin, else the PATH.
    static std::filesystem::path binDir();

    /// True when TimescaleDB is installed into the PostgreSQL of binDir()
    /// (its library and its extension files).
    static bool timescaledbInstalled();

private:
    void lockDataDir();
    void resolveAccount();
    void prepareDirectories();
    void initdbIfNeeded();
    void clearStaleLock();
    void launch();
    void waitReady();
    void ensureDatabase();
    int runAsClusterUser(const std::vector<std::string> &argv, bool toLog);
    std::string logTail() const;

    Options m_options;
    std::filesystem::path m_pgdata;
    pid_t m_pid = 0;
    int m_lockFd = -1;
    bool m_dropPrivileges = false;
    uid_t m_uid = 0;
    gid_t m_gid = 0;
    std::string m_user;
};

} // namespace meterscope::storage
