#pragma once

#include "ingest/csv_reader.h"
#include "meterscope/v1/meterscope.pb.h"
#include "storage/series.h"

namespace meterscope::service {

/// Fills a wire Series from a stored summary.
void toProto(const storage::SeriesSummary &summary, v1::Series *out);

/// Fills a wire ImportLayout from the layout the reader used.
void toProto(const ingest::LayoutReport &layout, v1::ImportLayout *out);

} // namespace meterscope::service
