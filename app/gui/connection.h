#pragma once

#include "gui/rpc_thread.h"

#include <QObject>
#include <QTimer>

namespace meterscope::app {

/// The app's link to one server: the shared client, the series list it
/// reports, and whether it can be reached. A state machine: Connecting →
/// Connected, and on any failure Unreachable, retrying by itself with a
/// growing pause (1 s, 2 s, 4 s … 30 s) until the server answers again.
/// While connected it asks for the series list every few seconds, which
/// also notices a server that went away.
class Connection : public QObject {
    Q_OBJECT

public:
    enum class State {
        /// No address yet (the local server is starting), or it failed to start.
        Idle,
        Connecting,
        Connected,
        Unreachable,
    };
    Q_ENUM(State)

    explicit Connection(QObject *parent = nullptr);
    ~Connection() override;

    /// Connects to the server `options` name (address, TLS, token) and
    /// keeps watching it. `name` is how messages call it ("the local
    /// server"); empty = the address.
    void connectTo(client::ConnectionOptions options, const QString &name = {});
    /// Drops the address until connectTo() gives one: while the local server
    /// starts, or with `problem` when it could not (Retry then emits
    /// retryRequested()).
    void waitForAddress(const QString &problem = {});
    /// Whether to retry by itself after failures (scripts want one try).
    void setAutoRetry(bool enabled) { m_autoRetry = enabled; }

    State state() const { return m_state; }
    QString address() const { return m_address; }
    /// The state in a few plain words, e.g. "Connected to 127.0.0.1:50051"
    /// or "Cannot reach 127.0.0.1:50051. Retrying in 4 s."
    QString message() const;
    /// What went wrong last, in a sentence (the client's, or why the local
    /// server did not start); empty when nothing did.
    QString detail() const { return m_problem; }
    /// The client every RPC goes through; null before connectTo().
    ClientPtr client() const { return m_client; }
    /// The series as last listed.
    const QList<SeriesInfo> &series() const { return m_series; }
    /// The series named `name`, if the server listed it.
    std::optional<SeriesInfo> findSeries(const QString &name) const;

public slots:
    /// Tries again now (the Retry button).
    void retry();
    /// Asks for the series list now (after an import, say).
    void refresh();
    /// Another call found the server unreachable: notice at once.
    void reportFailure(const meterscope::app::RpcError &error);

signals:
    /// The state changed (not emitted when a poll finds it as it was).
    void stateChanged(meterscope::app::Connection::State state);
    /// message() or detail() may read differently: on every look at the
    /// server and every second of a retry countdown.
    void messageChanged();
    /// The server's series, after every successful look (every few seconds).
    void seriesListed(const QList<meterscope::app::SeriesInfo> &series);
    /// Retry while Idle: the owner restarts what provides the address.
    void retryRequested();
    /// connectTo() named another server than before: what was shown came
    /// from the old one. series() is empty until the new one lists its own.
    void serverChanged();

private:
    void probe();
    void onListed(const QList<SeriesInfo> &series);
    void onFailed(const RpcError &error);
    void setState(State state);

    RpcThread m_rpc;
    ClientPtr m_client;
    QString m_address;
    // The last server connectTo() named (kept while waiting for an address:
    // the local server restarting is the same server).
    QString m_server;
    QString m_name;
    QString m_problem;
    QList<SeriesInfo> m_series;
    State m_state = State::Idle;
    bool m_autoRetry = true;
    int m_backoffSeconds = 0;
    int m_secondsToRetry = 0;
    QTimer m_poll;
    QTimer m_countdown;
};

} // namespace meterscope::app
