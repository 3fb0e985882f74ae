#pragma once

#include <QObject>

class QSocketNotifier;

namespace meterscope::app {

/// Turns SIGTERM, SIGINT and SIGHUP into a queued Qt signal on the GUI
/// thread (the self-pipe pattern: the handler only writes a byte to a
/// socketpair that a QSocketNotifier watches), so the app can quit cleanly
/// and stop its local server. One instance per process.
class UnixSignals : public QObject {
    Q_OBJECT

public:
    explicit UnixSignals(QObject *parent = nullptr);
    ~UnixSignals() override;

signals:
    /// One of the watched signals arrived.
    void received(int signal);

private:
    void readSignal();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace meterscope::app
