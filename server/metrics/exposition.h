#pragma once

#include "metrics/metrics.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace meterscope::metrics {

/// Label pairs of one sample, e.g. {{"outcome", "new"}}.
using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

/// Writes the Prometheus text exposition format (version 0.0.4): a family's
/// HELP and TYPE lines once, then its samples; label values escaped.
/// Samples of one family must follow each other.
class Exposition {
public:
    void counter(std::string_view name, std::string_view help, double value, const Labels &labels = {});
    void gauge(std::string_view name, std::string_view help, double value, const Labels &labels = {});
    void histogram(std::string_view name, std::string_view help, const Histogram::Snapshot &snapshot,
                   const Labels &labels = {});

    const std::string &text() const { return m_text; }

    /// The Content-Type of text().
    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    void family(std::string_view name, std::string_view help, std::string_view type);
    void sample(std::string_view name, const Labels &labels, double value, std::string_view le = {});

    std::string m_text;
    std::string m_family;
};

} // namespace meterscope::metrics
