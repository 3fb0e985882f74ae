#pragma once

#include "storage/database.h"

#include <grpcpp/health_check_service_interface.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace meterscope::daemon {

/// Keeps the gRPC health status (readiness) true to what the server can do:
/// SERVING while a database connection can be had and answers within a
/// second, NOT_SERVING otherwise (the database is down, or every pooled
/// connection is busy), checked every second in a thread of its own.
class HealthMonitor {
public:
    HealthMonitor(storage::Database &db, grpc::HealthCheckServiceInterface &health);
    /// Stops checking; the status stays as it was.
    ~HealthMonitor();
    HealthMonitor(const HealthMonitor &) = delete;
    HealthMonitor &operator=(const HealthMonitor &) = delete;

    /// What the health service says now.
    bool serving() const { return m_serving; }

private:
    void run();
    bool databaseAnswers();

    storage::Database &m_db;
    grpc::HealthCheckServiceInterface &m_health;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stop = false;
    std::atomic<bool> m_serving{true};
    std::thread m_thread;
};

} // namespace meterscope::daemon
