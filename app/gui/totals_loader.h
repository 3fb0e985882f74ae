#pragma once

#include "gui/display_zone.h"
#include "gui/rpc_thread.h"
#include "time/calendar.h"

#include <QObject>

#include <optional>

class QWidget;

namespace meterscope::app {

class Connection;

/// The totals of one series per bucket of local time (Aggregate) for a
/// view: fetched off the GUI thread once the view is visible, and again
/// whenever the series, period, zone or price changes; an answer to
/// anything changed since is dropped. The Totals and Heatmap tabs share it.
class TotalsLoader : public QObject {
    Q_OBJECT

public:
    enum class State { Empty, Waiting, Loading, Loaded, Failed };

    /// Fetches only while `view` is visible (call viewShown() from its
    /// showEvent).
    TotalsLoader(Connection &connection, QWidget &view, timeutil::Period period);

    void showSeries(const SeriesInfo &series, std::optional<double> price = std::nullopt);
    /// Nothing shown; `message` (why) if given.
    void clear(const QString &message = {});
    void setZone(const DisplayZone &zone);
    void setPeriod(timeutil::Period period);
    void setPrice(std::optional<double> price);
    /// Totals of [start, end) only; absent bounds: the whole series.
    void setRange(std::optional<qint64> start, std::optional<qint64> end);
    void retryIfFailed();
    void viewShown();

    State state() const { return m_state; }
    const SeriesInfo &series() const { return m_series; }
    const DisplayZone &zone() const { return m_zone; }
    timeutil::Period period() const { return m_period; }
    /// The series as the answer describes it (kind, unit).
    const v1::Series &answered() const { return m_answered; }
    const QList<v1::TotalBucket> &buckets() const { return m_buckets; }
    /// Why it failed, or the message clear() was given.
    const QString &error() const { return m_error; }

signals:
    /// The state or the buckets changed.
    void changed();

private:
    void reload();
    void load();

    Connection &m_connection;
    QWidget &m_view;
    RpcThread m_rpc;
    DisplayZone m_zone;
    timeutil::Period m_period;
    std::optional<double> m_price;
    std::optional<qint64> m_start;
    std::optional<qint64> m_end;
    SeriesInfo m_series;
    v1::Series m_answered;
    QList<v1::TotalBucket> m_buckets;
    State m_state = State::Empty;
    QString m_error;
};

} // namespace meterscope::app
