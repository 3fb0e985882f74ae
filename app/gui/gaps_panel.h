#pragma once

#include "gui/display_zone.h"
#include "gui/rpc_thread.h"

#include <QWidget>

class QLabel;
class QTableWidget;
class QToolButton;

namespace meterscope::app {

class Connection;

/// The gaps of the selected series (#16), under the Totals tab's table:
/// its readings against those its cadence expects, and each place readings
/// are missing (ListGaps), in the display zone. Double-clicking a gap asks
/// for the chart to show it; Threshold… sets the series' gap threshold.
/// The gaps are listed (a scan of the series) only while it is visible.
class GapsPanel : public QWidget {
    Q_OBJECT

public:
    GapsPanel(Connection &connection, QWidget *parent = nullptr);

    void showSeries(const SeriesInfo &series);
    void clear();
    /// Lists the gaps again if listing them failed (the server was away).
    void retryIfFailed();
    void setDisplayZone(const DisplayZone &zone);
    /// Sets the shown series' gap threshold (0: twice its cadence), then
    /// lists its gaps again.
    void setThreshold(qint64 thresholdUs);

    QString summaryText() const;
    QTableWidget *table() const { return m_table; }
    bool loaded() const { return m_loaded; }

protected:
    void showEvent(QShowEvent *event) override;

signals:
    /// Show [startUs, endUs) around the chosen gap.
    void gapChosen(qint64 startUs, qint64 endUs);
    void loadFinished();

private:
    void load();
    void fill();
    void chooseThreshold();

    Connection &m_connection;
    RpcThread m_rpc;
    DisplayZone m_zone;
    QLabel *m_summary;
    QToolButton *m_threshold;
    QTableWidget *m_table;
    SeriesInfo m_series;
    v1::ListGapsResponse m_gaps;
    bool m_loaded = false;
    /// The series changed while hidden: list its gaps when shown.
    bool m_stale = false;
    bool m_failed = false;
};

} // namespace meterscope::app
