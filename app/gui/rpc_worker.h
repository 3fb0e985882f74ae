#pragma once

#include "client/client.h"
#include "client/export_format.h"
#include "client/series_export.h"
#include "core/point_columns.h"
#include "core/series_info.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace meterscope::app {

using ClientPtr = std::shared_ptr<client::Client>;

/// A failed call, in the words the window shows.
struct RpcError {
    grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
    QString message;

    /// The server could not be reached: the connection should notice.
    bool unreachable() const;
    bool cancelled() const { return code == grpc::StatusCode::CANCELLED; }
};

/// One Query as the chart and the JSON view ask for it.
struct QueryJob {
    QString series;
    std::optional<qint64> startUs;
    std::optional<qint64> endUs;
    /// Drawn at this pixel width: the server sends every point of a range
    /// that holds at most four a pixel, else M4 (PointColumns::bucketUs
    /// says which); 0 = every point.
    quint32 maxPoints = 0;
};

/// Runs gRPC calls on the thread it lives on (see RpcThread) and reports
/// through queued signals, each tagged with the generation of the request
/// it answers. Every call is blocking and may be stopped from any thread
/// through its Cancellation.
class RpcWorker : public QObject {
    Q_OBJECT

public:
    void listSeries(const ClientPtr &client, quint64 generation);
    /// Emits pointsReceived() per batch, then queryFinished() or failed().
    void query(const ClientPtr &client, quint64 generation, const QueryJob &job, client::Cancellation &cancellation);
    /// Follows a series (client::follow()): pointsReceived() for the
    /// backfill from `sinceUs`, then for each commit, subscribeInterrupted()
    /// each time it has to subscribe again, until cancelled, deleted or
    /// renamed (seriesGone(), then queryFinished()) or failed().
    void subscribe(const ClientPtr &client, quint64 generation, const QString &series, std::optional<qint64> sinceUs,
                   client::Cancellation &cancellation);
    /// Uploads the file at `path` under the name `fileName` (what the
    /// server's messages and a header-less file's series are named after),
    /// read as `settings` say (a fresh import id is set).
    void importFile(const ClientPtr &client, quint64 generation, const QString &path, const QString &fileName,
                    const client::ImportSettings &settings, client::Cancellation &cancellation);
    /// How much of a file a preview reads.
    static constexpr qint64 kPreviewBytes = 256 * 1024;
    /// A dry run of the first kPreviewBytes of the file at `path` (up to
    /// its last whole line) with `settings` (dryRun set): previewed() with
    /// the report, or failed().
    void previewFile(const ClientPtr &client, quint64 generation, const QString &path, const QString &fileName,
                     client::ImportSettings settings, client::Cancellation &cancellation);
    /// Writes what `source` selects (a series' points from a fresh Query,
    /// or its totals) to `path` (replaced only on success), in the formats
    /// of `meterscope-cli export`.
    void exportSeries(const ClientPtr &client, quint64 generation, const client::ExportSource &source,
                      const QString &path, client::ExportFormat format, timeutil::Zone zone,
                      client::Cancellation &cancellation);
    /// Deletes the series or its points in the request's range:
    /// seriesDeleted() or failed().
    void deleteSeries(const ClientPtr &client, quint64 generation, const v1::DeleteSeriesRequest &request);
    /// Renames the series or sets its unit: seriesUpdated() or failed().
    void updateSeries(const ClientPtr &client, quint64 generation, const v1::UpdateSeriesRequest &request);
    /// Where readings are missing (ListGaps): gapsListed() or failed().
    void listGaps(const ClientPtr &client, quint64 generation, const v1::ListGapsRequest &request);
    /// Totals per bucket (Aggregate): aggregated() or failed().
    void aggregate(const ClientPtr &client, quint64 generation, const v1::AggregateRequest &request,
                   client::Cancellation &cancellation);

signals:
    void seriesListed(quint64 generation, const QList<meterscope::app::SeriesInfo> &series);
    void pointsReceived(quint64 generation, const meterscope::app::PointColumns &points);
    void queryFinished(quint64 generation);
    /// Subscribe: the followed series lost its points in [startUs, endUs).
    void pointsRemoved(quint64 generation, qint64 startUs, qint64 endUs);
    /// Subscribe: the followed series was deleted, or renamed to `renamedTo`
    /// (empty when deleted); the stream ends after it.
    void seriesGone(quint64 generation, const QString &renamedTo);
    /// Subscribe: the stream broke off (`error`); it resumes by itself after
    /// the last point received.
    void subscribeInterrupted(quint64 generation, const meterscope::app::RpcError &error);
    /// `bytes` of the file the server has read so far and the rows in them.
    void importProgress(quint64 generation, quint64 bytes, quint64 rows);
    /// The server's report. `interruption` is set when the call ended
    /// without one and the server said it had committed the file anyway.
    void imported(quint64 generation, const meterscope::v1::ImportReport &report, const QString &interruption);
    void previewed(quint64 generation, const meterscope::v1::ImportReport &report);
    void exportProgress(quint64 generation, quint64 points);
    void exported(quint64 generation, quint64 points);
    void seriesDeleted(quint64 generation, const QString &series, const meterscope::v1::DeleteSeriesResponse &response);
    /// `before` is the name the request used; `series` is as it is now.
    void seriesUpdated(quint64 generation, const QString &before, const meterscope::app::SeriesInfo &series);
    void gapsListed(quint64 generation, const meterscope::v1::ListGapsResponse &gaps);
    /// Aggregate's answers, each series' messages in the order they came.
    void aggregated(quint64 generation, const QList<meterscope::v1::AggregateResponse> &answers);
    void failed(quint64 generation, const meterscope::app::RpcError &error);

private:
    // Runs `call` if there is a client, turning exceptions into failed().
    template<typename Call>
    void guarded(quint64 generation, const ClientPtr &client, Call &&call);
};

/// A series as the app keeps it.
SeriesInfo toSeriesInfo(const v1::Series &series);

} // namespace meterscope::app

Q_DECLARE_METATYPE(meterscope::app::RpcError)
Q_DECLARE_METATYPE(meterscope::v1::ImportReport)
Q_DECLARE_METATYPE(meterscope::v1::DeleteSeriesResponse)
Q_DECLARE_METATYPE(meterscope::v1::AggregateResponse)
Q_DECLARE_METATYPE(meterscope::v1::ListGapsResponse)
