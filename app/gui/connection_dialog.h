#pragma once

#include "client/client.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QWidget;

namespace meterscope::app {

/// File ▸ Connect to Server…: the local server (embedded storage, started
/// by the app) or a server at an address, with TLS (a CA certificate to
/// trust, a client certificate and key) and a bearer token if it asks
/// for them.
class ConnectionDialog : public QDialog {
    Q_OBJECT

public:
    /// `server` is the current choice; none = the local server.
    explicit ConnectionDialog(const std::optional<client::ConnectionOptions> &server, QWidget *parent = nullptr);

    /// The choice: a server, or none for the local server.
    std::optional<client::ConnectionOptions> server() const;

    QRadioButton *localButton() const { return m_local; }
    QRadioButton *remoteButton() const { return m_remote; }
    QLineEdit *addressEdit() const { return m_address; }
    QCheckBox *tlsBox() const { return m_tls; }
    QLineEdit *caEdit() const { return m_ca; }
    QLineEdit *certEdit() const { return m_cert; }
    QLineEdit *keyEdit() const { return m_key; }
    QLineEdit *tokenEdit() const { return m_token; }
    /// Why the address is none (empty when it is one, or empty).
    QLabel *addressProblem() const { return m_addressProblem; }

private:
    /// A line edit for a file name with a Browse… button, in a row.
    QWidget *fileRow(QLineEdit *edit, const QString &caption);
    void update();

    QRadioButton *m_local;
    QRadioButton *m_remote;
    QLineEdit *m_address;
    QCheckBox *m_tls;
    QLineEdit *m_ca;
    QLineEdit *m_cert;
    QLineEdit *m_key;
    QLineEdit *m_token;
    QWidget *m_remoteOptions;
    QWidget *m_tlsOptions;
    QLabel *m_addressProblem;
    QPushButton *m_connect = nullptr;
};

} // namespace meterscope::app
