#include "gui/series_list.h"

#include "time/instant.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QLocale>
#include <QScopedValueRollback>
#include <QSortFilterProxyModel>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <limits>

namespace meterscope::app {

namespace {

const QString kTimeFormat = QStringLiteral("yyyy-MM-dd HH:mm");

} // namespace

SeriesListModel::SeriesListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int SeriesListModel::rowOf(const QString &name) const
{
    for (int row = 0; row < m_series.size(); ++row) {
        if (m_series[row].name == name)
            return row;
    }
    return -1;
}

void SeriesListModel::setSeries(const QList<SeriesInfo> &series)
{
    // Rows that are gone, from the end so the row numbers stay valid.
    for (int row = int(m_series.size()) - 1; row >= 0; --row) {
        const bool kept = std::any_of(series.begin(), series.end(),
                                      [&](const SeriesInfo &s) { return s.name == m_series[row].name; });
        if (!kept) {
            beginRemoveRows({}, row, row);
            m_series.removeAt(row);
            endRemoveRows();
        }
    }
    for (const SeriesInfo &info : series) {
        const int row = rowOf(info.name);
        if (row < 0) {
            beginInsertRows({}, int(m_series.size()), int(m_series.size()));
            m_series.append(info);
            endInsertRows();
        } else if (!(m_series[row] == info)) {
            m_series[row] = info;
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

void SeriesListModel::setZone(const DisplayZone &zone)
{
    m_zone = zone;
    if (!m_series.isEmpty())
        emit dataChanged(index(0, FirstColumn), index(int(m_series.size()) - 1, LastColumn));
    emit headerDataChanged(Qt::Horizontal, FirstColumn, LastColumn);
}

int SeriesListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_series.size());
}

int SeriesListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SeriesListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SeriesInfo &series = m_series[index.row()];
    const std::optional<qint64> &time = index.column() == FirstColumn ? series.firstUs : series.lastUs;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return series.name;
        case PointsColumn:
            return QLocale().toString(series.points);
        default:
            return time ? formatWallTime(*time, m_zone.zone(), kTimeFormat) : QString();
        }
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            return series.name;
        case PointsColumn:
            return series.points;
        default:
            return time ? *time : std::numeric_limits<qint64>::min();
        }
    case Qt::TextAlignmentRole:
        return index.column() == NameColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ToolTipRole: {
        const timeutil::Zone zone = m_zone.zone();
        QString tip
            = series.name
              + QStringLiteral(" (%1%2)").arg(series.kind, series.unit.isEmpty() ? QString() : ", " + series.unit);
        tip += '\n' + (series.points == 1 ? tr("1 point") : tr("%1 points").arg(QLocale().toString(series.points)));
        if (series.firstUs && series.lastUs)
            tip += '\n'
                   + tr("from %1\nto %2")
                         .arg(QString::fromStdString(timeutil::formatIso(*series.firstUs, zone)),
                              QString::fromStdString(timeutil::formatIso(*series.lastUs, zone)));
        return tip;
    }
    default:
        return {};
    }
}

QVariant SeriesListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case NameColumn:
            return tr("Series");
        case PointsColumn:
            return tr("Points");
        case FirstColumn:
            return tr("From");
        case LastColumn:
            return tr("To");
        }
    }
    if (role == Qt::ToolTipRole && section >= FirstColumn)
        return tr("Times in %1").arg(m_zone.label());
    if (role == Qt::TextAlignmentRole && section != NameColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

SeriesList::SeriesList(QWidget *parent)
    : QWidget(parent)
    , m_model(new SeriesListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
{
    // The view would make a neighbour of a removed current row current
    // (later, queued), showing a series nobody chose: nothing is current
    // before the proxy and the view hear of the removal.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this](const QModelIndex &, int first, int last) {
        const int row = m_proxy->mapToSource(m_view->currentIndex()).row();
        if (row >= first && row <= last)
            m_view->selectionModel()->clear();
    });
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(SeriesListModel::SortRole);
    m_proxy->setFilterKeyColumn(SeriesListModel::NameColumn);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_proxy->setSortCaseSensitivity(Qt::CaseInsensitive);

    m_filter->setPlaceholderText(tr("Filter series"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, this, &SeriesList::filter);

    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(SeriesListModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->header()->setStretchLastSection(false);
    m_view->header()->setSectionResizeMode(SeriesListModel::NameColumn, QHeaderView::Stretch);
    for (int column = SeriesListModel::PointsColumn; column < SeriesListModel::ColumnCount; ++column)
        m_view->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (m_quiet || !current.isValid())
                    return;
                m_chosen = current.siblingAtColumn(SeriesListModel::NameColumn).data().toString();
                emit seriesSelected(m_chosen);
            });
    m_view->installEventFilter(this);
    m_view->viewport()->installEventFilter(this);
    // The columns' widths follow their contents: the first series listed
    // may need more room than the empty list had.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &SeriesList::fitColumns);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SeriesList::fitColumns);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_view);
}

bool SeriesList::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitColumns();
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Home && key->modifiers() == Qt::NoModifier) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void SeriesList::fitColumns()
{
    // Names stay readable: the time range columns go before they would
    // squeeze the names to "…".
    constexpr int kNameWidth = 150;
    QHeaderView *header = m_view->header();
    int others = 0;
    for (const int column : {SeriesListModel::PointsColumn, SeriesListModel::FirstColumn, SeriesListModel::LastColumn})
        others += std::max(header->sectionSizeHint(column),
                           static_cast<const QAbstractItemView *>(m_view)->sizeHintForColumn(column));
    const bool wide = m_view->viewport()->width() >= kNameWidth + others;
    m_view->setColumnHidden(SeriesListModel::FirstColumn, !wide);
    m_view->setColumnHidden(SeriesListModel::LastColumn, !wide);
}

void SeriesList::filter(const QString &text)
{
    const QScopedValueRollback quiet(m_quiet, true);
    m_proxy->setFilterFixedString(text);
    const int row = m_model->rowOf(m_chosen);
    const QModelIndex index
        = row < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->index(row, SeriesListModel::NameColumn));
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

bool SeriesList::select(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row < 0)
        return false;
    m_filter->clear();
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, SeriesListModel::NameColumn));
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

QString SeriesList::selected() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.siblingAtColumn(SeriesListModel::NameColumn).data().toString() : QString();
}

} // namespace meterscope::app
