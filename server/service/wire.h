#pragma once

#include "meterscope/v1/meterscope.pb.h"
#include "storage/series.h"

namespace meterscope::service {

/// Fills a wire Series from a stored summary.
void toProto(const storage::SeriesSummary &summary, v1::Series *out);

} // namespace meterscope::service
