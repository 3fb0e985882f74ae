#include "cli/progress_bar.h"

#include <cstdio>
#include <unistd.h>

namespace meterscope::cli {

ProgressBar::ProgressBar(std::string label)
    : m_label(std::move(label))
    , m_enabled(::isatty(STDERR_FILENO) == 1)
    , m_started(std::chrono::steady_clock::now())
{
}

ProgressBar::~ProgressBar()
{
    finish();
}

void ProgressBar::update(std::uint64_t bytes, std::uint64_t total, std::uint64_t rows)
{
    if (!m_enabled)
        return;
    constexpr int kWidth = 30;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_started).count();
    const double rate = seconds > 0 ? double(bytes) / seconds / 1e6 : 0;
    std::string bar;
    if (total > 0) {
        const double done = std::min(1.0, double(bytes) / double(total));
        const int filled = int(done * kWidth);
        bar = "[" + std::string(std::size_t(filled), '#') + std::string(std::size_t(kWidth - filled), '.') + "] ";
        char percent[8];
        std::snprintf(percent, sizeof percent, "%3d%% ", int(done * 100));
        bar += percent;
    }
    std::fprintf(stderr, "\r\033[K%s %s%.1f MB/s, %llu rows", m_label.c_str(), bar.c_str(), rate,
                 static_cast<unsigned long long>(rows));
    std::fflush(stderr);
    m_drawn = true;
}

void ProgressBar::finish()
{
    if (m_drawn) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_drawn = false;
    }
}

} // namespace meterscope::cli
