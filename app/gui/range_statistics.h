#pragma once

#include "gui/totals_loader.h"

#include <QLabel>

class QTimer;

namespace meterscope::app {

class Connection;

/// The status bar's statistics of what the chart shows (#16): readings in
/// the visible range (and the share of those expected), total, min, max
/// and mean, as the series' kind makes them (Aggregate over the range).
class RangeStatistics : public QLabel {
    Q_OBJECT

public:
    explicit RangeStatistics(Connection &connection, QWidget *parent = nullptr);

    /// Shows the statistics of `series` in [startUs, endUs) once fetched,
    /// asked for once the range has stood still for a moment (a wheel
    /// zooms in many small steps).
    void showRange(const SeriesInfo &series, qint64 startUs, qint64 endUs);
    /// Shows nothing.
    void clear();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onChanged();

    TotalsLoader *m_loader;
    QTimer *m_settle;
    SeriesInfo m_series;
    qint64 m_start = 0;
    qint64 m_end = 0;
};

} // namespace meterscope::app
