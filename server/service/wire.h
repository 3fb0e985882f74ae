#pragma once

#include "ingest/csv_reader.h"
#include "meterscope/v1/meterscope.pb.h"
#include "storage/series.h"
#include "time/micros.h"

#include <optional>
#include <utility>

namespace meterscope::service {

/// Fills a wire Series from a stored summary.
void toProto(const storage::SeriesSummary &summary, v1::Series *out);

/// A stored kind on the wire (never SERIES_KIND_UNSPECIFIED).
v1::SeriesKind toProto(storage::SeriesKind kind);

/// Fills a wire ImportLayout from the layout the reader used.
void toProto(const ingest::LayoutReport &layout, v1::ImportLayout *out);

/// The optional [start, end) of a request with start_time_us and
/// end_time_us (QueryRequest, DeleteSeriesRequest); absent = unbounded.
template<typename Request>
std::pair<std::optional<timeutil::Micros>, std::optional<timeutil::Micros>> timeRange(const Request &request)
{
    return {request.has_start_time_us() ? std::optional(request.start_time_us()) : std::nullopt,
            request.has_end_time_us() ? std::optional(request.end_time_us()) : std::nullopt};
}

} // namespace meterscope::service
