#pragma once

#include <QString>

#include <cstdint>
#include <string>
#include <sys/types.h>

namespace meterscope::test {

class TestCluster;

/// How many points are stored for `series` (0 without such a series).
std::int64_t storedPoints(const TestCluster &cluster, const std::string &series);

/// Summary cells (rollups) that differ from the cells computed afresh from
/// the points, plus those missing or left over: 0 when every series' cells
/// of every level (its base width times 4^k, up to 2^30 s) are right.
std::int64_t wrongCells(const TestCluster &cluster);

/// Backends of the meterscope database, besides the one asking, that are
/// in a transaction or running a statement: 0 once the server let go of
/// everything. Logs what the busy ones do.
std::int64_t busyBackends(const TestCluster &cluster);

/// The embedded postmaster of a meterscoped `--data-dir` (0 when none runs).
pid_t postmasterPid(const QString &dataDir);

} // namespace meterscope::test
