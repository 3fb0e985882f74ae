#pragma once

#include "gui/rpc_thread.h"

#include <QObject>

class QMenu;
class QWidget;

namespace meterscope::app {

class ChartView;
class Connection;
class MessageBar;
class SeriesList;

/// Series management from the series list's context menu: delete a series
/// (after a confirmation naming its point count), delete a time range of
/// it (prefilled with the chart's visible range), rename it, set its unit
/// or its kind (what its readings mean, #16).
/// The calls run on a worker thread (answers to superseded ones are
/// dropped); refusals and failures go to the notice bar in the server's
/// words. What became of a series is signalled for the views to follow.
class SeriesManager : public QObject {
    Q_OBJECT

public:
    SeriesManager(Connection &connection, SeriesList &list, const ChartView &chart, MessageBar &notices,
                  QWidget *window);

    /// The menu a right click on the row of `series` opens (deleted on close).
    QMenu *menuFor(const QString &series);
    /// Each opens its dialog (they do not block) and acts once it is accepted.
    void confirmDelete(const QString &series);
    void chooseRangeToDelete(const QString &series);
    void chooseName(const QString &series);
    void chooseUnit(const QString &series);
    /// Sets the kind of `series` (interval, cumulative or instant).
    void setKind(const QString &series, const QString &kind);

signals:
    /// The series is gone (its views should clear).
    void seriesDeleted(const QString &series);
    /// The series `before` is now called `after` (renamed), or is the same
    /// one with points removed or a new unit (before == after).
    void seriesChanged(const QString &before, const QString &after);
    /// What was done, for the status bar.
    void done(const QString &message);

private:
    void run(std::function<void(RpcWorker &, const ClientPtr &, quint64)> call);
    void deleteRange(const QString &series, qint64 startUs, qint64 endUs);

    Connection &m_connection;
    SeriesList &m_list;
    const ChartView &m_chart;
    MessageBar &m_notices;
    QWidget *m_window;
    RpcThread m_rpc;
};

} // namespace meterscope::app
