#include "service/service_metrics.h"

namespace meterscope::service {

ServiceMetrics &serviceMetrics()
{
    static ServiceMetrics metrics;
    return metrics;
}

void ServiceMetrics::countImport(const v1::ImportReport &report, std::uint64_t bytes)
{
    importRowsNew.add(report.rows_new());
    importRowsUpdated.add(report.rows_updated());
    importRowsUnchanged.add(report.rows_unchanged());
    importRowsDuplicate.add(report.rows_duplicate());
    importRowsMissing.add(report.rows_missing());
    importRowsRejected.add(report.rows_rejected());
    importBytes.add(bytes);
}

void ServiceMetrics::countHttpResponse(int status)
{
    if (status >= 100 && status < 600)
        httpResponses[status / 100 - 1].add();
}

void ServiceMetrics::expose(metrics::Exposition &out) const
{
    static constexpr const char *kOutcomes[] = {"stored", "replayed", "dry_run", "cancelled", "failed"};
    for (int i = 0; i < int(ImportOutcome::Count); ++i)
        out.counter("meterscope_imports_total", "Import calls by how they ended.", double(imports[i].value()),
                    {{"outcome", kOutcomes[i]}});
    const std::pair<const char *, const metrics::Counter *> rows[] = {{"new", &importRowsNew},
                                                                      {"updated", &importRowsUpdated},
                                                                      {"unchanged", &importRowsUnchanged},
                                                                      {"duplicate", &importRowsDuplicate},
                                                                      {"missing", &importRowsMissing},
                                                                      {"rejected", &importRowsRejected}};
    for (const auto &[outcome, counter] : rows)
        out.counter("meterscope_import_rows_total", "Rows of finished imports by what became of them.",
                    double(counter->value()), {{"outcome", outcome}});
    out.counter("meterscope_import_bytes_total", "Bytes of finished imports.", double(importBytes.value()));
    out.histogram("meterscope_import_duration_seconds", "Import calls from first message to answer.",
                  importSeconds.snapshot());

    const std::tuple<const char *, const metrics::Gauge *, const metrics::Counter *, const metrics::Histogram *>
        streams[] = {{"query", &queryStreams, &queryPoints, &querySeconds},
                     {"subscribe", &subscribeStreams, &subscribePoints, &subscribeSeconds},
                     {"get_all_records", &legacyStreams, &legacyPoints, &legacySeconds},
                     {"http", &httpStreams, &httpPoints, &httpSeconds}};
    for (const auto &[stream, active, points, seconds] : streams)
        out.gauge("meterscope_streams",
                  "Point streams running now: Query, Subscribe, the legacy GetAllRecords, HTTP point pages.",
                  double(active->value()), {{"stream", stream}});
    for (const auto &[stream, active, points, seconds] : streams)
        out.counter("meterscope_points_sent_total", "Points sent to clients by the streams.", double(points->value()),
                    {{"stream", stream}});
    for (const auto &[stream, active, points, seconds] : streams)
        out.histogram("meterscope_stream_duration_seconds", "Point streams from request to end.", seconds->snapshot(),
                      {{"stream", stream}});
    out.histogram("meterscope_list_series_duration_seconds", "ListSeries calls.", listSeriesSeconds.snapshot());
    static constexpr const char *kClasses[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 5; ++i)
        out.counter("meterscope_http_responses_total", "HTTP answers by status class.",
                    double(httpResponses[i].value()), {{"code", kClasses[i]}});
}

} // namespace meterscope::service
