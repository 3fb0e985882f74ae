#pragma once

#include "metrics/exposition.h"
#include "metrics/metrics.h"

#include "meterscope/v1/meterscope.pb.h"

namespace meterscope::service {

/// What the server's calls did since it started, for GET /metrics. One set
/// per process (as a Prometheus client library's default registry), so
/// every handler counts into it without being handed it.
struct ServiceMetrics {
    /// How an import call ended.
    enum class ImportOutcome { Stored, Replayed, DryRun, Cancelled, Failed, Count };
    metrics::Counter imports[int(ImportOutcome::Count)];
    /// Rows of finished imports, by what became of them (see ImportReport).
    metrics::Counter importRowsNew, importRowsUpdated, importRowsUnchanged, importRowsDuplicate, importRowsMissing,
        importRowsRejected;
    metrics::Counter importBytes;
    metrics::Histogram importSeconds;

    metrics::Gauge queryStreams, subscribeStreams, legacyStreams, httpStreams;
    metrics::Counter queryPoints, subscribePoints, legacyPoints, httpPoints;
    metrics::Histogram querySeconds, subscribeSeconds, legacySeconds, httpSeconds, listSeriesSeconds;

    /// HTTP answers by class: 1xx to 5xx.
    metrics::Counter httpResponses[5];
    void countHttpResponse(int status);

    /// Counts a finished import's rows and bytes.
    void countImport(const v1::ImportReport &report, std::uint64_t bytes);

    /// Writes every family above.
    void expose(metrics::Exposition &out) const;
};

ServiceMetrics &serviceMetrics();

/// Counts one import call: Failed unless told otherwise before it ends
/// (an exception leaves it Failed), and its duration.
class ImportCount {
public:
    ImportCount() = default;
    ~ImportCount() { serviceMetrics().imports[int(m_outcome)].add(); }
    ImportCount(const ImportCount &) = delete;
    ImportCount &operator=(const ImportCount &) = delete;
    void set(ServiceMetrics::ImportOutcome outcome) { m_outcome = outcome; }

private:
    ServiceMetrics::ImportOutcome m_outcome = ServiceMetrics::ImportOutcome::Failed;
    metrics::Histogram::Timer m_timer{serviceMetrics().importSeconds};
};

} // namespace meterscope::service
