// File ▸ Connect to Server…: what the user types comes back as the server
// to connect to, TLS files and token included, and a half-filled client
// certificate cannot be accepted.
#include "gui/connection_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QTest>

using namespace meterscope;
using namespace meterscope::app;

class TestConnectionDialog : public QObject {
    Q_OBJECT

private slots:
    void localByDefault();
    void remoteWithTlsAndToken();
    void shownAsStored();
    void certificateNeedsKey();

private:
    static QPushButton *connectButton(const ConnectionDialog &dialog)
    {
        return dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    }
};

void TestConnectionDialog::localByDefault()
{
    const ConnectionDialog dialog(std::nullopt);
    QVERIFY(dialog.localButton()->isChecked());
    QVERIFY(!dialog.addressEdit()->isEnabled());
    QVERIFY(connectButton(dialog)->isEnabled());
    QVERIFY(!dialog.server());
}

void TestConnectionDialog::remoteWithTlsAndToken()
{
    ConnectionDialog dialog(std::nullopt);
    dialog.remoteButton()->setChecked(true);
    QVERIFY(!connectButton(dialog)->isEnabled());
    dialog.addressEdit()->setText(" meters.example.org:50051 ");
    QVERIFY(connectButton(dialog)->isEnabled());
    QVERIFY(!dialog.caEdit()->isEnabled());
    dialog.tlsBox()->setChecked(true);
    QVERIFY(dialog.caEdit()->isEnabled());
    dialog.caEdit()->setText("/etc/meterscope/ca.pem");
    dialog.tokenEdit()->setText("s3cret");
    QCOMPARE(dialog.tokenEdit()->echoMode(), QLineEdit::Password);

    const std::optional<client::ConnectionOptions> server = dialog.server();
    QVERIFY(server);
    QCOMPARE(server->address, std::string("meters.example.org:50051"));
    QVERIFY(server->tls);
    QCOMPARE(server->tlsCaFile, std::string("/etc/meterscope/ca.pem"));
    QVERIFY(server->tlsCertFile.empty());
    QCOMPARE(server->token, std::string("s3cret"));

    // Turning TLS off drops its files.
    dialog.tlsBox()->setChecked(false);
    QVERIFY(!dialog.server()->tls);
    QVERIFY(dialog.server()->tlsCaFile.empty());
}

void TestConnectionDialog::shownAsStored()
{
    client::ConnectionOptions stored;
    stored.address = "unix:/run/meterscoped/grpc.sock";
    stored.tls = true;
    stored.tlsCaFile = "ca.pem";
    stored.tlsCertFile = "reader.crt";
    stored.tlsKeyFile = "reader.key";
    stored.token = "s3cret";
    const ConnectionDialog dialog(stored);
    QVERIFY(dialog.remoteButton()->isChecked());
    QVERIFY(dialog.tlsBox()->isChecked());
    QCOMPARE(dialog.server(), std::optional(stored));
}

void TestConnectionDialog::certificateNeedsKey()
{
    ConnectionDialog dialog(std::nullopt);
    dialog.remoteButton()->setChecked(true);
    dialog.addressEdit()->setText("meters.example.org:50051");
    dialog.tlsBox()->setChecked(true);
    dialog.certEdit()->setText("reader.crt");
    QVERIFY(!connectButton(dialog)->isEnabled());
    dialog.keyEdit()->setText("reader.key");
    QVERIFY(connectButton(dialog)->isEnabled());
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connection_dialog.moc"
