#pragma once

// The table meterscope-bench prints; meterscope-bench-app, which it runs,
// prints its rows into the same table. Also the timing and number
// formatting the benchmarks share.
#include <chrono>
#include <cstdio>
#include <string>

namespace meterscope::bench {

using Clock = std::chrono::steady_clock;

/// Seconds since `since`.
inline double seconds(Clock::time_point since)
{
    return std::chrono::duration<double>(Clock::now() - since).count();
}

/// One number in printf format, for a table cell.
inline std::string format(const char *fmt, double value)
{
    char text[64];
    std::snprintf(text, sizeof text, fmt, value);
    return text;
}

struct Row {
    std::string name;
    std::string ours;
    std::string baseline;
    std::string ratio;
    std::string target;
};

inline void printRow(const Row &row)
{
    std::printf("  %-44s %-22s %-26s %-10s %s\n", row.name.c_str(), row.ours.c_str(), row.baseline.c_str(),
                row.ratio.c_str(), row.target.c_str());
    std::fflush(stdout);
}

inline void printHeader()
{
    printRow({"benchmark", "meterscope", "baseline", "ratio", "target"});
}

} // namespace meterscope::bench
