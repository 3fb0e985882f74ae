#include "http/pages.h"

#include "http/python_time.h"
#include "logging/log.h"
#include "metrics/exposition.h"
#include "service/legacy_service.h"
#include "service/service_metrics.h"
#include "service/status.h"
#include "service/validation.h"
#include "service/wire.h"
#include "storage/series_store.h"
#include "time/instant.h"
#include "json/json.h"

#include <httplib.h>

#include <charconv>
#include <memory>

namespace meterscope::http {

namespace {

constexpr const char *kJson = "application/json";
// Series per database page of /api/v1/series.
constexpr std::size_t kSeriesPage = 1000;
// As many as a Query asks for at most (max_points is a uint32).
constexpr std::uint64_t kMaxPoints = 0xffffffffu;

// A query parameter that cannot be used: 400 naming it.
class BadParameter : public service::StatusError {
public:
    BadParameter(const char *name, const std::string &reason)
        : StatusError(grpc::StatusCode::INVALID_ARGUMENT, std::string("parameter '") + name + "': " + reason)
    {
    }
};

// One JSON object of points, written page by page as they are read:
// `{"2019-01-01 00:15:00": 55.09, ...}` on the legacy page,
// `{\n  "2019-01-01T00:15:00Z": 55.09,\n ...\n}\n` on the API.
struct PointObject {
    std::unique_ptr<storage::PointStream> points;
    bool legacy = false;
    timeutil::Zone zone;
    std::uint64_t sent = 0;
    bool done = false;
    storage::Column<timeutil::Micros> times;
    storage::Column<double> values;
    const metrics::Gauge::Scope active{service::serviceMetrics().httpStreams};
    const metrics::Histogram::Timer timer{service::serviceMetrics().httpSeconds};

    // The next chunk of the document.
    std::string next()
    {
        std::string out = sent == 0 ? "{" : "";
        times.items.clear();
        values.items.clear();
        const bool more = points->next(times, values, storage::kPageRows);
        out.reserve(out.size() + times.items.size() * 40 + 8);
        for (std::size_t i = 0; i < times.items.size(); ++i, ++sent) {
            if (legacy) {
                out += sent ? ", \"" : "\"";
                appendPythonStr(out, times.items[i]);
                out += "\": ";
                json::appendJsonNumber(out, values.items[i]);
            } else {
                out += sent ? ",\n  " : "\n  ";
                json::appendJsonPoint(out, times.items[i], values.items[i], zone);
            }
        }
        if (!more) {
            out += legacy || sent == 0 ? "}\n" : "\n}\n";
            done = true;
        }
        return out;
    }
};

// Streams `object` as the body, a page per chunk.
void streamPoints(httplib::Response &response, std::shared_ptr<PointObject> object, const char *route)
{
    response.set_chunked_content_provider(kJson, [object, route](std::size_t, httplib::DataSink &sink) {
        try {
            const std::string chunk = object->next();
            if (!chunk.empty() && !sink.write(chunk.data(), chunk.size()))
                return false;
            if (object->done) {
                service::serviceMetrics().httpPoints.add(object->sent);
                sink.done();
            }
            return true;
        } catch (const std::exception &e) {
            // The status line is gone: all that is left is to cut the body
            // short, which the client sees as an incomplete answer.
            MS_LOG(Warning) << route << ": ended a streamed answer early: " << e.what();
            return false;
        }
    });
}

std::string param(const httplib::Request &request, const char *name)
{
    return request.has_param(name) ? request.get_param_value(name) : std::string();
}

timeutil::Zone zoneParam(const httplib::Request &request)
{
    const std::string name = param(request, "timezone");
    if (name.empty())
        return {};
    try {
        return timeutil::Zone::byName(name);
    } catch (const std::invalid_argument &e) {
        throw BadParameter("timezone", e.what());
    }
}

std::optional<timeutil::Micros> instantParam(const httplib::Request &request, const char *name,
                                             const timeutil::Zone &zone)
{
    const std::string text = param(request, name);
    if (text.empty())
        return std::nullopt;
    std::string error;
    const std::optional<timeutil::Micros> instant = timeutil::parseInstant(text, zone, &error);
    if (!instant)
        throw BadParameter(name, error);
    return instant;
}

std::uint32_t maxPointsParam(const httplib::Request &request)
{
    const std::string text = param(request, "max_points");
    if (text.empty())
        return 0;
    std::uint64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value > kMaxPoints)
        throw BadParameter("max_points",
                           "needs a whole number from 0 (all points) to 4294967295, not " + service::quoted(text));
    return std::uint32_t(value);
}

void legacyPage(const Sources &sources, const httplib::Request &, httplib::Response &response)
{
    auto object = std::make_shared<PointObject>();
    object->legacy = true;
    const std::string series = service::legacySeries(sources.db);
    if (series.empty()) {
        response.set_content("{}\n", kJson);
        return;
    }
    object->points
        = std::make_unique<storage::PointStream>(sources.db, storage::PointStream::Request{series, {}, {}, 0});
    streamPoints(response, std::move(object), "/meterusage/");
}

void seriesPage(const Sources &sources, const httplib::Request &, httplib::Response &response)
{
    // Everything, in byte order of name, a database page at a time.
    auto after = std::make_shared<std::optional<std::string>>(std::string());
    response.set_chunked_content_provider(kJson, [&db = sources.db, after](std::size_t, httplib::DataSink &sink) {
        try {
            const bool first = after->has_value() && (*after)->empty();
            const std::vector<storage::SeriesSummary> page = storage::listSeries(db, **after, kSeriesPage);
            std::string out = first ? "[" : "";
            for (const storage::SeriesSummary &summary : page) {
                v1::Series series;
                service::toProto(summary, &series);
                if (!(first && &summary == &page.front()))
                    out += ", ";
                json::appendSeries(out, series);
            }
            if (!page.empty())
                *after = page.back().name;
            const bool last = page.size() < kSeriesPage;
            if (last)
                out += "]\n";
            if (!sink.write(out.data(), out.size()))
                return false;
            if (last)
                sink.done();
            return true;
        } catch (const std::exception &e) {
            MS_LOG(Warning) << "/api/v1/series: ended a streamed answer early: " << e.what();
            return false;
        }
    });
}

void pointsPage(const Sources &sources, const httplib::Request &request, httplib::Response &response)
{
    const std::string name = request.matches[1];
    service::checkSeriesName(name, "the series name");
    auto object = std::make_shared<PointObject>();
    object->zone = zoneParam(request);
    storage::PointStream::Request query{name, {}, {}, 0};
    query.start = instantParam(request, "from", object->zone);
    query.end = instantParam(request, "to", object->zone);
    query.maxPoints = maxPointsParam(request);
    // Unknown series and empty ranges fail here, before the status is sent.
    object->points = std::make_unique<storage::PointStream>(sources.db, std::move(query));
    streamPoints(response, std::move(object), "/api/v1/series/{name}/points");
}

void metricsPage(const Sources &sources, const httplib::Request &, httplib::Response &response)
{
    metrics::Exposition out;
    service::serviceMetrics().expose(out);
    const storage::Database::PoolStats pool = sources.db.poolStats();
    out.gauge("meterscope_db_connections", "Pooled database connections by state.", double(pool.inUse),
              {{"state", "in_use"}});
    out.gauge("meterscope_db_connections", "", double(pool.open - pool.inUse), {{"state", "idle"}});
    out.gauge("meterscope_db_connections_max", "Most pooled database connections open at once.", double(pool.max));
    out.counter("meterscope_db_connection_waits_total", "Times a call found no free database connection and waited.",
                double(pool.waits));
    out.counter("meterscope_db_connection_wait_seconds_total", "Time calls spent waiting for a database connection.",
                pool.waitSeconds);
    const storage::ChangeFeed::Stats feed = sources.feed.stats();
    out.gauge("meterscope_subscribers", "Subscribe streams registered for news of new points.",
              double(feed.subscribers));
    out.gauge("meterscope_subscriber_lag_max", "Changes not yet handled by the slowest subscriber.",
              double(feed.maxLag));
    out.counter("meterscope_subscribers_too_slow_total",
                "Subscribers ended for falling too far behind (--max-subscriber-lag).", double(feed.overflowed));
    out.gauge("meterscope_storage_info", "The storage mode in use (1 for the mode).", 1,
              {{"mode", sources.db.timescale() ? "timescaledb" : "postgres"}});
    out.gauge("meterscope_ready", "1 while the server can serve new calls (gRPC health SERVING).",
              sources.serving() ? 1 : 0);
    out.gauge("meterscope_build_info", "The running meterscoped.", 1, {{"version", METERSCOPE_VERSION}});
    response.set_content(out.text(), metrics::Exposition::kContentType);
}

} // namespace

void addPages(httplib::Server &server, const Sources &sources)
{
    auto page = [&sources](void (*handler)(const Sources &, const httplib::Request &, httplib::Response &)) {
        return [&sources, handler](const httplib::Request &request, httplib::Response &response) {
            handler(sources, request, response);
        };
    };
    server.Get("/meterusage/?", page(legacyPage));
    server.Get("/api/v1/series/?", page(seriesPage));
    server.Get(R"(/api/v1/series/([^/]+)/points/?)", page(pointsPage));
    server.Get("/metrics", page(metricsPage));
    server.Get("/healthz", [&sources](const httplib::Request &, httplib::Response &response) {
        const bool serving = sources.serving();
        response.status = serving ? 200 : 503;
        response.set_content(serving ? "{\"status\": \"SERVING\"}\n" : "{\"status\": \"NOT_SERVING\"}\n", kJson);
    });
}

} // namespace meterscope::http
