#include "gui/chart_line.h"

#include "gui/chart_axes.h"
#include "gui/gaps.h"

#include <QChart>
#include <QLineSeries>
#include <QScatterSeries>

namespace meterscope::app {

ChartLine::ChartLine(QChart &chart, QAbstractAxis *time, QAbstractAxis *values)
    : m_chart(chart)
    , m_time(time)
    , m_values(values)
    , m_lone(new QScatterSeries(&chart))
{
    m_lone->setColor(color());
    m_lone->setBorderColor(color());
    m_lone->setMarkerSize(5);
    m_chart.addSeries(m_lone);
    m_lone->attachAxis(m_time);
    m_lone->attachAxis(m_values);
    addLine();
}

QColor ChartLine::color()
{
    return QColor(0x1f, 0x6f, 0xd0);
}

QLineSeries *ChartLine::addLine()
{
    auto *line = new QLineSeries(&m_chart);
    // One pixel wide: QPainter then draws the line segment by segment; a
    // wider pen makes it fill a stroke outline, which costs hundreds of
    // milliseconds for a few thousand points of dense data.
    line->setPen(QPen(color(), 1));
    line->setMarkerSize(5);
    m_chart.addSeries(line);
    line->attachAxis(m_time);
    line->attachAxis(m_values);
    m_lines.push_back(line);
    return line;
}

qsizetype ChartLine::drawnPoints() const
{
    qsizetype count = m_lone->count();
    for (const QLineSeries *line : m_lines)
        count += line->count();
    return count;
}

void ChartLine::draw(const PointColumns &points, qsizetype from, qsizetype to, bool marked)
{
    QList<QPointF> lone;
    std::size_t line = 0;
    m_runs = 0;
    for (qsizetype i = from; i < to;) {
        if (gaps::isGap(points.values[i])) {
            ++i;
            continue;
        }
        QList<QPointF> run;
        for (; i < to && !gaps::isGap(points.values[i]); ++i)
            run.append({chartX(points.timesUs[i]), points.values[i]});
        ++m_runs;
        if (run.size() == 1) {
            lone.append(run.front());
            continue;
        }
        QLineSeries *series = line < m_lines.size() ? m_lines[line] : addLine();
        series->setPointsVisible(marked);
        series->replace(run);
        ++line;
    }
    for (; line < m_lines.size(); ++line)
        m_lines[line]->clear();
    m_lone->replace(lone);
}

} // namespace meterscope::app
