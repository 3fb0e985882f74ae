#pragma once

#include <QLabel>

namespace meterscope::app {

class Connection;
class MessageBar;

/// The connection to the server as the main window shows it: in the
/// status bar a coloured dot and the state, with the address and the
/// command that reaches the same server from a terminal in its tooltip;
/// across the top, while the server cannot be reached, what went wrong,
/// with Retry.
class ConnectionStatus : public QLabel {
    Q_OBJECT

public:
    /// Shows `connection` in itself and in `bar`, whose Retry retries it.
    ConnectionStatus(Connection &connection, MessageBar &bar, QWidget *parent = nullptr);

    /// Shows the connection's state as it is now.
    void showState();

private:
    Connection &m_connection;
    MessageBar &m_bar;
};

} // namespace meterscope::app
