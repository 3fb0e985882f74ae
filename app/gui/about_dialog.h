#pragma once

#include <QString>

class QMessageBox;
class QWidget;

namespace meterscope::app {

class Connection;
class DisplayZone;

/// How to reach the app's server from a terminal, in a line:
/// `meterscope-cli --local series` for the app's own local server on its
/// well-known socket, else `meterscope-cli --server ADDR series`; empty
/// while there is no address yet.
QString cliCommandFor(const Connection &connection);

/// Opens Help ▸ About (it does not block): the version, the chart's mouse
/// and keys, the display zone, and which server the app uses, with its
/// address and cliCommandFor() it, selectable to copy.
QMessageBox *openAboutDialog(QWidget *parent, const Connection &connection, const DisplayZone &zone);

} // namespace meterscope::app
