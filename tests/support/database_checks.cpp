#include "support/database_checks.h"

#include "support/test_cluster.h"

#include <QtGlobal>

#include <fstream>

namespace meterscope::test {

std::int64_t storedPoints(const TestCluster &cluster, const std::string &series)
{
    return std::stoll(cluster.scalar(
        "SELECT count(*) FROM points p JOIN series s ON s.id = p.series_id WHERE s.name = '" + series + "'"));
}

std::int64_t busyBackends(const TestCluster &cluster)
{
    // Autovacuum workers are not ours.
    constexpr const char *kBusy = "datname = 'meterscope' AND pid <> pg_backend_pid() "
                                  "AND backend_type = 'client backend' "
                                  "AND (state LIKE 'idle in transaction%' OR state = 'active')";
    if (const std::string busy = cluster.scalar(
            std::string("SELECT string_agg(state || ': ' || left(query, 60), ' | ') FROM pg_stat_activity WHERE ")
            + kBusy);
        !busy.empty())
        qDebug("busy: %s", busy.c_str());
    return std::stoll(cluster.scalar(std::string("SELECT count(*) FROM pg_stat_activity WHERE ") + kBusy));
}

pid_t postmasterPid(const QString &dataDir)
{
    std::ifstream in((dataDir + "/postgres/postmaster.pid").toStdString());
    pid_t pid = 0;
    in >> pid;
    return pid;
}

} // namespace meterscope::test
