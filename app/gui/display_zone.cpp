#include "gui/display_zone.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

#include <stdexcept>

namespace meterscope::app {

QString formatWallTime(qint64 utcMicros, const timeutil::Zone &zone, const QString &format)
{
    const qint64 wallMs = utcMicros / 1000 + qint64(zone.offsetSecondsAt(utcMicros)) * 1000;
    return QDateTime::fromMSecsSinceEpoch(wallMs, QTimeZone::utc()).toString(format);
}

DisplayZone DisplayZone::local()
{
    DisplayZone zone;
    zone.m_kind = Kind::Local;
    zone.m_zone = timeutil::Zone::local();
    zone.m_name = QString::fromStdString(zone.m_zone.name());
    return zone;
}

DisplayZone DisplayZone::named(const QString &name)
{
    DisplayZone zone;
    zone.m_zone = timeutil::Zone::byName(name.trimmed().toStdString());
    zone.m_name = QString::fromStdString(zone.m_zone.name());
    zone.m_kind = zone.m_zone.isUtc() ? Kind::Utc : Kind::Named;
    return zone;
}

DisplayZone DisplayZone::fromString(const QString &text)
{
    if (text == QLatin1String("local"))
        return local();
    try {
        return named(text);
    } catch (const std::invalid_argument &) {
        return {};
    }
}

QString DisplayZone::toString() const
{
    return m_kind == Kind::Local ? QStringLiteral("local") : m_name;
}

QString DisplayZone::label() const
{
    if (m_kind == Kind::Local)
        return QCoreApplication::translate("DisplayZone", "local time, %1").arg(m_name);
    return m_name;
}

} // namespace meterscope::app
