#include "gui/connection_dialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace meterscope::app {

ConnectionDialog::ConnectionDialog(const QString &address, QWidget *parent)
    : QDialog(parent)
    , m_local(new QRadioButton(tr("The local server, started by Meterscope (data in your data folder)"), this))
    , m_remote(new QRadioButton(tr("A server at this address:"), this))
    , m_address(new QLineEdit(address, this))
{
    setWindowTitle(tr("Connect to Server"));
    m_address->setPlaceholderText(tr("host:port or unix:/path/to/socket"));
    auto *hint = new QLabel(tr("The choice is remembered for the next start."), this);
    hint->setEnabled(false);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    const auto update = [this, buttons] {
        m_address->setEnabled(m_remote->isChecked());
        buttons->button(QDialogButtonBox::Ok)->setEnabled(m_local->isChecked()
                                                          || m_address->text().trimmed().contains(':'));
    };
    connect(m_remote, &QRadioButton::toggled, this, update);
    connect(m_address, &QLineEdit::textChanged, this, update);
    (address.isEmpty() ? m_local : m_remote)->setChecked(true);
    update();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_local);
    layout->addWidget(m_remote);
    layout->addWidget(m_address);
    layout->addWidget(hint);
    layout->addStretch();
    layout->addWidget(buttons);
    resize(460, sizeHint().height());
}

QString ConnectionDialog::address() const
{
    return m_remote->isChecked() ? m_address->text().trimmed() : QString();
}

} // namespace meterscope::app
