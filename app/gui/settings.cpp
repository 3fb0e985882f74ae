#include "gui/settings.h"

#include <QFile>

namespace meterscope::app {

namespace {

constexpr auto kConnection = "connection";
constexpr auto kServer = "connection/server";
constexpr auto kTls = "connection/tls";
constexpr auto kTlsCa = "connection/tlsCa";
constexpr auto kTlsCert = "connection/tlsCert";
constexpr auto kTlsKey = "connection/tlsKey";
constexpr auto kToken = "connection/token";
constexpr auto kLastImportFolder = "import/lastFolder";
constexpr auto kLastSaveFolder = "export/lastFolder";
constexpr auto kDisplayZone = "view/displayZone";
constexpr auto kLastSeries = "view/lastSeries";
constexpr auto kImportLayouts = "importLayouts";
constexpr auto kLayoutHeader = "header";
constexpr auto kLayoutFile = "file";
constexpr auto kLayoutColumns = "columns";
constexpr auto kLayoutDelimiter = "delimiter";
constexpr auto kLayoutSkipLines = "skipLines";
constexpr auto kLayoutRoles = "roles";
constexpr auto kLayoutTimeFormat = "timeFormat";
constexpr auto kLayoutTimeZone = "timeZone";
constexpr auto kPrices = "prices";
constexpr auto kWindowGeometry = "window/geometry";
constexpr auto kSplitterState = "window/splitter";

// Series names may hold anything, '/' (a group to QSettings) included.
QString priceKey(const QString &series)
{
    return QString(kPrices) + "/" + QString::fromLatin1(series.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
}

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

std::optional<client::ConnectionOptions> Settings::server() const
{
    const QString address = m_settings->value(kServer).toString();
    if (address.isEmpty())
        return std::nullopt;
    const auto text = [this](const char *key) { return m_settings->value(key).toString().toStdString(); };
    client::ConnectionOptions server;
    server.address = address.toStdString();
    server.tls = m_settings->value(kTls, false).toBool();
    server.tlsCaFile = text(kTlsCa);
    server.tlsCertFile = text(kTlsCert);
    server.tlsKeyFile = text(kTlsKey);
    server.token = text(kToken);
    return server;
}

void Settings::setServer(const std::optional<client::ConnectionOptions> &server)
{
    m_settings->remove(kConnection);
    if (!server)
        return;
    m_settings->setValue(kServer, QString::fromStdString(server->address));
    m_settings->setValue(kTls, server->tls);
    const auto setText = [this](const char *key, const std::string &value) {
        if (!value.empty())
            m_settings->setValue(key, QString::fromStdString(value));
    };
    setText(kTlsCa, server->tlsCaFile);
    setText(kTlsCert, server->tlsCertFile);
    setText(kTlsKey, server->tlsKeyFile);
    if (!server->token.empty()) {
        // Private before the token is written to it (rewrites keep the mode).
        m_settings->sync();
        QFile::setPermissions(m_settings->fileName(), QFile::ReadOwner | QFile::WriteOwner);
        setText(kToken, server->token);
    }
}

QString Settings::lastImportFolder() const
{
    return m_settings->value(kLastImportFolder).toString();
}

void Settings::setLastImportFolder(const QString &folder)
{
    m_settings->setValue(kLastImportFolder, folder);
}

QString Settings::lastSaveFolder() const
{
    return m_settings->value(kLastSaveFolder).toString();
}

void Settings::setLastSaveFolder(const QString &folder)
{
    m_settings->setValue(kLastSaveFolder, folder);
}

DisplayZone Settings::displayZone() const
{
    return DisplayZone::fromString(m_settings->value(kDisplayZone, "UTC").toString());
}

void Settings::setDisplayZone(const DisplayZone &zone)
{
    m_settings->setValue(kDisplayZone, zone.toString());
}

std::optional<double> Settings::price(const QString &series) const
{
    const QVariant value = m_settings->value(priceKey(series));
    bool ok = false;
    const double price = value.toDouble(&ok);
    return value.isValid() && ok ? std::optional(price) : std::nullopt;
}

void Settings::setPrice(const QString &series, std::optional<double> price)
{
    if (price)
        m_settings->setValue(priceKey(series), *price);
    else
        m_settings->remove(priceKey(series));
}

QString Settings::lastSeries() const
{
    return m_settings->value(kLastSeries).toString();
}

void Settings::setLastSeries(const QString &name)
{
    m_settings->setValue(kLastSeries, name);
}

QList<RememberedLayout> Settings::importLayouts() const
{
    QList<RememberedLayout> layouts;
    const int count = m_settings->beginReadArray(kImportLayouts);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        RememberedLayout layout;
        layout.header = m_settings->value(kLayoutHeader).toStringList();
        layout.fileName = m_settings->value(kLayoutFile).toString();
        layout.columns = m_settings->value(kLayoutColumns).toStringList();
        LayoutChoice &choice = layout.choice;
        choice.delimiter = m_settings->value(kLayoutDelimiter).toString();
        if (const QVariant skip = m_settings->value(kLayoutSkipLines); skip.isValid())
            choice.skipLines = skip.toInt();
        for (const QString &key : m_settings->value(kLayoutRoles).toStringList())
            choice.roles << roleFromKey(key).value_or(v1::COLUMN_ROLE_IGNORED);
        choice.timeFormat = m_settings->value(kLayoutTimeFormat).toString();
        choice.timeZone = m_settings->value(kLayoutTimeZone).toString();
        if (!layout.header.isEmpty())
            layouts << layout;
    }
    m_settings->endArray();
    return layouts;
}

void Settings::setImportLayouts(const QList<RememberedLayout> &layouts)
{
    m_settings->remove(kImportLayouts);
    m_settings->beginWriteArray(kImportLayouts, int(layouts.size()));
    for (int i = 0; i < layouts.size(); ++i) {
        m_settings->setArrayIndex(i);
        const RememberedLayout &layout = layouts[i];
        m_settings->setValue(kLayoutHeader, layout.header);
        m_settings->setValue(kLayoutFile, layout.fileName);
        m_settings->setValue(kLayoutColumns, layout.columns);
        const LayoutChoice &choice = layout.choice;
        m_settings->setValue(kLayoutDelimiter, choice.delimiter);
        if (choice.skipLines)
            m_settings->setValue(kLayoutSkipLines, *choice.skipLines);
        QStringList roles;
        for (const v1::ColumnRole role : choice.roles)
            roles << roleKey(role);
        m_settings->setValue(kLayoutRoles, roles);
        m_settings->setValue(kLayoutTimeFormat, choice.timeFormat);
        m_settings->setValue(kLayoutTimeZone, choice.timeZone);
    }
    m_settings->endArray();
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
