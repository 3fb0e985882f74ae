#pragma once

#include "gui/layout_memory.h"
#include "gui/rpc_thread.h"

#include <QObject>
#include <QPointer>
#include <QSet>

class QAction;
class QWidget;

namespace meterscope::app {

class Connection;
class ImportPreviewDialog;
class RememberedLayoutsDialog;
class Settings;

/// Decides, file by file, how the ImportController uploads: it asks the
/// server's reader for the file's layout (a dry run of its start) and
/// imports the prototype's layout directly, a remembered layout with its
/// choice, and anything else only after the user checked it in the
/// ImportPreviewDialog (which remembers it). Files of a layout the user
/// skipped are skipped for the rest of the run. It also offers the list of
/// remembered layouts (layoutsAction()).
class LayoutGate : public QObject {
    Q_OBJECT

public:
    /// Dialogs open over `window`.
    LayoutGate(Connection &connection, Settings &settings, QWidget *window, QObject *parent = nullptr);
    ~LayoutGate() override;

    /// Starts deciding for the file at `path` (shown as `name`): ends in
    /// decided(), declined() or failed(). One file at a time.
    void check(const QString &path, const QString &name);
    /// Stops the check in progress (closing its preview): declined(), cancelled.
    void cancel();
    /// True from check() until its answer.
    bool busy() const { return m_checking; }
    /// The run of imports is over: layouts skipped in it are asked about again.
    void endRun() { m_skipped.clear(); }

    LayoutMemory *memory() const { return m_memory; }
    /// The preview on screen, if any.
    ImportPreviewDialog *previewDialog() const;
    /// File ▸ Import Layouts…: the remembered layouts, to see and forget.
    QAction *layoutsAction() const { return m_layoutsAction; }
    RememberedLayoutsDialog *layoutsDialog() const;

signals:
    /// Upload the file with these settings.
    void decided(const meterscope::client::ImportSettings &settings);
    /// Do not upload it; `reason` says why.
    void declined(const QString &reason, bool cancelled);
    /// The server could not tell the layout (unreachable, not a CSV file).
    void failed(const meterscope::app::RpcError &error);
    /// A preview opened for the file being checked.
    void previewOpened(meterscope::app::ImportPreviewDialog *dialog);

private:
    void onPreviewed(const v1::ImportReport &report);
    void openPreview(const v1::ImportReport &report);
    void showLayouts();
    void finish();

    Connection &m_connection;
    QWidget *m_window;
    LayoutMemory *m_memory;
    RpcThread m_rpc;
    bool m_checking = false;
    QString m_path;
    QString m_name;
    // The header the file showed with nothing set: the layout's key.
    QStringList m_key;
    QSet<QStringList> m_skipped;
    QPointer<ImportPreviewDialog> m_preview;
    QAction *m_layoutsAction;
    QPointer<RememberedLayoutsDialog> m_layoutsDialog;
};

} // namespace meterscope::app
