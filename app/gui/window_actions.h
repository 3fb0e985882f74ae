#pragma once

class QAction;
class QBoxLayout;
class QMainWindow;
class QObject;
class QWidget;

namespace meterscope::app {

class DisplayZone;

/// The main window's commands as actions, with their names, shortcuts,
/// icons and tooltips, and the menus and toolbar that show them. The
/// window connects each to what it does.
struct WindowActions {
    /// Creates the window's own actions, children of `parent`, beside two
    /// that others own: File ▸ Import Layouts… (`layoutsAction`) and the
    /// chart's Reset Zoom (`resetZoomAction`).
    WindowActions(QAction *layoutsAction, QAction *resetZoomAction, QObject *parent);

    /// Adds the File, View and Help menus and the main toolbar to `window`.
    void addTo(QMainWindow &window) const;
    /// Checks the Time Zone action of `zone`; Other Zone names a named one.
    void showZone(const DisplayZone &zone) const;
    /// Enables what needs a series `shown`, and a server `connected`.
    void enable(bool shown, bool connected) const;

    QAction *importFiles;
    QAction *importUrl;
    QAction *layouts;
    QAction *exportChart;
    QAction *exportCsv;
    QAction *exportJson;
    QAction *exportTotals;
    QAction *connectToServer;
    QAction *quit;
    QAction *resetZoom;
    QAction *live;
    QAction *utc;
    QAction *local;
    QAction *otherZone;
    QAction *about;
};

/// A flat button for `action` (text beside its icon) at the end of a
/// view's bar, as the JSON and Totals tabs put Save… there.
void addBarButton(QBoxLayout &bar, QAction *action, QWidget *parent);

} // namespace meterscope::app
