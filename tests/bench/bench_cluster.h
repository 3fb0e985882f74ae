#pragma once

// What the benchmarks that make their own databases share: psql against a
// database of the benchmark's cluster, a meterscoped on one of them, and
// meterscope-cli imports into it, each timed.
#include "bench_table.h"
#include "storage/embedded_cluster.h"
#include "support/bench_tools.h"
#include "support/server_process.h"
#include "support/test_cluster.h"

#include <QProcess>
#include <QStringList>

#include <string>

namespace meterscope::bench {

class BenchCluster {
public:
    explicit BenchCluster(test::TestCluster &cluster)
        : m_cluster(cluster)
    {
    }

    std::string conninfo(const std::string &database) const { return m_cluster.conninfo() + " dbname=" + database; }

    /// Runs `command` (SQL or a psql backslash command) in `database`; the
    /// seconds it took. Times are UTC.
    double psql(const std::string &database, const QString &command) const
    {
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("PGTZ", "UTC");
        process.setProcessEnvironment(env);
        const auto started = Clock::now();
        process.start(
            QString::fromStdString((storage::EmbeddedCluster::binDir() / "psql").string()),
            {"-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", QString::fromStdString(conninfo(database)), "-c", command});
        process.waitForFinished(-1);
        if (process.exitCode() != 0)
            test::die("psql failed: " + QString::fromUtf8(process.readAllStandardError()));
        return seconds(started);
    }

    double scalar(const std::string &database, const std::string &sql) const
    {
        return std::stod(test::TestCluster::scalarAt(conninfo(database), sql));
    }

    /// Starts `server` on `database` with `extra` options.
    void startServer(test::ServerProcess &server, const std::string &database, const QStringList &extra = {}) const
    {
        const std::string uri = m_cluster.uri();
        const QString url = QString::fromStdString(uri.substr(0, uri.find("/meterscope?")) + "/" + database
                                                   + uri.substr(uri.find('?')));
        if (!server.start(QStringList{"--database", url, "--listen", "127.0.0.1:0", "--log-level", "warning"} + extra))
            test::die("meterscoped did not start: " + server.log());
    }

    /// Imports `files` into `server` with meterscope-cli; the seconds it took.
    static double importWithCli(test::ServerProcess &server, const QStringList &files)
    {
        QProcess cli;
        const auto started = Clock::now();
        cli.start(test::ServerProcess::binary("app/cli/meterscope-cli"),
                  QStringList{"--server", server.address(), "import"} + files);
        cli.waitForFinished(-1);
        if (cli.exitCode() != 0)
            test::die("meterscope-cli import failed: " + QString::fromUtf8(cli.readAllStandardError()));
        return seconds(started);
    }

private:
    test::TestCluster &m_cluster;
};

} // namespace meterscope::bench
