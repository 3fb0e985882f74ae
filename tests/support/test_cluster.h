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
/// the test itself and removed afterwards. In hypertable mode (see
/// hypertableMode()) it preloads TimescaleDB.
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

/// The storage mode a test runs in (#13): METERSCOPE_TEST_STORAGE=timescaledb
/// (CTest's `<test>_timescaledb` variants) means hypertable mode: test
/// clusters preload TimescaleDB and every meterscoped started by
/// ServerProcess::start() gets `--storage timescaledb`, so it refuses to run
/// on anything but a hypertable. Otherwise plain mode: clusters do not
/// preload it (with the extension installed, the case that once broke).
bool hypertableMode();

/// Why a test that needs TimescaleDB must skip here (naming the script that
/// installs it), or empty. CTest reports such a skip in initTestCase() as
/// "Skipped" (see tests/CMakeLists.txt).
QString timescaledbSkip();

/// timescaledbSkip() in hypertable mode, else empty.
QString storageModeSkip();

/// In initTestCase(): skips the whole test when storageModeSkip() says so.
#define METERSCOPE_SKIP_UNLESS_STORAGE_MODE()                                                                          \
    do {                                                                                                               \
        if (const QString why = meterscope::test::storageModeSkip(); !why.isEmpty())                                   \
            QSKIP(qPrintable(why));                                                                                    \
    } while (false)

/// The repository's root and build folders (from ctest's environment).
QString sourceDir();
QString binaryDir();
/// The sample data set shipped in resources/.
QString sampleCsv();

} // namespace meterscope::test
