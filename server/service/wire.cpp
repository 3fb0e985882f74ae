#include "service/wire.h"

namespace meterscope::service {

void toProto(const storage::SeriesSummary &summary, v1::Series *out)
{
    out->set_name(summary.name);
    out->set_unit(summary.unit);
    out->set_points(summary.points);
    if (summary.first)
        out->set_first_time_us(*summary.first);
    if (summary.last)
        out->set_last_time_us(*summary.last);
}

} // namespace meterscope::service
