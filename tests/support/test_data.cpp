#include "support/test_data.h"

#include "time/instant.h"

#include <QFile>
#include <QTest>

#include <cmath>
#include <random>

namespace meterscope::test {

timeutil::Micros at(const char *iso)
{
    std::string error;
    const std::optional<timeutil::Micros> instant = timeutil::parseInstant(iso, timeutil::Zone(), &error);
    if (!instant)
        QTest::qFail(error.c_str(), __FILE__, __LINE__);
    return instant.value_or(0);
}

timeutil::Micros minuteTime(int i)
{
    static const timeutil::Micros kStart = at("2030-01-01T00:00:00Z");
    return kStart + timeutil::Micros(i) * 60 * timeutil::kMicrosPerSecond;
}

std::string minutesCsv(const std::string &series, int from, int to)
{
    std::string csv = "time," + series + "\n";
    for (int i = from; i < to; ++i)
        csv += timeutil::formatIso(minuteTime(i)) + "," + std::to_string(i) + "\n";
    return csv;
}

std::string meterReadingsCsv(const std::string &series, timeutil::Micros from, timeutil::Micros to,
                             timeutil::Micros step, const std::function<bool(timeutil::Micros)> &missing, bool asNaN)
{
    constexpr double kDayUs = 86400.0 * timeutil::kMicrosPerSecond;
    std::mt19937 random(7);
    std::normal_distribution<double> noise(0, 1.5);
    std::string csv = "time," + series + "\n";
    for (timeutil::Micros time = from; time < to; time += step) {
        const double value
            = 50 + 12 * std::sin(2 * M_PI * double(time % timeutil::Micros(kDayUs)) / kDayUs) + noise(random);
        if (missing && missing(time)) {
            if (asNaN)
                csv += timeutil::formatIso(time) + ",NaN\n";
            continue;
        }
        char text[32];
        std::snprintf(text, sizeof text, "%.2f", value);
        csv += timeutil::formatIso(time) + "," + text + "\n";
    }
    return csv;
}

QString writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size())
        QTest::qFail(qPrintable("cannot write " + path + ": " + file.errorString()), __FILE__, __LINE__);
    return path;
}

} // namespace meterscope::test
