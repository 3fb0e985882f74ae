#pragma once

#include "client/client.h"
#include "gui/display_zone.h"
#include "gui/layout_choice.h"

#include <QByteArray>
#include <QSettings>
#include <QString>

#include <memory>
#include <optional>

namespace meterscope::app {

/// Everything the app remembers between runs, typed. The only place that
/// knows QSettings keys.
class Settings {
public:
    /// The user's settings (~/.config/Meterscope/meterscope.ini).
    Settings();
    /// Settings kept in the INI file `fileName` (tests).
    explicit Settings(const QString &fileName);
    ~Settings();

    /// The server to connect to, with its TLS files and token; none =
    /// start the local one. A stored token makes the file readable by its
    /// owner only.
    std::optional<client::ConnectionOptions> server() const;
    void setServer(const std::optional<client::ConnectionOptions> &server);

    /// Where File ▸ Import CSV… opens: the folder of the files last
    /// imported (chosen or dropped); empty = the home folder.
    QString lastImportFolder() const;
    void setLastImportFolder(const QString &folder);

    /// Where the save and export dialogs open: the folder last saved to;
    /// empty = the home folder.
    QString lastSaveFolder() const;
    void setLastSaveFolder(const QString &folder);

    DisplayZone displayZone() const;
    void setDisplayZone(const DisplayZone &zone);

    /// The series shown when the app closed.
    QString lastSeries() const;
    void setLastSeries(const QString &name);

    /// The import layouts the user confirmed in the preview (LayoutMemory).
    QList<RememberedLayout> importLayouts() const;
    void setImportLayouts(const QList<RememberedLayout> &layouts);

    /// The price per unit of a series' usage (the Totals tab's cost); none
    /// when not set.
    std::optional<double> price(const QString &series) const;
    void setPrice(const QString &series, std::optional<double> price);

    /// QWidget::saveGeometry() of the main window.
    QByteArray windowGeometry() const;
    void setWindowGeometry(const QByteArray &geometry);

    /// QSplitter::saveState() of the series list | chart splitter.
    QByteArray splitterState() const;
    void setSplitterState(const QByteArray &state);

    /// Writes pending changes to disk.
    void sync();

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace meterscope::app
