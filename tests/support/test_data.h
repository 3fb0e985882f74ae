#pragma once

#include "time/micros.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <string>

namespace meterscope::test {

/// An instant the test writes in ISO 8601 ("2019-01-01T00:15:00Z").
timeutil::Micros at(const char *iso);

/// Minute `i` of the minute series the tests import: 2030-01-01T00:00:00Z
/// plus `i` minutes.
timeutil::Micros minuteTime(int i);

/// A CSV of minutes [from, to) of `series`: a `time,<series>` header, then
/// the value i at minute i.
std::string minutesCsv(const std::string &series, int from, int to);

/// A meter's readings as a CSV (`time,<series>`, ISO times): one every
/// `step` in [from, to), a daily profile with seeded noise, except where
/// `missing` says a reading is not there (written as NaN, as the sample does,
/// when `asNaN`; left out otherwise).
std::string meterReadingsCsv(const std::string &series, timeutil::Micros from, timeutil::Micros to,
                             timeutil::Micros step, const std::function<bool(timeutil::Micros)> &missing = {},
                             bool asNaN = false);

/// Writes `content` to `path`, replacing the file, and returns the path. A
/// file that cannot be written fails the running test.
QString writeFile(const QString &path, const QByteArray &content);

} // namespace meterscope::test
