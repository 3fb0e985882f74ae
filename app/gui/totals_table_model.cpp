#include "gui/totals_table_model.h"

#include <QGuiApplication>
#include <QPalette>

namespace meterscope::app {

namespace {

constexpr int kColumns = 8;

} // namespace

QString valueText(double value)
{
    return QString::number(value, 'g', 8);
}

QString bucketLabel(const v1::TotalBucket &bucket, timeutil::Period period, const timeutil::Zone &zone)
{
    switch (period) {
    case timeutil::Period::Hour:
        return formatWallTime(bucket.start_time_us(), zone, "ddd d MMM yyyy HH:mm");
    case timeutil::Period::Day:
        return formatWallTime(bucket.start_time_us(), zone, "ddd d MMM yyyy");
    case timeutil::Period::Week:
        return QObject::tr("week of %1").arg(formatWallTime(bucket.start_time_us(), zone, "d MMM yyyy"));
    case timeutil::Period::Month:
        return formatWallTime(bucket.start_time_us(), zone, "MMMM yyyy");
    case timeutil::Period::Year:
        break;
    }
    return formatWallTime(bucket.start_time_us(), zone, "yyyy");
}

TotalsTableModel::TotalsTableModel(const TotalsLoader &loader, QObject *parent)
    : QAbstractTableModel(parent)
    , m_loader(loader)
{
}

void TotalsTableModel::reload()
{
    beginResetModel();
    m_rows = int(m_loader.buckets().size());
    endResetModel();
}

int TotalsTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int TotalsTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kColumns;
}

QString TotalsTableModel::text(const v1::TotalBucket &b, int column) const
{
    const QString unit = QString::fromStdString(m_loader.answered().unit());
    switch (column) {
    case 0:
        return bucketLabel(b, m_loader.period(), m_loader.zone().zone());
    case 1:
        return b.has_total() ? valueText(b.total()) + (unit.isEmpty() ? "" : " " + unit) : tr("no readings");
    case 2:
        return b.has_min() ? valueText(b.min()) : QString();
    case 3:
        return b.has_max() ? valueText(b.max()) : QString();
    case 4:
        return b.has_mean() ? valueText(b.mean()) : QString();
    case 5:
        return QString("%1 / %2").arg(b.count()).arg(b.expected());
    case 6:
        return b.resets() ? QString::number(b.resets()) : QString();
    default:
        return b.has_cost() ? QString::number(b.cost(), 'f', 2) : QString();
    }
}

QVariant TotalsTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows || index.row() >= m_loader.buckets().size())
        return {};
    const v1::TotalBucket &b = m_loader.buckets()[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return text(b, index.column());
    case Qt::TextAlignmentRole:
        return int(index.column() == 0 ? Qt::AlignLeft | Qt::AlignVCenter : Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        return b.has_total() ? QVariant()
                             : QVariant(QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text));
    default:
        return {};
    }
}

QVariant TotalsTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= kColumns)
        return {};
    static const char *const kHeaders[kColumns]
        = {"Start", "Total", "Min", "Max", "Mean", "Readings", "Resets", "Cost"};
    return tr(kHeaders[section]);
}

} // namespace meterscope::app
