#pragma once

#include <QDialog>

class QLineEdit;
class QRadioButton;

namespace meterscope::app {

/// File ▸ Connect to Server…: the local server (embedded storage, started
/// by the app) or a server at an address.
class ConnectionDialog : public QDialog {
    Q_OBJECT

public:
    /// `address` is the current choice; empty = the local server.
    explicit ConnectionDialog(const QString &address, QWidget *parent = nullptr);

    /// The choice: an address, or empty for the local server.
    QString address() const;

private:
    QRadioButton *m_local;
    QRadioButton *m_remote;
    QLineEdit *m_address;
};

} // namespace meterscope::app
