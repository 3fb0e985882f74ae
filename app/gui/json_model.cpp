#include "gui/json_model.h"

#include "client/export_format.h"
#include "json/json.h"

#include <algorithm>
#include <sstream>

namespace meterscope::app {

JsonModel::JsonModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

void JsonModel::clear()
{
    beginResetModel();
    m_points = {};
    endResetModel();
}

void JsonModel::append(const PointColumns &points)
{
    const PointColumns fresh = points.after(m_points.lastTime());
    if (fresh.isEmpty())
        return;
    const qsizetype before = m_points.size();
    // First the line before the new ones changes (the opening "{}" loses
    // its "}", or the last point gains its comma), then the lines go in
    // before the closing brace: no line changes while rows are inserted.
    m_growing = true;
    const QModelIndex opened = index(before == 0 ? 0 : rowOfPoint(before - 1));
    emit dataChanged(opened, opened);
    const int first = int(before) + 1;
    beginInsertRows({}, first, first + int(fresh.size()) - (before == 0 ? 0 : 1));
    m_points.append(fresh);
    m_growing = false;
    endInsertRows();
}

void JsonModel::setZone(const DisplayZone &zone)
{
    m_zone = zone.zone();
    if (!m_points.isEmpty())
        emit dataChanged(index(1), index(int(m_points.size())));
}

int JsonModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_points.isEmpty() ? 1 : int(m_points.size()) + 2;
}

QVariant JsonModel::data(const QModelIndex &index, int role) const
{
    if (role != Qt::DisplayRole
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qsizetype count = m_points.size();
    if (index.row() == 0)
        return count == 0 && !m_growing ? QStringLiteral("{}") : QStringLiteral("{");
    if (index.row() == count + 1)
        return QStringLiteral("}");
    const qsizetype point = index.row() - 1;
    std::string line = "  ";
    json::appendJsonPoint(line, m_points.timesUs[point], m_points.values[point], m_zone);
    if (point + 1 < count || m_growing)
        line += ',';
    return QString::fromStdString(line);
}

QString JsonModel::text() const
{
    return text(QItemSelection(index(0), index(rowCount() - 1)));
}

QString JsonModel::text(const QItemSelection &selection) const
{
    // Whole ranges, not indexes: selecting a million rows stays cheap.
    std::vector<std::pair<qsizetype, qsizetype>> ranges;
    for (const QItemSelectionRange &range : selection) {
        const qsizetype first = std::max<qsizetype>(range.top() - 1, 0);
        const qsizetype last = std::min<qsizetype>(range.bottom(), m_points.size());
        if (first < last)
            ranges.emplace_back(first, last);
    }
    std::sort(ranges.begin(), ranges.end());
    std::ostringstream out;
    client::PointWriter writer(out, client::ExportFormat::Json, {}, m_zone);
    qsizetype next = 0;
    for (auto [first, last] : ranges) {
        for (qsizetype point = std::max(first, next); point < last; ++point)
            writer.write(m_points.timesUs[point], m_points.values[point]);
        next = std::max(next, last);
    }
    writer.finish();
    return QString::fromStdString(out.str());
}

} // namespace meterscope::app
