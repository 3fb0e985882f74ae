#pragma once

#include "gui/rpc_thread.h"

#include <QObject>
#include <QTimer>

namespace meterscope::app {

class Connection;

/// Decides which points the chart draws, and fetches them: an overview of
/// the whole series at the plot's pixel width, then, after each zoom or pan,
/// the visible range at that width (M4 on the server, so at most about four
/// points per pixel column), reaching a little beyond the view to hold the
/// readings next to its edges. Gaps in the readings are marked (gaps.h). Requests wait for the user to pause; a newer
/// one cancels the older, whose answers are dropped. Until the detail
/// arrives the chart keeps what it has; where a range holds few enough
/// points, the server sends every one of them.
class ChartLoader : public QObject {
    Q_OBJECT

public:
    explicit ChartLoader(Connection &connection, QObject *parent = nullptr);

    /// Starts over on `series`, with an overview at `width` pixels.
    void setSeries(const SeriesInfo &series, int width);
    /// Forgets the series; no points.
    void clear();
    /// Fetches everything again (after a reconnect).
    void reload();
    /// The view now shows [startUs, endUs) at `width` pixels.
    void setView(qint64 startUs, qint64 endUs, int width);
    /// New points of the series (Live). Points after the last known one are
    /// appended; older ones make it fetch again.
    void append(const PointColumns &points);

    const SeriesInfo &series() const { return m_series; }
    bool hasSeries() const { return !m_series.name.isEmpty(); }
    /// What to draw: the overview, with the latest detail in its range;
    /// bucketUs is the detail's when there is one (0: every point of it).
    const PointColumns &points() const { return m_points; }
    /// A request is pending or running.
    bool busy() const;

signals:
    /// points() changed: redraw (one replace).
    void pointsChanged();
    void busyChanged(bool busy);
    void failed(const QString &message);

private:
    enum class Request { None, Overview, Detail };

    void requestOverview();
    void requestDetail();
    void request(Request kind, std::optional<qint64> startUs, std::optional<qint64> endUs, int width);
    void onPoints(const PointColumns &points);
    void onFinished();
    void onFailed(const RpcError &error);
    void compose();
    void setBusy(bool busy);
    bool wantsDetail() const;
    bool overviewHasEveryPoint() const;

    Connection &m_connection;
    RpcThread m_rpc;
    QTimer m_debounce;
    SeriesInfo m_series;

    PointColumns m_overview;
    // Readings in the overview (without its gap points).
    qint64 m_overviewReadings = 0;
    int m_overviewWidth = 0;
    // The series' usual interval between readings (see gaps.h).
    qint64 m_typicalUs = 0;
    bool m_hasDetail = false;
    PointColumns m_detail;
    qint64 m_detailStart = 0;
    qint64 m_detailEnd = 0;
    PointColumns m_points;

    Request m_running = Request::None;
    PointColumns m_incoming;
    // Live points that came while a request ran: its answer may miss them.
    PointColumns m_liveDuringRequest;
    qint64 m_incomingStart = 0;
    qint64 m_incomingEnd = 0;

    qint64 m_viewStart = 0;
    qint64 m_viewEnd = 0;
    int m_viewWidth = 0;
    bool m_busy = false;
};

} // namespace meterscope::app
