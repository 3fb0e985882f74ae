#pragma once

#include "core/point_columns.h"

#include <QColor>

#include <vector>

class QAbstractAxis;
class QChart;
class QLineSeries;
class QScatterSeries;

namespace meterscope::app {

/// The line a ChartView draws, broken where readings are missing: one
/// QLineSeries per run of readings between gap points, lone readings as
/// dots. Series are kept and reused, as many as the most runs ever drawn.
class ChartLine {
public:
    /// Adds the line's series to `chart`, over axes `time` and `values`.
    ChartLine(QChart &chart, QAbstractAxis *time, QAbstractAxis *values);

    /// The line's colour.
    static QColor color();

    /// Draws points[from, to) with the chart's x values; with a marker on
    /// each reading when `marked`.
    void draw(const PointColumns &points, qsizetype from, qsizetype to, bool marked);
    /// The series of the first run (it maps points to positions).
    QLineSeries *first() const { return m_lines.front(); }
    /// Readings drawn.
    qsizetype drawnPoints() const;
    /// Runs of readings drawn, lone ones included.
    int runs() const { return m_runs; }

private:
    QLineSeries *addLine();

    QChart &m_chart;
    QAbstractAxis *m_time;
    QAbstractAxis *m_values;
    std::vector<QLineSeries *> m_lines;
    QScatterSeries *m_lone;
    int m_runs = 0;
};

} // namespace meterscope::app
