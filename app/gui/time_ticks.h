#pragma once

#include "time/zone.h"

#include <QList>
#include <QString>

namespace meterscope::app {

/// A labelled tick on a time axis.
struct TimeTick {
    /// The UTC instant, in microseconds since the epoch.
    qint64 timeUs = 0;
    QString label;
};

/// Ticks for a time axis over [startUs, endUs] as a person would place them
/// in `zone`: at round wall-clock times (every 15 minutes, 6 hours, at
/// midnight, on the first of a month…), at most `maxTicks` of them, labelled
/// in that zone. Labels are distinct; times of day carry their date on a
/// second line (`<br>`).
QList<TimeTick> timeTicks(qint64 startUs, qint64 endUs, int maxTicks, const timeutil::Zone &zone);

} // namespace meterscope::app
