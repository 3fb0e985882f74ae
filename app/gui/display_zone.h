#pragma once

#include "time/zone.h"

#include <QString>

namespace meterscope::app {

/// The zone the app shows times in: UTC (the default), the machine's local
/// zone, or a named IANA zone. The chart axis, the crosshair, the JSON view
/// and exports all follow it.
class DisplayZone {
public:
    enum class Kind { Utc, Local, Named };

    /// UTC.
    DisplayZone() = default;
    static DisplayZone local();
    /// Throws std::invalid_argument, naming the zone, when it does not exist.
    static DisplayZone named(const QString &name);
    /// Reads what toString() wrote ("UTC", "local" or an IANA name); UTC
    /// when the text names no zone.
    static DisplayZone fromString(const QString &text);
    QString toString() const;

    Kind kind() const { return m_kind; }
    /// For titles and menus: "UTC", "local time, Europe/Berlin", "Europe/Berlin".
    QString label() const;
    /// A fresh converter (timeutil::Zone caches, so each user gets its own).
    timeutil::Zone zone() const { return m_zone; }

    bool operator==(const DisplayZone &other) const { return m_kind == other.m_kind && m_name == other.m_name; }

private:
    Kind m_kind = Kind::Utc;
    QString m_name = QStringLiteral("UTC");
    timeutil::Zone m_zone;
};

/// An instant as a wall-clock time in `zone`, formatted with a QDateTime
/// format such as "yyyy-MM-dd HH:mm".
QString formatWallTime(qint64 utcMicros, const timeutil::Zone &zone, const QString &format);

} // namespace meterscope::app
