#pragma once

#include "gui/chart_axes.h"
#include "gui/totals_loader.h"

#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QAction;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QLineSeries;
class QTableView;

namespace meterscope::app {
class GapsPanel;
class TotalsTableModel;
} // namespace meterscope::app

namespace meterscope::app {

class Connection;
class Settings;

/// The Totals tab (#16): the selected series' usage per hour, day, week,
/// month or year of the display zone (Aggregate), as bars over a time axis
/// beside a table of each bucket's total, min, max, mean, readings counted
/// and expected, register resets and, with a price (remembered per
/// series), cost. A bucket without readings has no bar and says so in the
/// table: a gap shows as a gap. Hovering a bar names its bucket and value.
/// The totals are fetched when the tab is visible, off the GUI thread.
class TotalsView : public QWidget {
    Q_OBJECT

public:
    TotalsView(Connection &connection, Settings &settings, QWidget *parent = nullptr);
    ~TotalsView() override;

    /// Shows `series`; its totals are fetched once the view is visible.
    void showSeries(const SeriesInfo &series);
    /// Shows nothing, saying `message` if given.
    void clear(const QString &message = {});
    /// Fetches the totals again if fetching them failed.
    void retryIfFailed();
    /// Buckets follow the zone's calendar: the totals are fetched again.
    void setDisplayZone(const DisplayZone &zone);
    void setPeriod(timeutil::Period period);
    /// Sets the price per unit of the shown series (and remembers it);
    /// none clears it.
    void setPrice(std::optional<double> price);
    timeutil::Period period() const { return m_loader->period(); }
    /// Puts a button for `action` (Save Totals as JSON…) on the view's bar.
    void addBarAction(QAction *action);

    /// The line above the bars: the series, its kind and unit, and coverage.
    QString statusText() const;
    QTableView *table() const { return m_table; }
    /// The gaps of the series, under the table.
    GapsPanel *gaps() const { return m_gaps; }
    QChartView *chartView() const { return m_chartView; }
    /// Bars drawn: one per bucket with a total.
    int barCount() const { return m_bars; }
    /// What hovering the bar over `timeUs` shows; empty where there is none.
    QString hoverText(qint64 timeUs) const;
    /// The label drawn over the bar under the mouse; empty when none is.
    QString hoverLabel() const { return m_hover; }
    bool loaded() const;

signals:
    /// The totals of the shown series are in the view.
    void loadFinished();

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    class BarsView;

    void onChanged();
    void drawBars();
    void updateTicks();
    void updateStatus();

    Settings &m_settings;
    QComboBox *m_periodBox;
    QLineEdit *m_priceEdit;
    QLabel *m_status;
    QHBoxLayout *m_bar;
    QChart *m_chart;
    QChartView *m_chartView;
    ChartAxes m_axes;
    QLineSeries *m_outline;
    QLineSeries *m_baseline;
    QAreaSeries *m_area;
    QTableView *m_table;
    TotalsLoader *m_loader;
    TotalsTableModel *m_model;
    GapsPanel *m_gaps;
    int m_bars = 0;
    // The range of the bars' totals.
    double m_low = 0;
    double m_high = 1;
    QString m_hover;
};

} // namespace meterscope::app
