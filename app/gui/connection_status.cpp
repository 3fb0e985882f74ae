#include "gui/connection_status.h"

#include "gui/about_dialog.h"
#include "gui/connection.h"
#include "gui/message_bar.h"

#include <QPushButton>

namespace meterscope::app {

ConnectionStatus::ConnectionStatus(Connection &connection, MessageBar &bar, QWidget *parent)
    : QLabel(parent)
    , m_connection(connection)
    , m_bar(bar)
{
    setTextFormat(Qt::RichText);
    m_bar.setClosable(false);
    m_bar.setActionText(tr("Retry"));
    connect(m_bar.actionButton(), &QPushButton::clicked, &m_connection, &Connection::retry);
}

void ConnectionStatus::showState()
{
    const Connection::State state = m_connection.state();
    // Until a try succeeds, the last failure stands.
    const bool problem = state != Connection::State::Connected && !m_connection.detail().isEmpty();
    const QString color = state == Connection::State::Connected ? "#2e7d32" : problem ? "#c62828" : "#f9a825";
    setText(QStringLiteral("<span style=\"color:%1\">●</span> %2").arg(color, m_connection.message().toHtmlEscaped()));
    const QString command = cliCommandFor(m_connection);
    setToolTip(problem || command.isEmpty() ? m_connection.detail()
                                            : m_connection.address() + '\n' + tr("From a terminal: %1").arg(command));

    if (problem) {
        const QString what = state == Connection::State::Idle ? m_connection.detail() : m_connection.message();
        m_bar.showMessage(MessageBar::Kind::Error,
                          what + ' ' + tr("Nothing is lost; Meterscope carries on when the server is back."));
        m_bar.setToolTip(m_connection.detail());
    } else if (state == Connection::State::Connected) {
        m_bar.hide();
    }
}

} // namespace meterscope::app
