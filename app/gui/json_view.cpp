#include "gui/json_view.h"

#include "gui/connection.h"
#include "gui/line_list_view.h"
#include "gui/window_actions.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>

namespace meterscope::app {

JsonView::JsonView(Connection &connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_model(new JsonModel(this))
    , m_text(new LineListView(this))
    , m_status(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_bar(new QHBoxLayout)
{
    m_text->setModel(m_model);
    m_text->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *copy = new QAction(tr("Copy as JSON"), m_text);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &JsonView::copySelection);
    copy->setEnabled(false);
    connect(m_text, &LineListView::selectionChanged, copy,
            [this, copy] { copy->setEnabled(!m_text->selection().isEmpty()); });
    auto *selectAll = new QAction(tr("Select All"), m_text);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    connect(selectAll, &QAction::triggered, m_text, &LineListView::selectAll);
    m_text->addActions({copy, selectAll});

    m_progress->setMaximum(1000);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(160);
    m_progress->setMaximumHeight(12);
    m_progress->hide();

    m_bar->setContentsMargins(6, 4, 6, 0);
    m_bar->addWidget(m_status, 1);
    m_bar->addWidget(m_progress);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(m_bar);
    addBarAction(copy);
    layout->addWidget(m_text);

    connect(&m_rpc, &RpcThread::pointsReceived, this, &JsonView::onPoints);
    connect(&m_rpc, &RpcThread::queryFinished, this, &JsonView::onFinished);
    connect(&m_rpc, &RpcThread::failed, this, &JsonView::onFailed);
    updateStatus();
}

JsonView::~JsonView() = default;

void JsonView::addBarAction(QAction *action)
{
    addBarButton(*m_bar, action, this);
}

void JsonView::showSeries(const SeriesInfo &series)
{
    m_rpc.abandon();
    m_model->clear();
    m_series = series;
    m_state = State::Waiting;
    if (isVisible())
        load();
    updateStatus();
}

void JsonView::clear(const QString &message)
{
    m_rpc.abandon();
    m_model->clear();
    m_series = {};
    m_state = State::Empty;
    m_error = message;
    updateStatus();
}

void JsonView::reload()
{
    if (m_state == State::Empty)
        return;
    m_rpc.abandon();
    m_model->clear();
    m_state = State::Waiting;
    if (isVisible())
        load();
    updateStatus();
}

void JsonView::retryIfFailed()
{
    if (m_state == State::Failed)
        reload();
}

void JsonView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_state == State::Waiting)
        load();
}

void JsonView::load()
{
    m_state = State::Loading;
    m_error.clear();
    m_liveDuringLoad = {};
    QueryJob job;
    job.series = m_series.name;
    m_rpc.start([client = m_connection.client(), job](RpcWorker &worker, quint64 generation,
                                                      client::Cancellation &cancellation) {
        worker.query(client, generation, job, cancellation);
    });
    updateStatus();
}

void JsonView::appendPoints(const PointColumns &points)
{
    switch (m_state) {
    case State::Loading:
        m_liveDuringLoad.append(points);
        break;
    case State::Loaded:
        if (!points.isEmpty() && m_model->points().lastTime()
            && points.timesUs.front() <= *m_model->points().lastTime()) {
            reload();
        } else {
            m_model->append(points);
            m_series.points = m_model->pointCount();
        }
        updateStatus();
        break;
    default:
        break;
    }
}

void JsonView::setDisplayZone(const DisplayZone &zone)
{
    m_model->setZone(zone);
}

void JsonView::copySelection()
{
    const QItemSelection selection = m_text->selection();
    if (!selection.isEmpty())
        QGuiApplication::clipboard()->setText(m_model->text(selection));
}

void JsonView::onPoints(const PointColumns &points)
{
    m_model->append(points);
    updateStatus();
}

void JsonView::onFinished()
{
    m_model->append(m_liveDuringLoad);
    m_liveDuringLoad = {};
    m_state = State::Loaded;
    m_series.points = m_model->pointCount();
    updateStatus();
    emit loadFinished();
}

void JsonView::onFailed(const RpcError &error)
{
    if (error.cancelled())
        return;
    m_state = State::Failed;
    m_error = error.message;
    m_connection.reportFailure(error);
    updateStatus();
}

QString JsonView::statusText() const
{
    return m_status->text();
}

void JsonView::updateStatus()
{
    const QLocale locale;
    const qsizetype have = m_model->pointCount();
    m_progress->setVisible(m_state == State::Loading);
    switch (m_state) {
    case State::Empty:
        m_status->setText(m_error.isEmpty() ? tr("No series selected.") : m_error.toHtmlEscaped());
        break;
    case State::Waiting:
    case State::Loading:
        m_status->setText(
            tr("<b>%1</b> · loading %2 of %3 points…")
                .arg(m_series.name.toHtmlEscaped(), locale.toString(have), locale.toString(m_series.points)));
        m_progress->setValue(m_series.points > 0 ? int(std::min<qint64>(have * 1000 / m_series.points, 1000)) : 0);
        break;
    case State::Loaded:
        m_status->setText(tr("<b>%1</b> · %2")
                              .arg(m_series.name.toHtmlEscaped(),
                                   have == 1 ? tr("1 point") : tr("%1 points").arg(locale.toString(have))));
        break;
    case State::Failed:
        m_status->setText(
            tr("<b>%1</b> · could not load: %2").arg(m_series.name.toHtmlEscaped(), m_error.toHtmlEscaped()));
        break;
    }
}

} // namespace meterscope::app
