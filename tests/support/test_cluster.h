#pragma once

#include "storage/embedded_cluster.h"

#include <QTemporaryDir>

#include <memory>
#include <string>
#include <vector>

namespace meterscope::test {

/// A temporary folder that PostgreSQL's unprivileged account can enter
/// even when the tests run as root (CI does).
class TestDir {
public:
    TestDir();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
};

/// A real, throwaway PostgreSQL cluster in a temporary folder, started by
/// the test itself and removed afterwards.
class TestCluster {
public:
    /// `settings`: extra `name=value` settings for the postmaster.
    explicit TestCluster(std::vector<std::string> settings = {});
    ~TestCluster();

    /// Starts the cluster (initdb on first call). Returns false and sets
    /// error() if it could not.
    bool start();
    void stop() { m_cluster->stop(); }
    /// Kills the postmaster and every backend with SIGKILL at once (a crash
    /// of the whole database server).
    void crash();

    std::string conninfo() const { return m_cluster->connectionString(); }
    std::string uri() const { return m_cluster->connectionUri(); }
    QString error() const { return m_error; }
    storage::EmbeddedCluster &cluster() { return *m_cluster; }

    /// Runs one SQL statement and returns the first column of the first row
    /// as text ("" when there is none). Throws on SQL errors.
    std::string scalar(const std::string &sql) const { return scalarAt(conninfo(), sql); }
    /// The same against any database.
    static std::string scalarAt(const std::string &conninfo, const std::string &sql);

private:
    TestDir m_dir;
    std::unique_ptr<storage::EmbeddedCluster> m_cluster;
    QString m_error;
};

/// True when the TimescaleDB extension is installed into the PostgreSQL the
/// tests use (packaging/install-timescaledb.sh installs it).
bool timescaledbInstalled();

/// Postmaster settings that preload TimescaleDB (telemetry off).
std::vector<std::string> preloadTimescaledb();

/// Why a test that needs TimescaleDB must skip here (naming the script that
/// installs it), or empty.
QString timescaledbSkip();

/// The repository's root and build folders (from ctest's environment).
QString sourceDir();
QString binaryDir();
/// The sample data set shipped in resources/.
QString sampleCsv();

} // namespace meterscope::test
