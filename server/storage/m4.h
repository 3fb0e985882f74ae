#pragma once

#include "time/micros.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

namespace meterscope::storage {

/// M4 reduction (Jugel et al., PVLDB 2014): per bucket of time, keep the
/// first, minimum, maximum and last point. A line drawn through what remains
/// covers the same pixels as the raw line when a bucket is one pixel column.
/// Points must arrive in time order; buckets are [start + k*width, ...).
class M4Reducer {
public:
    M4Reducer(timeutil::Micros start, timeutil::Micros width)
        : m_start(start)
        , m_width(std::max<timeutil::Micros>(width, 1))
    {
    }

    /// Adds a point; returns true when it closed the previous bucket (whose
    /// points are then ready in take()).
    bool add(timeutil::Micros time, double value)
    {
        const std::int64_t bucket = (time - m_start) / m_width;
        bool closed = false;
        if (m_count > 0 && bucket != m_bucket) {
            close();
            closed = true;
        }
        if (m_count == 0) {
            m_bucket = bucket;
            m_first = m_min = m_max = m_last = {time, value};
        } else {
            if (value < m_min.value)
                m_min = {time, value};
            if (value > m_max.value)
                m_max = {time, value};
            m_last = {time, value};
        }
        ++m_count;
        return closed;
    }

    /// Closes the open bucket (end of input).
    void finish()
    {
        if (m_count > 0)
            close();
    }

    /// Moves the points of closed buckets, in time order, into two columns
    /// (anything with Add()), and forgets them.
    template<typename Times, typename Values>
    void take(Times &times, Values &values)
    {
        for (const Point &p : m_ready) {
            times.Add(p.time);
            values.Add(p.value);
        }
        m_ready.clear();
    }

    std::size_t ready() const { return m_ready.size(); }
    timeutil::Micros start() const { return m_start; }

private:
    struct Point {
        timeutil::Micros time;
        double value;
    };

    void close()
    {
        std::array<Point, 4> points{m_first, m_min, m_max, m_last};
        std::sort(points.begin(), points.end(), [](const Point &a, const Point &b) { return a.time < b.time; });
        for (std::size_t i = 0; i < points.size(); ++i) {
            if (i == 0 || points[i].time != points[i - 1].time)
                m_ready.push_back(points[i]);
        }
        m_count = 0;
    }

    timeutil::Micros m_start;
    timeutil::Micros m_width;
    std::int64_t m_bucket = 0;
    std::uint64_t m_count = 0;
    Point m_first{}, m_min{}, m_max{}, m_last{};
    std::vector<Point> m_ready;
};

} // namespace meterscope::storage
