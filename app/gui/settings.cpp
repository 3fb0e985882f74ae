#include "gui/settings.h"

namespace meterscope::app {

namespace {

constexpr auto kServer = "connection/server";
constexpr auto kLastImportFolder = "import/lastFolder";
constexpr auto kDisplayZone = "view/displayZone";
constexpr auto kLastSeries = "view/lastSeries";
constexpr auto kWindowGeometry = "window/geometry";
constexpr auto kSplitterState = "window/splitter";

} // namespace

Settings::Settings()
    : m_settings(std::make_unique<QSettings>(QSettings::IniFormat, QSettings::UserScope, "Meterscope", "meterscope"))
{
}

Settings::Settings(const QString &fileName)
    : m_settings(std::make_unique<QSettings>(fileName, QSettings::IniFormat))
{
}

Settings::~Settings() = default;

QString Settings::server() const
{
    return m_settings->value(kServer).toString();
}

void Settings::setServer(const QString &address)
{
    m_settings->setValue(kServer, address);
}

QString Settings::lastImportFolder() const
{
    return m_settings->value(kLastImportFolder).toString();
}

void Settings::setLastImportFolder(const QString &folder)
{
    m_settings->setValue(kLastImportFolder, folder);
}

DisplayZone Settings::displayZone() const
{
    return DisplayZone::fromString(m_settings->value(kDisplayZone, "UTC").toString());
}

void Settings::setDisplayZone(const DisplayZone &zone)
{
    m_settings->setValue(kDisplayZone, zone.toString());
}

QString Settings::lastSeries() const
{
    return m_settings->value(kLastSeries).toString();
}

void Settings::setLastSeries(const QString &name)
{
    m_settings->setValue(kLastSeries, name);
}

QByteArray Settings::windowGeometry() const
{
    return m_settings->value(kWindowGeometry).toByteArray();
}

void Settings::setWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(kWindowGeometry, geometry);
}

QByteArray Settings::splitterState() const
{
    return m_settings->value(kSplitterState).toByteArray();
}

void Settings::setSplitterState(const QByteArray &state)
{
    m_settings->setValue(kSplitterState, state);
}

void Settings::sync()
{
    m_settings->sync();
}

} // namespace meterscope::app
