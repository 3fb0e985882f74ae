#pragma once

#include "core/series_info.h"
#include "gui/display_zone.h"

#include <QAbstractTableModel>
#include <QWidget>

class QLineEdit;
class QSortFilterProxyModel;
class QTreeView;

namespace meterscope::app {

/// Every series the server holds, with its point count and time range.
/// Updates keep unchanged rows (and so the selection) in place.
class SeriesListModel : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { NameColumn, PointsColumn, FirstColumn, LastColumn, ColumnCount };
    /// Numbers and instants for sorting, where DisplayRole holds text.
    static constexpr int SortRole = Qt::UserRole;

    explicit SeriesListModel(QObject *parent = nullptr);

    /// Takes the server's list: removes, updates and appends rows as needed.
    void setSeries(const QList<SeriesInfo> &series);
    const QList<SeriesInfo> &series() const { return m_series; }
    /// The row of `name`, or -1.
    int rowOf(const QString &name) const;
    void setZone(const DisplayZone &zone);
    const DisplayZone &zone() const { return m_zone; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<SeriesInfo> m_series;
    DisplayZone m_zone;
};

/// The series panel: a filter field over a sortable list. Choosing a row
/// (click or arrow keys) shows that series; filtering does not, and Home is
/// left to the chart (show all). Too narrow for every column, it shows
/// names and counts (the names' tooltips keep the time ranges).
class SeriesList : public QWidget {
    Q_OBJECT

public:
    explicit SeriesList(QWidget *parent = nullptr);

    SeriesListModel *model() const { return m_model; }
    QTreeView *view() const { return m_view; }
    /// Selects `name` (and so shows it); false when it is not listed. When
    /// the series chosen leaves the list (deleted, renamed), nothing is
    /// chosen in its place.
    bool select(const QString &name);
    /// The selected series' name, or empty.
    QString selected() const;

signals:
    void seriesSelected(const QString &name);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void fitColumns();

    SeriesListModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QTreeView *m_view;
    /// The series last chosen, kept current while the filter lists it.
    QString m_chosen;
    /// The current row is moved by the list itself, not by the user.
    bool m_quiet = false;
};

} // namespace meterscope::app
