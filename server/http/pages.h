#pragma once

#include "storage/change_feed.h"
#include "storage/database.h"

#include <functional>

namespace httplib {
class Server;
}

namespace meterscope::http {

/// What the pages read from.
struct Sources {
    storage::Database &db;
    storage::ChangeFeed &feed;
    /// The gRPC readiness (HealthMonitor): /healthz says the same.
    std::function<bool()> serving;
};

/// Registers the pages on `server`:
///  - GET /meterusage/ (and /meterusage): the prototype's JSON page, one
///    object keyed by Python's str(datetime) of each UTC instant, for the
///    series the legacy gRPC API streams;
///  - GET /api/v1/series: the ListSeries answer as a JSON array;
///  - GET /api/v1/series/{name}/points?from=&to=&max_points=&timezone=:
///    points as `meterscope-cli export --format json` writes them;
///  - GET /healthz: {"status": "SERVING"} (200) or NOT_SERVING (503);
///  - GET /metrics: Prometheus text exposition.
/// Point pages are streamed (chunked) a database page at a time, holding no
/// connection while they wait on the client. Errors are JSON
/// ({"error": {"status", "code", "message"}}) with the HTTP status matching
/// the gRPC one.
/// `sources` must outlive the server.
void addPages(httplib::Server &server, const Sources &sources);

} // namespace meterscope::http
