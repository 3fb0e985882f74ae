#include "gui/window_actions.h"

#include "gui/display_zone.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QBoxLayout>
#include <QMainWindow>
#include <QMenuBar>
#include <QStyle>
#include <QToolBar>
#include <QToolButton>

namespace meterscope::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("MainWindow", text);
}

QIcon themeIcon(const char *name, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(name, QApplication::style()->standardIcon(fallback));
}

} // namespace

WindowActions::WindowActions(QAction *layoutsAction, QAction *resetZoomAction, QObject *parent)
    : importFiles(new QAction(themeIcon("document-import", QStyle::SP_DialogOpenButton), tr("&Import CSV…"), parent))
    , importUrl(new QAction(tr("Import from &URL…"), parent))
    , layouts(layoutsAction)
    , exportChart(new QAction(themeIcon("document-save-as", QStyle::SP_DialogSaveButton), tr("Export &Chart as Image…"),
                              parent))
    , exportCsv(new QAction(tr("Export Series as &CSV…"), parent))
    , exportJson(
          new QAction(themeIcon("document-save", QStyle::SP_DialogSaveButton), tr("Save Series as &JSON…"), parent))
    , exportTotals(
          new QAction(themeIcon("document-save", QStyle::SP_DialogSaveButton), tr("Save &Totals as JSON…"), parent))
    , connectToServer(new QAction(tr("Connect to &Server…"), parent))
    , quit(new QAction(tr("&Quit"), parent))
    , resetZoom(resetZoomAction)
    , live(new QAction(themeIcon("media-playback-start", QStyle::SP_MediaPlay), tr("&Live"), parent))
    , about(new QAction(tr("&About Meterscope"), parent))
{
    importFiles->setShortcut(QKeySequence::Open);
    importFiles->setToolTip(tr("Import CSV files (Ctrl+O); you can also drop files, folders or links on the window"));
    exportChart->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportChart->setToolTip(tr("Save the chart as shown, as PNG or SVG"));
    exportJson->setShortcut(QKeySequence::Save);
    exportJson->setToolTip(tr("Save every point of the series as JSON (Ctrl+S)"));
    exportTotals->setToolTip(tr("Save the series' totals per period of the Totals tab as JSON, keyed by their start"));
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);
    resetZoom->setIcon(themeIcon("zoom-original", QStyle::SP_BrowserReload));
    live->setCheckable(true);
    live->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    live->setToolTip(tr("Follow new points of the series as they arrive (Ctrl+L)"));

    auto *zones = new QActionGroup(parent);
    utc = zones->addAction(tr("UTC"));
    local = zones->addAction(tr("Local Time (%1)").arg(DisplayZone::local().label()));
    otherZone = zones->addAction(tr("Other Zone…"));
    for (QAction *action : zones->actions())
        action->setCheckable(true);
}

void WindowActions::addTo(QMainWindow &window) const
{
    QMenu *file = window.menuBar()->addMenu(tr("&File"));
    file->addActions({importFiles, importUrl, layouts});
    file->addSeparator();
    file->addActions({exportChart, exportCsv, exportJson, exportTotals});
    file->addSeparator();
    file->addAction(connectToServer);
    file->addSeparator();
    file->addAction(quit);

    QMenu *view = window.menuBar()->addMenu(tr("&View"));
    view->addActions({resetZoom, live});
    view->addSeparator();
    QMenu *zone = view->addMenu(tr("&Time Zone"));
    zone->addActions({utc, local, otherZone});

    QMenu *help = window.menuBar()->addMenu(tr("&Help"));
    help->addAction(about);

    QToolBar *toolBar = window.addToolBar(tr("Main"));
    toolBar->setObjectName("mainToolBar");
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(importFiles);
    toolBar->addSeparator();
    toolBar->addActions({resetZoom, live});
    toolBar->addSeparator();
    toolBar->addAction(exportChart);
}

void WindowActions::showZone(const DisplayZone &zone) const
{
    const bool other = zone.kind() == DisplayZone::Kind::Named;
    otherZone->setText(other ? tr("Other Zone (%1)…").arg(zone.label()) : tr("Other Zone…"));
    (zone.kind() == DisplayZone::Kind::Utc ? utc : other ? otherZone : local)->setChecked(true);
}

void WindowActions::enable(bool shown, bool connected) const
{
    exportChart->setEnabled(shown);
    exportCsv->setEnabled(shown && connected);
    exportJson->setEnabled(shown && connected);
    exportTotals->setEnabled(shown && connected);
    live->setEnabled(shown);
    resetZoom->setEnabled(shown);
}

void addBarButton(QBoxLayout &bar, QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setAutoRaise(true);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar.addWidget(button);
}

} // namespace meterscope::app
