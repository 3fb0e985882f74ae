#pragma once

// The table meterscope-bench prints; meterscope-bench-app, which it runs,
// prints its rows into the same table.
#include <cstdio>
#include <string>

namespace meterscope::bench {

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
