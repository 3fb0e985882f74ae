#include "service/watchdog.h"

#include "logging/log.h"

#include <grpc/grpc.h>

#include <cstdio>

namespace meterscope::service {

namespace {

// Deadlines are checked this often; a call may outlive its timeout by this.
constexpr auto kTick = std::chrono::milliseconds(200);

} // namespace

Watchdog::Watchdog(std::chrono::milliseconds timeout)
    : m_timeout(timeout)
{
    if (m_timeout.count() > 0)
        m_thread = std::thread([this] { run(); });
}

Watchdog::~Watchdog()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

Watchdog::Watch::Watch(Watchdog &watchdog, grpc::ServerContext &context, const char *reason)
    : m_watchdog(watchdog)
{
    std::lock_guard lock(m_watchdog.m_mutex);
    m_entry = m_watchdog.m_entries.insert(m_watchdog.m_entries.end(),
                                          {&context, reason, std::chrono::steady_clock::now() + m_watchdog.m_timeout});
}

Watchdog::Watch::~Watch()
{
    std::lock_guard lock(m_watchdog.m_mutex);
    m_watchdog.m_entries.erase(m_entry);
}

bool Watchdog::Watch::fired() const
{
    std::lock_guard lock(m_watchdog.m_mutex);
    return m_entry->fired;
}

void Watchdog::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
        m_wake.wait_for(lock, kTick);
        const auto now = std::chrono::steady_clock::now();
        for (Watch::Entry &entry : m_entries) {
            if (entry.fired || entry.deadline > now)
                continue;
            entry.fired = true;
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%g", double(m_timeout.count()) / 1000.0);
            const std::string message
                = std::string(entry.reason) + " for " + seconds + " s (--idle-timeout); the server ended the call";
            MS_LOG(Info) << "ending a call from " << entry.context->peer() << ": " << message;
            // Under the lock: the Watch, and with it the call, outlives this.
            grpc_call_cancel_with_status(entry.context->c_call(), GRPC_STATUS_RESOURCE_EXHAUSTED, message.c_str(),
                                         nullptr);
        }
    }
}

} // namespace meterscope::service
