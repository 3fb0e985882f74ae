// File ▸ Connect to Server…: what the user types comes back as the server
// to connect to, TLS files and token included, and a half-filled client
// certificate cannot be accepted.
#include "gui/connection_dialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
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
    void refusesWhatIsNoAddress_data();
    void refusesWhatIsNoAddress();

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

void TestConnectionDialog::refusesWhatIsNoAddress_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("valid");
    QTest::addRow("the walkthrough's typo") << "not a valid address::" << false;
    QTest::addRow("no port") << "meters.example.org" << false;
    QTest::addRow("empty port") << "meters.example.org:" << false;
    QTest::addRow("port too big") << "meters.example.org:99999" << false;
    QTest::addRow("no host") << ":50051" << false;
    QTest::addRow("unix without path") << "unix:" << false;
    QTest::addRow("name") << "meters.example.org:50051" << true;
    QTest::addRow("IPv4") << "127.0.0.1:1" << true;
    QTest::addRow("IPv6") << "[::1]:50051" << true;
    QTest::addRow("socket") << "unix:/run/meterscope/meterscoped.sock" << true;
}

void TestConnectionDialog::refusesWhatIsNoAddress()
{
    QFETCH(QString, address);
    QFETCH(bool, valid);
    ConnectionDialog dialog(std::nullopt);
    dialog.show();
    dialog.remoteButton()->setChecked(true);
    dialog.addressEdit()->setText(address);
    QCOMPARE(connectButton(dialog)->isEnabled(), valid);
    QCOMPARE(dialog.addressProblem()->isVisible(), !valid);
    if (!valid)
        QVERIFY2(dialog.addressProblem()->text().startsWith("Not a server address: "),
                 qPrintable(dialog.addressProblem()->text()));
}

QTEST_MAIN(TestConnectionDialog)
#include "tst_connection_dialog.moc"
