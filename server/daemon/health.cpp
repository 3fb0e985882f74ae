#include "daemon/health.h"

#include "logging/log.h"
#include "storage/pg_connection.h"

#include <pqxx/pqxx>

namespace meterscope::daemon {

namespace {

constexpr auto kInterval = std::chrono::seconds(1);
constexpr auto kBudget = std::chrono::milliseconds(1000);

} // namespace

HealthMonitor::HealthMonitor(storage::Database &db, grpc::HealthCheckServiceInterface &health)
    : m_db(db)
    , m_health(health)
    , m_thread([this] { run(); })
{
}

HealthMonitor::~HealthMonitor()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

bool HealthMonitor::databaseAnswers()
{
    try {
        storage::Database::Lease lease = m_db.acquire(kBudget);
        pqxx::work txn(*lease, "health");
        txn.exec0("SET LOCAL statement_timeout = " + std::to_string(kBudget.count()));
        txn.exec1("SELECT 1");
        return true;
    } catch (const std::exception &e) {
        MS_LOG(Debug) << "health check: " << e.what();
        return false;
    }
}

void HealthMonitor::run()
{
    bool serving = true;
    std::unique_lock lock(m_mutex);
    while (!m_wake.wait_for(lock, kInterval, [this] { return m_stop; })) {
        lock.unlock();
        const bool now = databaseAnswers();
        lock.lock();
        if (now == serving || m_stop)
            continue;
        serving = now;
        m_serving = serving;
        m_health.SetServingStatus(serving);
        if (serving)
            MS_LOG(Info) << "health: SERVING again (the database answers)";
        else
            MS_LOG(Warning) << "health: NOT_SERVING (no database connection answered within " << kBudget.count()
                            << " ms)";
    }
}

} // namespace meterscope::daemon
