#pragma once

#include "gui/rpc_worker.h"

#include <QThread>

#include <memory>

namespace meterscope::app {

/// Owns an RpcWorker on a thread of its own and tracks the one request
/// that is current (hotspot's JobTracker): start() cancels the request
/// before it, and answers to older requests are dropped here, so its
/// signals (the worker's, without their generation) only ever carry
/// answers to the current request. The destructor cancels, quit()s and
/// wait()s.
class RpcThread : public QObject {
    Q_OBJECT

public:
    explicit RpcThread(QObject *parent = nullptr);
    ~RpcThread() override;

    /// Supersedes the current request (cancels it; its answers will be
    /// dropped) and queues `call(worker, generation, cancellation)` on the
    /// worker thread.
    template<typename Call>
    void start(Call &&call)
    {
        abandon();
        auto cancellation = std::make_shared<client::Cancellation>();
        m_cancellation = cancellation;
        QMetaObject::invokeMethod(
            m_worker.get(),
            [worker = m_worker.get(), generation = m_generation, cancellation,
             call = std::forward<Call>(call)]() mutable { call(*worker, generation, *cancellation); },
            Qt::QueuedConnection);
    }

    /// Cancels the current request. Its answers still arrive, so the owner
    /// learns how it really ended (an import may have committed already).
    void cancel();
    /// Cancels the current request and drops its answers.
    void abandon()
    {
        cancel();
        ++m_generation;
    }

signals:
    // RpcWorker's signals, for the current request.
    void seriesListed(const QList<meterscope::app::SeriesInfo> &series);
    void pointsReceived(const meterscope::app::PointColumns &points);
    void queryFinished();
    void pointsRemoved(qint64 startUs, qint64 endUs);
    void seriesGone(const QString &renamedTo);
    void subscribeInterrupted(const meterscope::app::RpcError &error);
    void importProgress(quint64 bytes, quint64 rows);
    void imported(const meterscope::v1::ImportReport &report, const QString &interruption);
    void previewed(const meterscope::v1::ImportReport &report);
    void exportProgress(quint64 points);
    void exported(quint64 points);
    void seriesDeleted(const QString &series, const meterscope::v1::DeleteSeriesResponse &response);
    void seriesUpdated(const QString &before, const meterscope::app::SeriesInfo &series);
    void aggregated(const QList<meterscope::v1::AggregateResponse> &answers);
    void gapsListed(const meterscope::v1::ListGapsResponse &gaps);
    void failed(const meterscope::app::RpcError &error);

private:
    // Re-emits the worker's signal `from` as `to` when it answers the current request.
    template<typename... Args>
    void forward(void (RpcWorker::*from)(quint64, Args...), void (RpcThread::*to)(Args...));

    QThread m_thread;
    std::unique_ptr<RpcWorker> m_worker;
    std::shared_ptr<client::Cancellation> m_cancellation;
    quint64 m_generation = 0;
};

} // namespace meterscope::app
