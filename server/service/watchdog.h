#pragma once

#include <grpcpp/server_context.h>

#include <chrono>
#include <condition_variable>
#include <list>
#include <mutex>
#include <string>
#include <thread>

namespace meterscope::service {

/// Ends calls whose client keeps a handler waiting too long: an import
/// that sends nothing, a stream that takes nothing (a paused app, a stalled
/// pipe, a hostile client). A handler blocked in Read() or Write() cannot
/// give up by itself; the watchdog cancels the call with a status the
/// client sees, and the blocked operation returns false. One thread for
/// all calls.
class Watchdog {
public:
    /// `timeout` = 0 turns it off.
    explicit Watchdog(std::chrono::milliseconds timeout);
    ~Watchdog();
    Watchdog(const Watchdog &) = delete;
    Watchdog &operator=(const Watchdog &) = delete;

    std::chrono::milliseconds timeout() const { return m_timeout; }

    /// While alive: the call is ended with RESOURCE_EXHAUSTED and `reason`
    /// (followed by how long it waited) once the timeout passes.
    class Watch {
    public:
        Watch(Watchdog &watchdog, grpc::ServerContext &context, const char *reason);
        ~Watch();
        Watch(const Watch &) = delete;
        Watch &operator=(const Watch &) = delete;
        /// True when the watchdog ended the call.
        bool fired() const;

    private:
        friend class Watchdog;
        struct Entry {
            grpc::ServerContext *context;
            const char *reason;
            std::chrono::steady_clock::time_point deadline;
            bool fired = false;
        };
        Watchdog &m_watchdog;
        std::list<Entry>::iterator m_entry;
    };

private:
    void run();

    std::chrono::milliseconds m_timeout;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::list<Watch::Entry> m_entries;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace meterscope::service
