#include "gui/series_manager.h"

#include "gui/chart_view.h"
#include "gui/connection.h"
#include "gui/message_bar.h"
#include "gui/range_dialog.h"
#include "gui/series_list.h"
#include "gui/window_dialogs.h"
#include "meterscope/v1/import_summary.h"

#include <QInputDialog>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeView>

namespace meterscope::app {

namespace {

const QString kTimeFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

QString pointCount(qint64 points)
{
    return points == 1 ? SeriesManager::tr("1 point") : SeriesManager::tr("%1 points").arg(QLocale().toString(points));
}

// Asks before something that cannot be undone; runs `onYes` if the user agrees.
void askToDelete(QWidget *parent, const QString &question, std::function<void()> onYes)
{
    auto *box
        = new QMessageBox(QMessageBox::Warning, SeriesManager::tr("Delete"), question, QMessageBox::NoButton, parent);
    box->setObjectName("deleteQuestion");
    box->setInformativeText(SeriesManager::tr("This cannot be undone."));
    QPushButton *yes = box->addButton(SeriesManager::tr("&Delete"), QMessageBox::DestructiveRole);
    box->setDefaultButton(box->addButton(QMessageBox::Cancel));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box, [box, yes, onYes = std::move(onYes)] {
        if (box->clickedButton() == yes)
            onYes();
    });
    box->open();
}

} // namespace

SeriesManager::SeriesManager(Connection &connection, SeriesList &list, const ChartView &chart, MessageBar &notices,
                             QWidget *window)
    : QObject(window)
    , m_connection(connection)
    , m_list(list)
    , m_chart(chart)
    , m_notices(notices)
    , m_window(window)
{
    QTreeView *view = m_list.view();
    view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(view, &QWidget::customContextMenuRequested, this, [this, view](const QPoint &pos) {
        const QModelIndex index = view->indexAt(pos);
        if (index.isValid())
            menuFor(index.siblingAtColumn(SeriesListModel::NameColumn).data().toString())
                ->popup(view->viewport()->mapToGlobal(pos));
    });

    connect(&m_rpc, &RpcThread::seriesDeleted, this,
            [this](const QString &series, const v1::DeleteSeriesResponse &response) {
                if (response.series_deleted()) {
                    emit done(tr("Deleted '%1' and its %2.").arg(series, pointCount(response.points_deleted())));
                    emit seriesDeleted(series);
                } else {
                    emit done(tr("Deleted %1 of '%2'.").arg(pointCount(response.points_deleted()), series));
                    emit seriesChanged(series, series);
                }
            });
    connect(&m_rpc, &RpcThread::seriesUpdated, this, [this](const QString &before, const SeriesInfo &series) {
        emit done(before == series.name ? tr("'%1' is now %2, in '%3'.").arg(series.name, series.kind, series.unit)
                                        : tr("Renamed '%1' to '%2'.").arg(before, series.name));
        emit seriesChanged(before, series.name);
    });
    connect(&m_rpc, &RpcThread::failed, this, [this](const RpcError &error) {
        if (error.unreachable())
            m_connection.reportFailure(error);
        m_notices.showMessage(MessageBar::Kind::Error, error.message);
        // The list may be out of date: the series gone, or the name taken.
        m_connection.refresh();
    });
}

QMenu *SeriesManager::menuFor(const QString &series)
{
    auto *menu = new QMenu(m_list.view());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const bool connected = m_connection.state() == Connection::State::Connected;
    const auto add = [&](const QString &text, void (SeriesManager::*open)(const QString &)) {
        QAction *action = menu->addAction(text, this, [this, open, series] { (this->*open)(series); });
        action->setEnabled(connected);
    };
    add(tr("&Rename…"), &SeriesManager::chooseName);
    add(tr("Set &Unit…"), &SeriesManager::chooseUnit);
    // What the readings are: checkable, the current kind checked.
    QMenu *kinds = menu->addMenu(tr("&Kind"));
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    for (const auto &[kind, text] : {std::pair{"interval", tr("&Interval: usage per reading")},
                                     std::pair{"cumulative", tr("&Cumulative: a register")},
                                     std::pair{"instant", tr("In&stant: a level, averaged")}}) {
        QAction *action = kinds->addAction(text, this, [this, series, kind = QString(kind)] { setKind(series, kind); });
        action->setCheckable(true);
        action->setChecked(info && info->kind == kind);
        action->setEnabled(connected);
    }
    menu->addSeparator();
    add(tr("Delete a &Time Range…"), &SeriesManager::chooseRangeToDelete);
    add(tr("&Delete Series…"), &SeriesManager::confirmDelete);
    return menu;
}

void SeriesManager::run(std::function<void(RpcWorker &, const ClientPtr &, quint64)> call)
{
    m_notices.hide();
    m_rpc.start([client = m_connection.client(), call = std::move(call)](RpcWorker &worker, quint64 generation,
                                                                         client::Cancellation &) {
        call(worker, client, generation);
    });
}

void SeriesManager::confirmDelete(const QString &series)
{
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    const QString question
        = info ? tr("Delete '%1' and its %2?").arg(series, pointCount(info->points)) : tr("Delete '%1'?").arg(series);
    askToDelete(m_window, question, [this, series] {
        v1::DeleteSeriesRequest request;
        request.set_series(series.toStdString());
        run([request](RpcWorker &worker, const ClientPtr &client, quint64 generation) {
            worker.deleteSeries(client, generation, request);
        });
    });
}

void SeriesManager::chooseRangeToDelete(const QString &series)
{
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    qint64 start = info && info->firstUs ? *info->firstUs : 0;
    qint64 end = info && info->lastUs ? *info->lastUs + 1 : start;
    if (m_chart.series().name == series && m_chart.visibleEnd() > m_chart.visibleStart()) {
        start = m_chart.visibleStart();
        end = m_chart.visibleEnd();
    }
    // Whole seconds, the range widened to them: the dialog shows no
    // fractions, and a whole series' end (just after its last point)
    // must not come back as the last point's time, which To leaves out.
    constexpr qint64 kSecond = timeutil::kMicrosPerSecond;
    start -= ((start % kSecond) + kSecond) % kSecond;
    end += (kSecond - ((end % kSecond) + kSecond) % kSecond) % kSecond;
    const DisplayZone zone = m_list.model()->zone();
    auto *dialog = new RangeDialog(tr("Delete Points of '%1'").arg(series), zone, start, end, m_window);
    dialog->setObjectName("rangeDialog");
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog, series] { deleteRange(series, dialog->startUs(), dialog->endUs()); });
    dialog->open();
}

void SeriesManager::deleteRange(const QString &series, qint64 startUs, qint64 endUs)
{
    const timeutil::Zone zone = m_list.model()->zone().zone();
    askToDelete(m_window,
                tr("Delete the points of '%1' from %2 to %3?")
                    .arg(series, formatWallTime(startUs, zone, kTimeFormat), formatWallTime(endUs, zone, kTimeFormat)),
                [this, series, startUs, endUs] {
                    v1::DeleteSeriesRequest request;
                    request.set_series(series.toStdString());
                    request.set_start_time_us(startUs);
                    request.set_end_time_us(endUs);
                    run([request](RpcWorker &worker, const ClientPtr &client, quint64 generation) {
                        worker.deleteSeries(client, generation, request);
                    });
                });
}

void SeriesManager::chooseName(const QString &series)
{
    QInputDialog *dialog = openTextDialog(m_window, tr("Rename Series"), tr("New name for '%1':").arg(series), series);
    dialog->setObjectName("renameDialog");
    connect(dialog, &QInputDialog::textValueSelected, this, [this, series](const QString &text) {
        if (text == series)
            return;
        v1::UpdateSeriesRequest request;
        request.set_series(series.toStdString());
        request.set_rename(text.toStdString());
        run([request](RpcWorker &worker, const ClientPtr &client, quint64 generation) {
            worker.updateSeries(client, generation, request);
        });
    });
}

void SeriesManager::chooseUnit(const QString &series)
{
    const std::optional<SeriesInfo> info = m_connection.findSeries(series);
    QInputDialog *dialog
        = openTextDialog(m_window, tr("Set Unit"), tr("Unit of '%1' (such as kWh; empty for none):").arg(series),
                         info ? info->unit : QString());
    dialog->setObjectName("unitDialog");
    connect(dialog, &QInputDialog::textValueSelected, this, [this, series](const QString &text) {
        v1::UpdateSeriesRequest request;
        request.set_series(series.toStdString());
        request.set_unit(text.trimmed().toStdString());
        run([request](RpcWorker &worker, const ClientPtr &client, quint64 generation) {
            worker.updateSeries(client, generation, request);
        });
    });
}

void SeriesManager::setKind(const QString &series, const QString &kind)
{
    v1::UpdateSeriesRequest request;
    request.set_series(series.toStdString());
    request.set_kind(v1::kindByName(kind.toStdString()));
    run([request](RpcWorker &worker, const ClientPtr &client, quint64 generation) {
        worker.updateSeries(client, generation, request);
    });
}

} // namespace meterscope::app
