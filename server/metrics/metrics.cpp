#include "metrics/metrics.h"

#include <algorithm>

namespace meterscope::metrics {

void Histogram::observe(double seconds)
{
    const auto bucket = std::size_t(std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin());
    m_buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    m_sumMicros.fetch_add(std::uint64_t(std::max(0.0, seconds) * 1e6 + 0.5), std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot snapshot;
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < kBounds.size(); ++i) {
        running += m_buckets[i].load(std::memory_order_relaxed);
        snapshot.cumulative[i] = running;
    }
    snapshot.count = running + m_buckets[kBounds.size()].load(std::memory_order_relaxed);
    snapshot.sum = double(m_sumMicros.load(std::memory_order_relaxed)) / 1e6;
    return snapshot;
}

} // namespace meterscope::metrics
