#pragma once

#include "gui/rpc_thread.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTemporaryFile>
#include <QUrl>

#include <memory>
#include <optional>

class QNetworkReply;

namespace meterscope::app {

class Connection;
class LayoutGate;
class Settings;

/// One thing to import: a local file or an http(s) URL.
struct ImportSource {
    QUrl url;
    /// The name users see, and the server's name for the upload.
    QString name;
    /// Bytes; -1 while unknown (downloads).
    qint64 size = -1;
};

/// What importing a list of URLs would do, decided before anything is sent.
struct ImportPlan {
    QList<ImportSource> sources;
    /// A sentence per thing that cannot be imported, saying why.
    QStringList refusals;
};

/// How the import of one source ended.
struct ImportOutcome {
    QString name;
    /// Present when the server finished the import (it may have rejected lines).
    std::optional<v1::ImportReport> report;
    /// Why there is no report; with a report, how the call ended before
    /// the server said it had stored the file.
    QString error;
    bool cancelled = false;
};

/// The one import path of the app. The file dialog, drag-and-drop, the
/// command line and URLs all call importFiles(): local CSV files, the CSV
/// files of folders, and http(s) URLs (downloaded with Qt Network first)
/// are uploaded one after another over the Import RPC on a worker thread,
/// with one overall progress and a Cancel that leaves the file being
/// imported unstored. Files wait while the server cannot be reached. Before
/// its upload, the LayoutGate decides how each file is read (directly, as
/// remembered, or after the import preview).
class ImportController : public QObject {
    Q_OBJECT

public:
    /// Import previews open over `window`; remembered layouts live in `settings`.
    ImportController(Connection &connection, Settings &settings, QWidget *window);
    ~ImportController() override;

    /// Sorts `urls` into what can be imported and what cannot (images,
    /// empty folders, other links), looking only at names, types and folder
    /// listings.
    static ImportPlan plan(const QList<QUrl> &urls);

    /// Imports what plan() accepts, after anything already queued. What it
    /// refuses is reported by refused(); when nothing is left, nothing is sent.
    void importFiles(const QList<QUrl> &urls);
    /// Stops: the file being imported leaves nothing stored, the rest are skipped.
    void cancel();
    bool busy() const { return m_running; }
    LayoutGate *layoutGate() const { return m_gate; }

signals:
    /// importFiles() was called, by whichever path.
    void requested(const QList<QUrl> &urls);
    /// Some or all of the given things cannot be imported; `message` says why.
    void refused(const QString &message);
    /// Overall progress: what is happening and the share done (negative = unknown).
    void progress(const QString &text, double fraction);
    /// Everything queued has been dealt with (or cancelled): one outcome per source.
    void finished(const QList<meterscope::app::ImportOutcome> &outcomes);

private:
    void next();
    void startDownload();
    void onDownloaded();
    void startImport(const QString &path);
    void upload(const client::ImportSettings &settings);
    void onImportProgress(quint64 bytes, quint64 rows);
    void onImported(const v1::ImportReport &report, const QString &interruption);
    void onFailed(const RpcError &error);
    void endCurrent(ImportOutcome outcome);
    void skipQueued(const QString &reason, bool cancelled);

    Connection &m_connection;
    RpcThread m_rpc;
    LayoutGate *m_gate;
    QNetworkAccessManager m_network;

    QList<ImportSource> m_queue;
    QList<ImportOutcome> m_outcomes;
    bool m_running = false;
    ImportSource m_current;
    // The file of m_current on disk (downloads: a temporary copy).
    QString m_currentPath;
    int m_number = 0;
    int m_count = 0;
    qint64 m_doneBytes = 0;
    qint64 m_totalBytes = 0;

    QNetworkReply *m_download = nullptr;
    bool m_downloadRefused = false;
    std::unique_ptr<QTemporaryFile> m_downloaded;
    // A path waiting for the connection before its upload starts.
    QString m_waitingPath;
    // Cancel was pressed during the upload of m_current.
    bool m_cancelling = false;
};

} // namespace meterscope::app

Q_DECLARE_METATYPE(meterscope::app::ImportOutcome)
