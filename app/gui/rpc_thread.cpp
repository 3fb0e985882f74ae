#include "gui/rpc_thread.h"

namespace meterscope::app {

template<typename... Args>
void RpcThread::forward(void (RpcWorker::*from)(quint64, Args...), void (RpcThread::*to)(Args...))
{
    // Queued: this runs on the owner's thread, where m_generation changes.
    connect(m_worker.get(), from, this, [this, to](quint64 generation, Args... args) {
        if (generation == m_generation)
            (this->*to)(args...);
    });
}

RpcThread::RpcThread(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_unique<RpcWorker>())
{
    forward(&RpcWorker::seriesListed, &RpcThread::seriesListed);
    forward(&RpcWorker::pointsReceived, &RpcThread::pointsReceived);
    forward(&RpcWorker::queryFinished, &RpcThread::queryFinished);
    forward(&RpcWorker::pointsRemoved, &RpcThread::pointsRemoved);
    forward(&RpcWorker::seriesGone, &RpcThread::seriesGone);
    forward(&RpcWorker::subscribeInterrupted, &RpcThread::subscribeInterrupted);
    forward(&RpcWorker::importProgress, &RpcThread::importProgress);
    forward(&RpcWorker::imported, &RpcThread::imported);
    forward(&RpcWorker::previewed, &RpcThread::previewed);
    forward(&RpcWorker::exportProgress, &RpcThread::exportProgress);
    forward(&RpcWorker::exported, &RpcThread::exported);
    forward(&RpcWorker::seriesDeleted, &RpcThread::seriesDeleted);
    forward(&RpcWorker::seriesUpdated, &RpcThread::seriesUpdated);
    forward(&RpcWorker::aggregated, &RpcThread::aggregated);
    forward(&RpcWorker::gapsListed, &RpcThread::gapsListed);
    forward(&RpcWorker::failed, &RpcThread::failed);
    m_thread.setObjectName("rpc");
    m_worker->moveToThread(&m_thread);
    m_thread.start();
}

RpcThread::~RpcThread()
{
    cancel();
    m_thread.quit();
    m_thread.wait();
}

void RpcThread::cancel()
{
    if (m_cancellation)
        m_cancellation->cancel();
}

} // namespace meterscope::app
