#pragma once

// What the benchmarks share: stopping with a reason, and watching a
// process's memory while a phase runs.
#include "support/clients.h"

#include <QString>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

namespace meterscope::test {

/// Ends the benchmark with a sentence on stderr, prefixed with its name.
[[noreturn]] inline void die(const std::string &message)
{
    std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, message.c_str());
    std::exit(1);
}

[[noreturn]] inline void die(const QString &message)
{
    die(message.toStdString());
}

[[noreturn]] inline void die(const char *message)
{
    die(std::string(message));
}

/// Samples a process's resident memory every `interval` while it exists.
class MemoryWatch {
public:
    explicit MemoryWatch(qint64 pid, std::chrono::milliseconds interval = std::chrono::milliseconds(20))
        : m_thread([this, pid, interval] {
            while (!m_stop) {
                m_peak = std::max(m_peak.load(), memoryKiB(pid, "VmRSS"));
                std::this_thread::sleep_for(interval);
            }
        })
    {
    }
    ~MemoryWatch()
    {
        m_stop = true;
        m_thread.join();
    }
    MemoryWatch(const MemoryWatch &) = delete;
    MemoryWatch &operator=(const MemoryWatch &) = delete;

    /// The largest resident size seen so far.
    qint64 peakMiB() const { return m_peak / 1024; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<qint64> m_peak{0};
    std::thread m_thread;
};

} // namespace meterscope::test
