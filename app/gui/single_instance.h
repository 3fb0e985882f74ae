#pragma once

#include <QByteArray>
#include <QLocalServer>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>
#include <optional>

namespace meterscope::app {

/// What a launch hands to the Meterscope already running: the files to
/// import and the options that concern its window.
struct Handover {
    /// Files, folders and links, as absolute URLs.
    QList<QUrl> urls;
    /// --series; empty = none.
    QString series;
    /// --timezone as DisplayZone::toString() writes it; empty = none.
    QString zone;
    /// --server's address; empty = none given.
    QString server;
    /// --data-dir, absolute; empty = none given.
    QString dataDir;

    /// One line of JSON, as it goes over the socket.
    QByteArray toJson() const;
    /// None when `line` is not what toJson() writes.
    static std::optional<Handover> fromJson(const QByteArray &line);
};

/// One Meterscope window per user, as desktop apps have: the first launch
/// listens on `meterscope-app.sock` in the user's private runtime folder;
/// a later launch (a second `meterscope file.csv`, a file opened from the
/// file manager) hands its files to it over that socket and exits. A stale
/// socket left by a crash is replaced; a lock file keeps two launches at
/// the same moment from both taking the socket.
class SingleInstance : public QObject {
    Q_OBJECT

public:
    enum class Launch {
        /// No Meterscope was running: this one takes later launches.
        First,
        /// The running one took the handover: this launch is done.
        HandedOver,
        /// The running one did not take it (another server or data
        /// folder), or did not answer: this launch opens its own window.
        Separate,
    };

    explicit SingleInstance(QObject *parent = nullptr);
    ~SingleInstance() override;

    /// Hands `handover` to the Meterscope already running, or becomes the
    /// one that later launches hand theirs to. Blocks for at most a few
    /// seconds, before any window exists. `runningPid` is set to the pid
    /// of the one that took it.
    Launch start(const Handover &handover, qint64 *runningPid = nullptr);

    /// Whether this app takes a later launch's handover (the First one
    /// asks this for each); by default it takes every one.
    void setAcceptor(std::function<bool(const Handover &)> accepts) { m_accepts = std::move(accepts); }

signals:
    /// A later launch handed this over, and it was accepted.
    void handedOver(const meterscope::app::Handover &handover);

private:
    void onConnection();

    QLocalServer m_server;
    std::function<bool(const Handover &)> m_accepts = [](const Handover &) { return true; };
};

} // namespace meterscope::app
