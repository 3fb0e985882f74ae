#pragma once

#include "gui/totals_loader.h"

#include <QColor>
#include <QRectF>
#include <QWidget>

namespace meterscope::app {

class Connection;

/// The Heatmap tab (#16): a carpet plot of the selected series, a column
/// per local day and a row per hour of the day in the display zone, each
/// cell coloured by that hour's total (Aggregate by hour) on a scale shown
/// beside it with its unit. An hour without readings is hatched grey; the
/// spring day's skipped hour has no cell, and the autumn day's two 01:00
/// hours share one (their totals added; for an instant series, averaged).
/// Hovering a cell names its day, hour, value and readings.
class HeatmapView : public QWidget {
    Q_OBJECT

public:
    HeatmapView(Connection &connection, QWidget *parent = nullptr);
    ~HeatmapView() override;

    void showSeries(const SeriesInfo &series);
    void clear(const QString &message = {});
    void retryIfFailed();
    void setDisplayZone(const DisplayZone &zone);

    bool loaded() const { return m_loader->state() == TotalsLoader::State::Loaded; }
    /// Cells with a value, and hours of the series without readings.
    int valueCells() const;
    int missingCells() const;
    /// The colour scale's ends (the smallest and largest cell).
    double scaleMin() const { return m_min; }
    double scaleMax() const { return m_max; }
    /// The colour of `value` on the scale.
    QColor colourOf(double value) const;
    /// Where the cell of the hour holding `timeUs` is drawn; empty if none.
    QRectF cellRect(qint64 timeUs) const;
    /// What hovering the cell holding `timeUs` shows; empty if nothing.
    QString cellText(qint64 timeUs) const;
    /// The label drawn for the cell under the mouse; empty when none is.
    QString hoverLabel() const { return m_hover; }

signals:
    void loadFinished();

protected:
    void paintEvent(QPaintEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Cell {
        bool present = false; ///< a bucket of the series falls here
        int buckets = 0;
        double sum = 0; ///< the value: the buckets' totals added (a level's averaged)
        int totals = 0; ///< buckets with a total
        std::uint64_t count = 0;
        std::uint64_t expected = 0;
        qint64 start = 0; ///< the first bucket's start
    };

    void onChanged();
    /// The cell of the hour holding `timeUs`, -1 if none.
    int cellIndex(qint64 timeUs) const;
    QString describe(const Cell &cell) const;
    QRectF plotArea() const;
    QRectF rectOf(int index) const;

    TotalsLoader *m_loader;
    std::int64_t m_firstDay = 0;
    int m_days = 0;
    QList<Cell> m_cells;
    double m_min = 0;
    double m_max = 0;
    QString m_hover;
    QPointF m_hoverAt;
};

} // namespace meterscope::app
