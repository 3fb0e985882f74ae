#include "gui/about_dialog.h"

#include "client/local_socket.h"
#include "gui/connection.h"
#include "gui/display_zone.h"

#include <QApplication>
#include <QMessageBox>

namespace meterscope::app {

QString cliCommandFor(const Connection &connection)
{
    const QString address = connection.address();
    if (address.isEmpty())
        return {};
    if (address == "unix:" + client::appServerSocket())
        return QStringLiteral("meterscope-cli --local series");
    return QStringLiteral("meterscope-cli --server %1 series").arg(address);
}

QMessageBox *openAboutDialog(QWidget *parent, const Connection &connection, const DisplayZone &zone)
{
    const QString server = connection.address().isEmpty()
                               ? QMessageBox::tr("<p><b>Server:</b> %1</p>").arg(connection.message().toHtmlEscaped())
                               : QMessageBox::tr("<p><b>Server:</b> %1, at</p><p style=\"white-space:pre\">"
                                                 "<code>%2</code></p><p>From a terminal:</p>"
                                                 "<p style=\"white-space:pre\"><code>%3</code></p>")
                                     .arg(connection.message().toHtmlEscaped(), connection.address().toHtmlEscaped(),
                                          cliCommandFor(connection).toHtmlEscaped());
    auto *box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(QMessageBox::tr("About Meterscope"));
    box->setIconPixmap(QApplication::windowIcon().pixmap(64, 64));
    box->setTextFormat(Qt::RichText);
    box->setTextInteractionFlags(Qt::TextBrowserInteraction);
    box->setText(QMessageBox::tr(
                     "<h3>Meterscope %1</h3>"
                     "<p>Meter readings as a chart and as JSON, streamed from meterscoped.</p>"
                     "<p><b>Chart:</b> wheel zooms around the cursor, drag pans, right-drag (or Shift+drag) zooms to a "
                     "range, double-click, Home or Ctrl+0 shows everything, arrow keys pan, +/− zoom.</p>"
                     "<p><b>Import:</b> drop CSV files, folders or http(s) links on the window, or press Ctrl+O.</p>"
                     "<p>Times are shown in %2 (View ▸ Time Zone).</p>")
                     .arg(METERSCOPE_VERSION, zone.label().toHtmlEscaped())
                 + server);
    box->open();
    return box;
}

} // namespace meterscope::app
