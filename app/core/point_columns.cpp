#include "core/point_columns.h"

#include <algorithm>

namespace meterscope::app {

void PointColumns::append(const PointColumns &other)
{
    timesUs.append(other.timesUs);
    values.append(other.values);
    bucketUs = std::max(bucketUs, other.bucketUs);
}

PointColumns PointColumns::after(std::optional<qint64> timeUs) const
{
    if (!timeUs)
        return *this;
    const qsizetype first = std::upper_bound(timesUs.begin(), timesUs.end(), *timeUs) - timesUs.begin();
    return {timesUs.mid(first), values.mid(first), bucketUs};
}

PointColumns PointColumns::within(qint64 startUs, qint64 endUs) const
{
    const qsizetype first = std::lower_bound(timesUs.begin(), timesUs.end(), startUs) - timesUs.begin();
    const qsizetype last = std::lower_bound(timesUs.begin() + first, timesUs.end(), endUs) - timesUs.begin();
    return {timesUs.mid(first, last - first), values.mid(first, last - first), bucketUs};
}

} // namespace meterscope::app
