#include "gui/single_instance.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocalSocket>
#include <QLockFile>
#include <QStandardPaths>
#include <QTimer>

#include <cstdio>

namespace meterscope::app {

namespace {

constexpr int kConnectMs = 1000;
// The running app answers from its event loop, which never blocks for long.
constexpr int kAnswerMs = 5000;
constexpr int kLockMs = 10000;
constexpr qint64 kMaxHandoverBytes = 1 << 20;

QString runtimeFile(const char *name)
{
    return QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation) + '/' + name;
}

} // namespace

QByteArray Handover::toJson() const
{
    QJsonArray list;
    for (const QUrl &url : urls)
        list.append(url.toString());
    const QJsonObject object{
        {"urls", list}, {"series", series}, {"zone", zone}, {"server", server}, {"dataDir", dataDir}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

std::optional<Handover> Handover::fromJson(const QByteArray &line)
{
    const QJsonDocument document = QJsonDocument::fromJson(line);
    if (!document.isObject())
        return std::nullopt;
    const QJsonObject object = document.object();
    Handover handover;
    for (const QJsonValue &url : object.value("urls").toArray())
        handover.urls << QUrl(url.toString());
    handover.series = object.value("series").toString();
    handover.zone = object.value("zone").toString();
    handover.server = object.value("server").toString();
    handover.dataDir = object.value("dataDir").toString();
    return handover;
}

SingleInstance::SingleInstance(QObject *parent)
    : QObject(parent)
{
    m_server.setSocketOptions(QLocalServer::UserAccessOption);
    connect(&m_server, &QLocalServer::newConnection, this, &SingleInstance::onConnection);
}

SingleInstance::~SingleInstance() = default;

SingleInstance::Launch SingleInstance::start(const Handover &handover, qint64 *runningPid)
{
    const QString socketPath = runtimeFile("meterscope-app.sock");
    // Held until this launch either handed over or listens.
    QLockFile lock(runtimeFile("meterscope-app.lock"));
    lock.tryLock(kLockMs);

    QLocalSocket socket;
    socket.connectToServer(socketPath);
    if (socket.waitForConnected(kConnectMs)) {
        socket.write(handover.toJson());
        while (!socket.canReadLine() && socket.waitForReadyRead(kAnswerMs)) { }
        const QJsonObject answer = QJsonDocument::fromJson(socket.readLine()).object();
        if (answer.isEmpty()) {
            std::fprintf(stderr,
                         "meterscope: the Meterscope already running did not answer on %s; opening another "
                         "window\n",
                         qPrintable(socketPath));
            return Launch::Separate;
        }
        if (runningPid)
            *runningPid = answer.value("pid").toInteger();
        return answer.value("taken").toBool() ? Launch::HandedOver : Launch::Separate;
    }
    // Nobody answers: no socket, or one left by a crash.
    QLocalServer::removeServer(socketPath);
    if (!m_server.listen(socketPath))
        std::fprintf(stderr, "meterscope: cannot listen on %s (%s); a second launch will open a second window\n",
                     qPrintable(socketPath), qPrintable(m_server.errorString()));
    return Launch::First;
}

void SingleInstance::onConnection()
{
    while (QLocalSocket *client = m_server.nextPendingConnection()) {
        connect(client, &QLocalSocket::disconnected, client, &QObject::deleteLater);
        // A launch that connects and says nothing is not waited for.
        QTimer::singleShot(kAnswerMs, client, &QLocalSocket::abort);
        connect(client, &QLocalSocket::readyRead, this, [this, client] {
            if (!client->canReadLine()) {
                if (client->bytesAvailable() > kMaxHandoverBytes)
                    client->abort();
                return;
            }
            const std::optional<Handover> handover = Handover::fromJson(client->readLine());
            const bool taken = handover && m_accepts(*handover);
            const QJsonObject answer{{"taken", taken}, {"pid", QCoreApplication::applicationPid()}};
            client->write(QJsonDocument(answer).toJson(QJsonDocument::Compact) + '\n');
            client->disconnectFromServer();
            if (taken)
                emit handedOver(*handover);
        });
    }
}

} // namespace meterscope::app
