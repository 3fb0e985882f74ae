#pragma once

#include "gui/json_model.h"
#include "gui/rpc_thread.h"

#include <QWidget>

class QHBoxLayout;
class QLabel;
class QProgressBar;
class QToolButton;

namespace meterscope::app {

class Connection;
class LineListView;

/// The JSON tab: the selected series in the prototype's JSON shape, in a
/// virtualised text view (a line per point, written only when on screen).
/// The points stream in as batches when the tab is first shown for a
/// series, with progress. Copy (Ctrl+C) puts the selected points on the
/// clipboard as valid JSON; Select All + Copy gives the whole document.
class JsonView : public QWidget {
    Q_OBJECT

public:
    explicit JsonView(Connection &connection, QWidget *parent = nullptr);
    ~JsonView() override;

    /// Shows `series`; its points are fetched once the view is visible.
    void showSeries(const SeriesInfo &series);
    /// Shows nothing, saying `message` (why the series is gone) if given.
    void clear(const QString &message = {});
    /// The status line above the points.
    QString statusText() const;
    /// Fetches the points again if fetching them failed (the server was away).
    void retryIfFailed();
    /// New points of the shown series (Live).
    void appendPoints(const PointColumns &points);
    void setDisplayZone(const DisplayZone &zone);
    /// Puts a button for `action` (Save JSON…) on the view's bar.
    void addBarAction(QAction *action);

    JsonModel *model() const { return m_model; }
    LineListView *textView() const { return m_text; }
    /// Copies the selection as JSON to the clipboard.
    void copySelection();
    /// All points have arrived.
    bool loaded() const { return m_state == State::Loaded; }

signals:
    /// Every point of the shown series is in the model.
    void loadFinished();

protected:
    void showEvent(QShowEvent *event) override;

private:
    enum class State { Empty, Waiting, Loading, Loaded, Failed };

    void load();
    void reload();
    void onPoints(const PointColumns &points);
    void onFinished();
    void onFailed(const RpcError &error);
    void updateStatus();

    Connection &m_connection;
    RpcThread m_rpc;
    JsonModel *m_model;
    LineListView *m_text;
    QLabel *m_status;
    QProgressBar *m_progress;
    QHBoxLayout *m_bar;
    SeriesInfo m_series;
    State m_state = State::Empty;
    QString m_error;
    // Live points that came while the points were loading.
    PointColumns m_liveDuringLoad;
};

} // namespace meterscope::app
