#pragma once

#include <QList>
#include <QString>
#include <QUrl>

class QFileDialog;
class QInputDialog;
class QMessageBox;
class QWidget;

namespace meterscope::app {

class DisplayZone;
class Settings;

// The dialogs the main window asks the user something with. Each opens
// without blocking (tests drive them), deletes itself when closed, and is
// returned for the caller to connect to.

/// File ▸ Import CSV…: CSV files, opening in the folder of the files last
/// imported (Settings::lastImportFolder(), else home).
QFileDialog *openImportDialog(QWidget *parent, const Settings &settings);

/// Remembers where `urls` came from for the next import dialog: the folder
/// of the first local file (or the folder itself, when one was dropped).
/// Links change nothing.
void rememberImportFolder(Settings &settings, const QList<QUrl> &urls);

/// A save or export dialog for `fileName`, opening in the folder last
/// saved to (Settings::lastSaveFolder(), else home, never the import
/// folder); the folder of the file chosen becomes the next one's.
QFileDialog *openSaveDialog(QWidget *parent, Settings &settings, const QString &title, const QString &fileName,
                            const QString &filter);

/// View ▸ Time Zone ▸ Other Zone…: every IANA zone to pick or type,
/// `current` selected; wide enough for the longest names.
QInputDialog *openZoneDialog(QWidget *parent, const DisplayZone &current);

/// A line of text to type, `label` above it and `text` in it.
QInputDialog *openTextDialog(QWidget *parent, const QString &title, const QString &label, const QString &text);

/// File ▸ Import from URL…: an address to type, in a field wide enough
/// for one.
QInputDialog *openUrlDialog(QWidget *parent);

/// Closing the window while an import runs: Quit Anyway (the destructive
/// role) or Keep Importing.
QMessageBox *openQuitQuestion(QWidget *parent);

} // namespace meterscope::app
