#include "gui/time_ticks.h"

#include "gui/display_zone.h"

#include <QDate>

#include <algorithm>
#include <array>

namespace meterscope::app {

namespace {

constexpr qint64 kMs = 1000;
constexpr qint64 kSecond = 1000 * kMs;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;
constexpr qint64 kDay = 24 * kHour;
constexpr qint64 kMonth = 2'629'746 * kSecond; // a mean Gregorian month, for choosing only
// 1970-01-01 was a Thursday: weeks start on the Monday four days later.
constexpr qint64 kFirstMonday = 4;

enum class Unit { Fixed, Days, Months };

struct Step {
    Unit unit;
    qint64 count; // microseconds, days or months
    const char *format;
};

constexpr const char *kMillis = "HH:mm:ss.zzz<br>yyyy-MM-dd";
constexpr const char *kSeconds = "HH:mm:ss<br>yyyy-MM-dd";
constexpr const char *kMinutes = "HH:mm<br>yyyy-MM-dd";
constexpr const char *kDate = "yyyy-MM-dd";

constexpr std::array kSteps{
    Step{Unit::Fixed, 1 * kMs, kMillis},
    Step{Unit::Fixed, 2 * kMs, kMillis},
    Step{Unit::Fixed, 5 * kMs, kMillis},
    Step{Unit::Fixed, 10 * kMs, kMillis},
    Step{Unit::Fixed, 20 * kMs, kMillis},
    Step{Unit::Fixed, 50 * kMs, kMillis},
    Step{Unit::Fixed, 100 * kMs, kMillis},
    Step{Unit::Fixed, 200 * kMs, kMillis},
    Step{Unit::Fixed, 500 * kMs, kMillis},
    Step{Unit::Fixed, kSecond, kSeconds},
    Step{Unit::Fixed, 2 * kSecond, kSeconds},
    Step{Unit::Fixed, 5 * kSecond, kSeconds},
    Step{Unit::Fixed, 10 * kSecond, kSeconds},
    Step{Unit::Fixed, 15 * kSecond, kSeconds},
    Step{Unit::Fixed, 30 * kSecond, kSeconds},
    Step{Unit::Fixed, kMinute, kMinutes},
    Step{Unit::Fixed, 2 * kMinute, kMinutes},
    Step{Unit::Fixed, 5 * kMinute, kMinutes},
    Step{Unit::Fixed, 10 * kMinute, kMinutes},
    Step{Unit::Fixed, 15 * kMinute, kMinutes},
    Step{Unit::Fixed, 30 * kMinute, kMinutes},
    Step{Unit::Fixed, kHour, kMinutes},
    Step{Unit::Fixed, 2 * kHour, kMinutes},
    Step{Unit::Fixed, 3 * kHour, kMinutes},
    Step{Unit::Fixed, 6 * kHour, kMinutes},
    Step{Unit::Fixed, 12 * kHour, kMinutes},
    Step{Unit::Days, 1, kDate},
    Step{Unit::Days, 2, kDate},
    Step{Unit::Days, 7, kDate},
    Step{Unit::Days, 14, kDate},
    Step{Unit::Months, 1, "yyyy-MM"},
    Step{Unit::Months, 2, "yyyy-MM"},
    Step{Unit::Months, 3, "yyyy-MM"},
    Step{Unit::Months, 6, "yyyy-MM"},
    Step{Unit::Months, 12, "yyyy"},
    Step{Unit::Months, 24, "yyyy"},
    Step{Unit::Months, 60, "yyyy"},
    Step{Unit::Months, 120, "yyyy"},
    Step{Unit::Months, 600, "yyyy"},
    Step{Unit::Months, 1200, "yyyy"},
};

qint64 approximateSize(const Step &step)
{
    switch (step.unit) {
    case Unit::Fixed:
        return step.count;
    case Unit::Days:
        return step.count * kDay;
    case Unit::Months:
        return step.count * kMonth;
    }
    return step.count;
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0) ? 1 : 0);
}

qint64 ceilDiv(qint64 a, qint64 b)
{
    return -floorDiv(-a, b);
}

QDate localDate(qint64 localUs)
{
    return QDate(1970, 1, 1).addDays(floorDiv(localUs, kDay));
}

// Wall-clock times (microseconds on the local clock) of the ticks in [from, to].
QList<qint64> localTicks(const Step &step, qint64 from, qint64 to)
{
    QList<qint64> ticks;
    switch (step.unit) {
    case Unit::Fixed:
        for (qint64 t = ceilDiv(from, step.count) * step.count; t <= to; t += step.count)
            ticks << t;
        break;
    case Unit::Days: {
        const qint64 anchor = step.count == 1 ? 0 : kFirstMonday;
        qint64 day = ceilDiv(from, kDay);
        day += ((anchor - day) % step.count + step.count) % step.count;
        for (; day * kDay <= to; day += step.count)
            ticks << day * kDay;
        break;
    }
    case Unit::Months: {
        const QDate first = localDate(from);
        qint64 month = qint64(first.year()) * 12 + first.month() - 1;
        month += ((-month) % step.count + step.count) % step.count;
        for (;; month += step.count) {
            const QDate date(int(floorDiv(month, 12)), int(month - floorDiv(month, 12) * 12) + 1, 1);
            const qint64 t = QDate(1970, 1, 1).daysTo(date) * kDay;
            if (t > to)
                break;
            if (t >= from)
                ticks << t;
        }
        break;
    }
    }
    return ticks;
}

} // namespace

QList<TimeTick> timeTicks(qint64 startUs, qint64 endUs, int maxTicks, const timeutil::Zone &zone)
{
    if (endUs <= startUs || maxTicks < 1)
        return {};
    const qint64 span = endUs - startUs;
    const qint64 from = startUs + qint64(zone.offsetSecondsAt(startUs)) * kSecond;
    const qint64 to = endUs + qint64(zone.offsetSecondsAt(endUs)) * kSecond;
    // Step sizes are means (months and years vary) and both ends count, so
    // the first step that looks small enough may still give one tick too
    // many: then the next one does.
    for (auto step = std::find_if(kSteps.begin(), kSteps.end(),
                                  [&](const Step &s) { return span / approximateSize(s) < maxTicks; });
         step != kSteps.end(); ++step) {
        QList<TimeTick> ticks;
        const QString format = QString::fromLatin1(step->format);
        for (const qint64 local : localTicks(*step, from, to)) {
            timeutil::Micros utc = 0;
            // Wall-clock times a transition skips or repeats get no tick.
            if (zone.toUtc(local, utc) != timeutil::Zone::LocalResult::Ok || utc < startUs || utc > endUs)
                continue;
            ticks.append({utc, formatWallTime(utc, zone, format)});
        }
        if (ticks.size() <= maxTicks)
            return ticks;
    }
    return {};
}

} // namespace meterscope::app
