#include "gui/connection_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace meterscope::app {

ConnectionDialog::ConnectionDialog(const std::optional<client::ConnectionOptions> &server, QWidget *parent)
    : QDialog(parent)
    , m_local(new QRadioButton(tr("The local server, started by Meterscope (data in your data folder)"), this))
    , m_remote(new QRadioButton(tr("A server at this address:"), this))
    , m_address(new QLineEdit(this))
    , m_tls(new QCheckBox(tr("Use TLS (encrypted)"), this))
    , m_ca(new QLineEdit(this))
    , m_cert(new QLineEdit(this))
    , m_key(new QLineEdit(this))
    , m_token(new QLineEdit(this))
    , m_remoteOptions(new QWidget(this))
    , m_tlsOptions(new QWidget(this))
    , m_addressProblem(new QLabel(this))
{
    setWindowTitle(tr("Connect to Server"));
    m_address->setPlaceholderText(tr("host:port or unix:/path/to/socket"));
    m_ca->setPlaceholderText(tr("the system's trusted certificates"));
    m_cert->setPlaceholderText(tr("none"));
    m_key->setPlaceholderText(tr("none"));
    m_token->setPlaceholderText(tr("none"));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr("Sent as 'authorization: Bearer <token>' with every call; kept in your settings file, "
                           "readable by you only."));
    if (server) {
        m_address->setText(QString::fromStdString(server->address));
        m_tls->setChecked(server->tls || !server->tlsCaFile.empty() || !server->tlsCertFile.empty());
        m_ca->setText(QString::fromStdString(server->tlsCaFile));
        m_cert->setText(QString::fromStdString(server->tlsCertFile));
        m_key->setText(QString::fromStdString(server->tlsKeyFile));
        m_token->setText(QString::fromStdString(server->token));
    }

    auto *tlsForm = new QFormLayout(m_tlsOptions);
    tlsForm->setContentsMargins(24, 0, 0, 0);
    tlsForm->addRow(tr("CA certificate:"), fileRow(m_ca, tr("CA Certificate")));
    tlsForm->addRow(tr("Client certificate:"), fileRow(m_cert, tr("Client Certificate")));
    tlsForm->addRow(tr("Client key:"), fileRow(m_key, tr("Client Key")));
    auto *remoteForm = new QFormLayout(m_remoteOptions);
    remoteForm->setContentsMargins(24, 0, 0, 0);
    remoteForm->addRow(tr("Address:"), m_address);
    m_addressProblem->setStyleSheet("color: #c62828");
    m_addressProblem->hide();
    remoteForm->addRow({}, m_addressProblem);
    remoteForm->addRow(m_tls);
    remoteForm->addRow(m_tlsOptions);
    remoteForm->addRow(tr("Token:"), m_token);

    auto *hint = new QLabel(tr("The choice is remembered for the next start."), this);
    hint->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_connect = buttons->button(QDialogButtonBox::Ok);
    m_connect->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (QLineEdit *edit : {m_address, m_cert, m_key})
        connect(edit, &QLineEdit::textChanged, this, &ConnectionDialog::update);
    connect(m_remote, &QRadioButton::toggled, this, &ConnectionDialog::update);
    connect(m_tls, &QCheckBox::toggled, this, &ConnectionDialog::update);
    (server ? m_remote : m_local)->setChecked(true);
    update();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_local);
    layout->addWidget(m_remote);
    layout->addWidget(m_remoteOptions);
    layout->addWidget(hint);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(520, sizeHint().height());
}

QWidget *ConnectionDialog::fileRow(QLineEdit *edit, const QString &caption)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    auto *browse = new QPushButton(tr("Browse…"), row);
    layout->addWidget(browse);
    connect(browse, &QPushButton::clicked, this, [this, edit, caption] {
        const QString file = QFileDialog::getOpenFileName(this, caption, edit->text(),
                                                          tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!file.isEmpty())
            edit->setText(file);
    });
    return row;
}

void ConnectionDialog::update()
{
    m_remoteOptions->setEnabled(m_remote->isChecked());
    m_tlsOptions->setEnabled(m_tls->isChecked());
    // A client certificate needs its key, and the other way round.
    const bool pairComplete = m_cert->text().trimmed().isEmpty() == m_key->text().trimmed().isEmpty();
    const QString address = m_address->text().trimmed();
    const QString problem
        = address.isEmpty() ? QString() : QString::fromStdString(client::addressProblem(address.toStdString()));
    m_addressProblem->setText(problem.isEmpty() ? QString() : tr("Not a server address: %1.").arg(problem));
    m_addressProblem->setVisible(m_remote->isChecked() && !problem.isEmpty());
    m_connect->setEnabled(m_local->isChecked()
                          || (!address.isEmpty() && problem.isEmpty() && (!m_tls->isChecked() || pairComplete)));
}

std::optional<client::ConnectionOptions> ConnectionDialog::server() const
{
    if (!m_remote->isChecked())
        return std::nullopt;
    client::ConnectionOptions server;
    server.address = m_address->text().trimmed().toStdString();
    server.token = m_token->text().trimmed().toStdString();
    if (m_tls->isChecked()) {
        server.tls = true;
        server.tlsCaFile = m_ca->text().trimmed().toStdString();
        server.tlsCertFile = m_cert->text().trimmed().toStdString();
        server.tlsKeyFile = m_key->text().trimmed().toStdString();
    }
    return server;
}

} // namespace meterscope::app
