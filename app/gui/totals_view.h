#pragma once

#include "gui/chart_axes.h"
#include "gui/display_zone.h"
#include "gui/rpc_thread.h"
#include "time/calendar.h"

#include <QWidget>

class QAreaSeries;
class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineEdit;
class QLineSeries;
class QTableWidget;

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

    /// The line above the bars: the series, its kind and unit, and coverage.
    QString statusText() const;
    QTableWidget *table() const { return m_table; }
    QChartView *chartView() const { return m_chartView; }
    /// Bars drawn: one per bucket with a total.
    int barCount() const { return m_bars; }
    /// What hovering the bar over `timeUs` shows; empty where there is none.
    QString hoverText(qint64 timeUs) const;
    /// The label drawn over the bar under the mouse; empty when none is.
    QString hoverLabel() const { return m_hover; }
    bool loaded() const { return m_state == State::Loaded; }

signals:
    /// The totals of the shown series are in the view.
    void loadFinished();

protected:
    void showEvent(QShowEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    class BarsView;
    enum class State { Empty, Waiting, Loading, Loaded, Failed };

    void reload();
    void load();
    void onAggregated(const QList<v1::AggregateResponse> &answers);
    void onFailed(const RpcError &error);
    void fillTable();
    void drawBars();
    void updateStatus();
    QString bucketLabel(const v1::TotalBucket &bucket) const;

    Connection &m_connection;
    Settings &m_settings;
    RpcThread m_rpc;
    DisplayZone m_zone;
    timeutil::Period m_period = timeutil::Period::Day;
    QComboBox *m_periodBox;
    QLineEdit *m_priceEdit;
    QLabel *m_status;
    QChart *m_chart;
    QChartView *m_chartView;
    ChartAxes m_axes;
    QLineSeries *m_outline;
    QLineSeries *m_baseline;
    QAreaSeries *m_area;
    QTableWidget *m_table;
    SeriesInfo m_series;
    v1::Series m_answered;
    QList<v1::TotalBucket> m_buckets;
    int m_bars = 0;
    State m_state = State::Empty;
    QString m_error;
    QString m_hover;
};

} // namespace meterscope::app
