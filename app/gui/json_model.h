#pragma once

#include "core/point_columns.h"
#include "gui/display_zone.h"

#include <QAbstractListModel>
#include <QItemSelection>

namespace meterscope::app {

/// The points of one series as the lines of a JSON document in the
/// prototype's shape: `{`, one `"<time with offset>": value` line per point,
/// `}`. Lines are written only when a view asks for them, so a series of
/// millions of points costs its 16 bytes a point and nothing more. The
/// lines read together are exactly what `meterscope-cli export --format
/// json` writes.
class JsonModel : public QAbstractListModel {
    Q_OBJECT

public:
    explicit JsonModel(QObject *parent = nullptr);

    void clear();
    /// Appends points that come after the last one held.
    void append(const PointColumns &points);
    void setZone(const DisplayZone &zone);

    const PointColumns &points() const { return m_points; }
    qsizetype pointCount() const { return m_points.size(); }
    /// The row of point `index` (row 0 is the opening brace).
    static int rowOfPoint(qsizetype index) { return int(index) + 1; }

    /// The whole document.
    QString text() const;
    /// The points on the selected rows as a document of their own (braces
    /// on the selection are ignored): what Copy puts on the clipboard.
    QString text(const QItemSelection &selection) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    PointColumns m_points;
    // Between announcing new lines and inserting them (see append()).
    bool m_growing = false;
    // Zones cache their last offset period; data() is const.
    mutable timeutil::Zone m_zone;
};

} // namespace meterscope::app
