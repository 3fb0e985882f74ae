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

std::int64_t wrongCells(const TestCluster &cluster)
{
    const std::string fresh = R"(
        SELECT series_id, width, cell, count(*) AS points,
               (array_agg(time ORDER BY time))[1] AS first_time, (array_agg(value ORDER BY time))[1] AS first_value,
               min(value) AS min_value, max(value) AS max_value,
               (array_agg(time ORDER BY time DESC))[1] AS last_time,
               (array_agg(value ORDER BY time DESC))[1] AS last_value
        FROM (SELECT p.series_id, w.width, p.time, p.value,
                     to_timestamp(floor(extract(epoch FROM p.time) / w.width) * w.width) AS cell
              FROM points p JOIN series s ON s.id = p.series_id
                   CROSS JOIN LATERAL (SELECT s.cell_width::bigint << (2 * k) AS width
                                       FROM generate_series(0, 6) AS k) w
              WHERE w.width <= 1073741824) AS p
        GROUP BY series_id, width, cell)";
    const std::string stored = "SELECT series_id, width, cell, points, first_time, first_value, min_value, "
                               "max_value, last_time, last_value FROM rollups";
    const std::int64_t wrong
        = std::stoll(cluster.scalar("SELECT (SELECT count(*) FROM ((" + fresh + ") EXCEPT (" + stored
                                    + ")) d) + (SELECT count(*) FROM ((" + stored + ") EXCEPT (" + fresh + ")) e)"));
    if (wrong > 0) {
        qDebug("cells expected, not stored: %s", cluster
                                                     .scalar("SELECT string_agg(d::text, ' | ') FROM (SELECT * FROM (("
                                                             + fresh + ") EXCEPT (" + stored + ")) d LIMIT 5) d")
                                                     .c_str());
        qDebug("cells stored, not expected: %s", cluster
                                                     .scalar("SELECT string_agg(e::text, ' | ') FROM (SELECT * FROM (("
                                                             + stored + ") EXCEPT (" + fresh + ")) e LIMIT 5) e")
                                                     .c_str());
    }
    return wrong;
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
