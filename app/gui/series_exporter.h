#pragma once

#include "gui/display_zone.h"
#include "gui/rpc_thread.h"
#include "time/calendar.h"

#include <QObject>

namespace meterscope::app {

class Connection;

/// Saves a whole series to a file, as CSV or JSON in the formats of
/// `meterscope-cli export`, streamed from a fresh Query on a worker thread
/// (never from what the views hold). The file appears only when complete.
class SeriesExporter : public QObject {
    Q_OBJECT

public:
    explicit SeriesExporter(Connection &connection, QObject *parent = nullptr);

    void exportSeries(const SeriesInfo &series, const QString &path, client::ExportFormat format,
                      const DisplayZone &zone);
    /// Saves the series' totals per `period` of `zone` (as `meterscope-cli
    /// export --by` does): each bucket's total keyed by its start.
    void exportTotals(const SeriesInfo &series, timeutil::Period period, const QString &path,
                      client::ExportFormat format, const DisplayZone &zone);
    void cancel();

signals:
    void progress(const QString &text, double fraction);
    /// Done: `message` says what was written, or why not.
    void finished(bool ok, const QString &message);

private:
    Connection &m_connection;
    RpcThread m_rpc;
    void start(const client::ExportSource &source, const QString &path, client::ExportFormat format,
               const DisplayZone &zone);

    SeriesInfo m_series;
    QString m_path;
    bool m_totals = false;
};

} // namespace meterscope::app
