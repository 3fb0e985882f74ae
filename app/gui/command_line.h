#pragma once

#include "client/client.h"
#include "gui/display_zone.h"

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

namespace meterscope::app {

/// `meterscope [--server ADDR] [--data-dir DIR] [--series NAME] [FILE...]`,
/// and `--export-png FILE [--size WxH] [--from T --to T]` for rendering
/// the chart without a window.
struct CommandLine {
    /// --server with its TLS and token options; none = the remembered
    /// server, else the local one.
    std::optional<client::ConnectionOptions> server;
    /// The local server's data folder; empty = its default.
    QString dataDir;
    /// Files, folders and URLs to import at start-up, as if dropped.
    QStringList files;
    /// The series to show (required with --export-png).
    QString series;
    /// Zone of the times shown and of --from/--to without an offset;
    /// none = the remembered one (for --from/--to: UTC).
    std::optional<DisplayZone> zone;
    /// Where --export-png writes the chart; empty = open the window.
    QString exportPng;
    QSize size{1200, 700};
    std::optional<qint64> fromUs;
    std::optional<qint64> toUs;
};

/// The server to use: --server, else the local one when --data-dir names
/// its folder, else the one remembered from File ▸ Connect to Server… (none
/// = the local one). What the command line says wins over a setting.
std::optional<client::ConnectionOptions> serverToUse(const CommandLine &options,
                                                     const std::optional<client::ConnectionOptions> &remembered);

/// Parses the arguments of a running QApplication. Prints --help and
/// --version itself, and usage errors as one line, and exits.
CommandLine parseCommandLine(const QStringList &arguments);

/// True when the arguments ask for no window (--export-png, --help,
/// --version), so no display is needed.
bool needsNoDisplay(int argc, char **argv);

} // namespace meterscope::app
