#include "support/test_cluster.h"

#include <QDir>
#include <QFile>
#include <QProcess>

#include <pqxx/pqxx>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

namespace meterscope::test {

TestDir::TestDir()
    : m_dir(QDir::tempPath() + "/meterscope-test-XXXXXX")
{
    if (::geteuid() == 0)
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadGroup
                                                | QFile::ExeGroup | QFile::ReadOther | QFile::ExeOther);
}

TestCluster::TestCluster(std::vector<std::string> settings)
{
    settings.insert(settings.begin(), "fsync=off");
    if (hypertableMode())
        for (std::string &setting : preloadTimescaledb())
            settings.push_back(std::move(setting));
    m_cluster = std::make_unique<storage::EmbeddedCluster>(
        storage::EmbeddedCluster::Options{m_dir.filePath("db").toStdString(), {}, std::move(settings)});
}

TestCluster::~TestCluster()
{
    m_cluster->stop();
}

bool TestCluster::start()
{
    try {
        m_cluster->start();
        return true;
    } catch (const std::exception &e) {
        m_error = QString::fromStdString(e.what());
        return false;
    }
}

void TestCluster::crash()
{
    if (const pid_t pid = m_cluster->pid(); pid > 0) {
        // The postmaster leads its own process group, backends included.
        ::kill(-pid, SIGKILL);
        while (m_cluster->running())
            ::usleep(10000);
    }
}

std::string TestCluster::scalarAt(const std::string &conninfo, const std::string &sql)
{
    pqxx::connection conn(conninfo);
    pqxx::nontransaction txn(conn);
    const pqxx::result result = txn.exec(sql);
    if (result.empty() || result[0][0].is_null())
        return {};
    return result[0][0].as<std::string>();
}

bool timescaledbInstalled()
{
    return storage::EmbeddedCluster::timescaledbInstalled();
}

std::vector<std::string> preloadTimescaledb()
{
    return {"shared_preload_libraries=timescaledb", "timescaledb.telemetry_level=off"};
}

bool hypertableMode()
{
    return qEnvironmentVariable("METERSCOPE_TEST_STORAGE") == QLatin1String("timescaledb");
}

QString timescaledbSkip()
{
    if (timescaledbInstalled())
        return {};
    return QStringLiteral("needs TimescaleDB, which is not installed here; packaging/install-timescaledb.sh builds "
                          "and installs it");
}

QString storageModeSkip()
{
    return hypertableMode() ? timescaledbSkip() : QString();
}

QString sourceDir()
{
    return qEnvironmentVariable("METERSCOPE_SOURCE_DIR", QStringLiteral(METERSCOPE_TEST_SOURCE_DIR));
}

QString binaryDir()
{
    return qEnvironmentVariable("METERSCOPE_BINARY_DIR", QStringLiteral(METERSCOPE_TEST_BINARY_DIR));
}

QString sampleCsv()
{
    return sourceDir() + "/resources/meterusage.csv";
}

} // namespace meterscope::test
