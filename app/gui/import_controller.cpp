#include "gui/import_controller.h"

#include "gui/connection.h"
#include "gui/layout_gate.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QMimeDatabase>
#include <QNetworkReply>
#include <QWidget>

namespace meterscope::app {

namespace {

QString displayName(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

// Empty when the file can be imported, else why not.
QString whyNotCsv(const QFileInfo &file)
{
    const QString name = displayName(file.filePath());
    if (!file.isReadable())
        return ImportController::tr("%1 cannot be read (permission denied).").arg(name);
    if (file.size() == 0)
        return ImportController::tr("%1 is empty.").arg(name);
    static const QStringList kTextSuffixes{"csv", "tsv", "txt"};
    if (kTextSuffixes.contains(file.suffix(), Qt::CaseInsensitive))
        return {};
    const QMimeType type = QMimeDatabase().mimeTypeForFile(file);
    if (type.name().startsWith("image/"))
        return ImportController::tr("%1 is an image (%2), not a CSV file.").arg(name, type.comment());
    if (type.inherits("text/plain"))
        return {};
    return ImportController::tr("%1 is not a CSV file (it is %2).").arg(name, type.comment());
}

QString megabytes(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

ImportController::ImportController(Connection &connection, Settings &settings, QWidget *window)
    : QObject(window)
    , m_connection(connection)
    , m_gate(new LayoutGate(connection, settings, window, this))
{
    connect(&m_rpc, &RpcThread::importProgress, this, &ImportController::onImportProgress);
    connect(&m_rpc, &RpcThread::imported, this, &ImportController::onImported);
    connect(&m_rpc, &RpcThread::failed, this, &ImportController::onFailed);
    connect(m_gate, &LayoutGate::decided, this, &ImportController::upload);
    connect(m_gate, &LayoutGate::declined, this, [this](const QString &reason, bool cancelled) {
        endCurrent({m_current.name, std::nullopt, reason, cancelled});
    });
    connect(m_gate, &LayoutGate::failed, this, &ImportController::onFailed);
    connect(&m_connection, &Connection::stateChanged, this, [this](Connection::State state) {
        if (state == Connection::State::Connected && !m_waitingPath.isEmpty())
            startImport(std::exchange(m_waitingPath, {}));
    });
}

ImportController::~ImportController()
{
    if (m_download)
        m_download->abort();
}

ImportPlan ImportController::plan(const QList<QUrl> &urls)
{
    ImportPlan plan;
    for (const QUrl &url : urls) {
        if (url.isLocalFile()) {
            const QFileInfo file(url.toLocalFile());
            if (!file.exists()) {
                plan.refusals << tr("%1 does not exist.").arg(displayName(file.filePath()));
            } else if (file.isDir()) {
                const QFileInfoList csvFiles = QDir(file.filePath()).entryInfoList({"*.csv"}, QDir::Files, QDir::Name);
                if (csvFiles.isEmpty())
                    plan.refusals << tr("The folder %1 holds no CSV files.").arg(displayName(file.filePath()));
                for (const QFileInfo &csv : csvFiles)
                    plan.sources.append({QUrl::fromLocalFile(csv.filePath()), csv.fileName(), csv.size()});
            } else if (const QString why = whyNotCsv(file); !why.isEmpty()) {
                plan.refusals << why;
            } else {
                plan.sources.append({url, file.fileName(), file.size()});
            }
        } else if (url.scheme() == "http" || url.scheme() == "https") {
            const QString name = url.fileName().isEmpty() ? url.host() + ".csv" : url.fileName();
            plan.sources.append({url, name, -1});
        } else {
            plan.refusals
                << tr("%1 cannot be imported: only files, folders and http(s) links can.").arg(url.toDisplayString());
        }
    }
    return plan;
}

void ImportController::importFiles(const QList<QUrl> &urls)
{
    emit requested(urls);
    const ImportPlan plan = ImportController::plan(urls);
    if (!plan.refusals.isEmpty()) {
        const QString why = plan.refusals.join(' ');
        emit refused(plan.sources.isEmpty() ? tr("Nothing was imported: %1").arg(why) : tr("Skipped: %1").arg(why));
    }
    if (plan.sources.isEmpty())
        return;
    m_queue.append(plan.sources);
    m_count += int(plan.sources.size());
    for (const ImportSource &source : plan.sources)
        m_totalBytes += std::max<qint64>(source.size, 0);
    if (!m_running) {
        m_running = true;
        next();
    }
}

void ImportController::cancel()
{
    if (!m_running)
        return;
    skipQueued(tr("not started"), true);
    if (m_download) {
        m_download->abort();
    } else if (!m_waitingPath.isEmpty()) {
        m_waitingPath.clear();
        endCurrent({m_current.name, std::nullopt, tr("nothing was stored"), true});
    } else if (m_gate->busy()) {
        m_gate->cancel();
    } else {
        // The server tells whether the cancel came in time.
        m_cancelling = true;
        m_rpc.cancel();
    }
}

void ImportController::skipQueued(const QString &reason, bool cancelled)
{
    for (const ImportSource &source : std::exchange(m_queue, {}))
        m_outcomes.append({source.name, std::nullopt, reason, cancelled});
}

void ImportController::next()
{
    if (m_queue.isEmpty()) {
        m_running = false;
        m_gate->endRun();
        const QList<ImportOutcome> outcomes = std::exchange(m_outcomes, {});
        m_number = m_count = 0;
        m_doneBytes = m_totalBytes = 0;
        emit finished(outcomes);
        return;
    }
    m_current = m_queue.takeFirst();
    ++m_number;
    if (m_current.url.isLocalFile())
        startImport(m_current.url.toLocalFile());
    else
        startDownload();
}

void ImportController::startDownload()
{
    m_downloaded = std::make_unique<QTemporaryFile>(QDir::tempPath() + "/meterscope-download-XXXXXX.csv");
    if (!m_downloaded->open()) {
        endCurrent({m_current.name, std::nullopt, tr("cannot create a temporary file to download into")});
        return;
    }
    m_download = m_network.get(QNetworkRequest(m_current.url));
    connect(m_download, &QNetworkReply::readyRead, this, [this] { m_downloaded->write(m_download->readAll()); });
    connect(m_download, &QNetworkReply::downloadProgress, this, [this](qint64 received, qint64 total) {
        emit progress(tr("Downloading %1 (%2 of %3) · %4")
                          .arg(m_current.name)
                          .arg(m_number)
                          .arg(m_count)
                          .arg(megabytes(received)),
                      total > 0 ? double(received) / double(total) : -1);
    });
    connect(m_download, &QNetworkReply::metaDataChanged, this, [this] {
        const QString type = m_download->header(QNetworkRequest::ContentTypeHeader).toString();
        if (type.startsWith("image/")) {
            emit refused(tr("Nothing was imported from %1: it is an image (%2), not a CSV file.")
                             .arg(m_current.url.toDisplayString(), type));
            m_downloadRefused = true;
            m_download->abort();
        }
    });
    connect(m_download, &QNetworkReply::finished, this, &ImportController::onDownloaded);
    emit progress(tr("Downloading %1 (%2 of %3)").arg(m_current.name).arg(m_number).arg(m_count), -1);
}

void ImportController::onDownloaded()
{
    QNetworkReply *reply = std::exchange(m_download, nullptr);
    reply->deleteLater();
    if (std::exchange(m_downloadRefused, false)) {
        endCurrent({m_current.name, std::nullopt, tr("not a CSV file")});
        return;
    }
    if (reply->error() == QNetworkReply::OperationCanceledError) {
        endCurrent({m_current.name, std::nullopt, tr("download stopped; nothing was stored"), true});
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        endCurrent({m_current.name, std::nullopt,
                    tr("cannot download %1: %2").arg(m_current.url.toDisplayString(), reply->errorString())});
        return;
    }
    m_downloaded->write(reply->readAll());
    m_downloaded->flush();
    m_current.size = m_downloaded->size();
    m_totalBytes += m_current.size;
    startImport(m_downloaded->fileName());
}

void ImportController::startImport(const QString &path)
{
    if (m_connection.state() != Connection::State::Connected) {
        m_waitingPath = path;
        emit progress(tr("Waiting for the server to import %1…").arg(m_current.name), -1);
        return;
    }
    emit progress(tr("Reading the layout of %1 (%2 of %3)").arg(m_current.name).arg(m_number).arg(m_count),
                  m_totalBytes > 0 ? double(m_doneBytes) / double(m_totalBytes) : -1);
    m_currentPath = path;
    m_gate->check(path, m_current.name);
}

void ImportController::upload(const client::ImportSettings &settings)
{
    emit progress(tr("Importing %1 (%2 of %3)").arg(m_current.name).arg(m_number).arg(m_count),
                  m_totalBytes > 0 ? double(m_doneBytes) / double(m_totalBytes) : -1);
    m_rpc.start([client = m_connection.client(), path = m_currentPath, name = m_current.name,
                 settings](RpcWorker &worker, quint64 generation, client::Cancellation &cancellation) {
        worker.importFile(client, generation, path, name, settings, cancellation);
    });
}

void ImportController::onImportProgress(quint64 bytes, quint64 rows)
{
    emit progress(tr("Importing %1 (%2 of %3) · %4 rows")
                      .arg(m_current.name)
                      .arg(m_number)
                      .arg(m_count)
                      .arg(QLocale().toString(qulonglong(rows))),
                  m_totalBytes > 0 ? double(m_doneBytes + qint64(bytes)) / double(m_totalBytes) : -1);
}

void ImportController::onImported(const v1::ImportReport &report, const QString &interruption)
{
    endCurrent({m_current.name, report, interruption, m_cancelling});
}

void ImportController::onFailed(const RpcError &error)
{
    if (error.unreachable()) {
        m_connection.reportFailure(error);
        skipQueued(tr("not imported: the server could not be reached"), false);
    }
    endCurrent({m_current.name, std::nullopt, error.message, error.cancelled()});
}

void ImportController::endCurrent(ImportOutcome outcome)
{
    m_downloaded.reset();
    m_cancelling = false;
    m_doneBytes += std::max<qint64>(m_current.size, 0);
    m_outcomes.append(std::move(outcome));
    next();
}

} // namespace meterscope::app
