#pragma once

#include "gui/command_line.h"

#include <QObject>

#include <memory>

namespace meterscope::app {

class ChartView;
class Connection;

/// `meterscope --export-png`: draws one series with the window's own
/// ChartView, offscreen, waits until every point of the requested view has
/// arrived, saves it and reports an exit code. Problems (an unknown series,
/// no server) end it with one line on stderr.
class ChartRender : public QObject {
    Q_OBJECT

public:
    ChartRender(Connection &connection, const CommandLine &options, QObject *parent = nullptr);
    ~ChartRender() override;

signals:
    /// Finished; `exitCode` is 0 when the picture was written.
    void done(int exitCode);

private:
    void onConnection();
    void draw();
    void save();
    void fail(const QString &message);
    void finish(int exitCode);

    Connection &m_connection;
    CommandLine m_options;
    std::unique_ptr<ChartView> m_view;
    bool m_started = false;
    bool m_laidOut = false;
    bool m_finished = false;
};

} // namespace meterscope::app
