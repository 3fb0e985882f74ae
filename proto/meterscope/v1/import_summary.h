#pragma once

#include "meterscope/v1/meterscope.pb.h"

#include <string>

namespace meterscope::v1 {

/// The one sentence that sums up an import report, as meterscope-cli prints
/// it and the server logs it (`--import` and the Import RPC alike):
/// "meterusage.csv: 2974 rows imported (2974 new, 0 updated, 0 unchanged),
/// 1 missing, 0 rejected in 52 ms". A dry run says "dry run, would have"
/// before the count, replaced duplicates are counted when there are any, and
/// a replayed report says it was imported before instead of a duration.
std::string importSummary(const ImportReport &report);

} // namespace meterscope::v1
