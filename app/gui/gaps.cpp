#include "gui/gaps.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace meterscope::app::gaps {

namespace {

// Fewer intervals than this say little about a series' cadence.
constexpr qsizetype kMinIntervals = 8;

} // namespace

double marker()
{
    return std::numeric_limits<double>::quiet_NaN();
}

bool isGap(double value)
{
    return std::isnan(value);
}

std::optional<qint64> typicalInterval(const PointColumns &points)
{
    if (points.bucketUs > 0)
        return std::nullopt;
    QList<qint64> intervals;
    intervals.reserve(points.size());
    for (qsizetype i = 1; i < points.size(); ++i) {
        if (!isGap(points.values[i]) && !isGap(points.values[i - 1]))
            intervals.append(points.timesUs[i] - points.timesUs[i - 1]);
    }
    if (intervals.size() < kMinIntervals)
        return std::nullopt;
    const auto middle = intervals.begin() + intervals.size() / 2;
    std::nth_element(intervals.begin(), middle, intervals.end());
    return *middle;
}

bool isGapInterval(qint64 intervalUs, qint64 typicalUs, qint64 bucketUs)
{
    return typicalUs > 0 && intervalUs >= 2 * typicalUs && intervalUs > bucketUs;
}

PointColumns marked(const PointColumns &points, qint64 typicalUs, std::optional<qint64> previousUs)
{
    PointColumns result;
    result.bucketUs = points.bucketUs;
    result.timesUs.reserve(points.size());
    result.values.reserve(points.size());
    for (qsizetype i = 0; i < points.size(); ++i) {
        const qint64 time = points.timesUs[i];
        if (previousUs && isGapInterval(time - *previousUs, typicalUs, points.bucketUs)) {
            result.timesUs.append(*previousUs + 1);
            result.values.append(marker());
        }
        result.timesUs.append(time);
        result.values.append(points.values[i]);
        previousUs = time;
    }
    return result;
}

} // namespace meterscope::app::gaps
