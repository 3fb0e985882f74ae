#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace meterscope::cli {

/// One line of upload progress redrawn in place on a terminal (stderr);
/// silent when stderr is not a terminal, so pipes and logs stay clean.
class ProgressBar {
public:
    explicit ProgressBar(std::string label);
    ~ProgressBar();

    /// `total` 0 = unknown size.
    void update(std::uint64_t bytes, std::uint64_t total, std::uint64_t rows);
    /// Clears the line.
    void finish();

private:
    std::string m_label;
    bool m_enabled;
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_started;
};

} // namespace meterscope::cli
