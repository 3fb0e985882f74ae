#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace meterscope::metrics {

/// A count that only goes up (Prometheus counter). Thread-safe, lock-free.
class Counter {
public:
    void add(std::uint64_t n = 1) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

/// A value that goes up and down (Prometheus gauge), e.g. active streams.
class Gauge {
public:
    void add(std::int64_t n) { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::int64_t value() const { return m_value.load(std::memory_order_relaxed); }

    /// +1 for as long as it lives (an active stream).
    class Scope {
    public:
        explicit Scope(Gauge &gauge)
            : m_gauge(gauge)
        {
            m_gauge.add(1);
        }
        ~Scope() { m_gauge.add(-1); }
        Scope(const Scope &) = delete;
        Scope &operator=(const Scope &) = delete;

    private:
        Gauge &m_gauge;
    };

private:
    std::atomic<std::int64_t> m_value{0};
};

/// Durations in seconds, counted into fixed buckets (Prometheus histogram):
/// 1 ms to 10 min, which covers a ListSeries and a ten-million-row import.
class Histogram {
public:
    static constexpr std::array<double, 14> kBounds
        = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60, 600};

    void observe(double seconds);

    struct Snapshot {
        std::array<std::uint64_t, kBounds.size()> cumulative{}; ///< observations <= each bound
        std::uint64_t count = 0;
        double sum = 0;
    };
    Snapshot snapshot() const;

    /// Observes the time from its construction to its destruction.
    class Timer {
    public:
        explicit Timer(Histogram &histogram)
            : m_histogram(histogram)
        {
        }
        ~Timer() { m_histogram.observe(std::chrono::duration<double>(Clock::now() - m_start).count()); }
        Timer(const Timer &) = delete;
        Timer &operator=(const Timer &) = delete;

    private:
        using Clock = std::chrono::steady_clock;
        Histogram &m_histogram;
        Clock::time_point m_start = Clock::now();
    };

private:
    std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> m_buckets{}; ///< the last: above every bound
    std::atomic<std::uint64_t> m_sumMicros{0};
};

} // namespace meterscope::metrics
