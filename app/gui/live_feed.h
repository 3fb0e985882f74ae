#pragma once

#include "gui/rpc_thread.h"

#include <QObject>

namespace meterscope::app {

class Connection;

/// Live: follows one series through the Subscribe RPC and hands on its new
/// points as they are committed (through any server sharing the database).
/// It picks up where it left off after the server was away, or after the
/// server dropped it for reading too slowly (client::follow()).
class LiveFeed : public QObject {
    Q_OBJECT

public:
    explicit LiveFeed(Connection &connection, QObject *parent = nullptr);

    /// Follows `series` with the points after `afterUs` (none = only new ones).
    void follow(const QString &series, std::optional<qint64> afterUs);
    void stop();
    bool active() const { return !m_series.isEmpty(); }
    QString series() const { return m_series; }

signals:
    void pointsArrived(const meterscope::app::PointColumns &points);
    /// The series followed lost its points in [startUs, endUs) (a delete,
    /// from this app or another client).
    void pointsRemoved(const QString &series, qint64 startUs, qint64 endUs);
    /// The series followed was deleted; the feed has stopped.
    void seriesDeleted(const QString &series);
    /// The series followed was renamed; the feed has stopped (follow the
    /// new name to go on).
    void seriesRenamed(const QString &before, const QString &after);
    /// It stopped by itself; `message` says why.
    void stopped(const QString &message);

private:
    void subscribe();
    void onFailed(const RpcError &error);

    Connection &m_connection;
    RpcThread m_rpc;
    QString m_series;
    std::optional<qint64> m_after;
    bool m_waitingForServer = false;
};

} // namespace meterscope::app
