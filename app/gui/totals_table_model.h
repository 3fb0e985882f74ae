#pragma once

#include "gui/totals_loader.h"

#include <QAbstractTableModel>

namespace meterscope::app {

/// A total, min, max, mean or price as the app writes it: 8 significant
/// digits, no trailing zeros.
QString valueText(double value);

/// A bucket named as the Totals tab shows it in the display zone: "Sun 28
/// Mar 2021", "Sun 28 Mar 2021 01:00", "week of 22 Mar 2021", "March 2021",
/// "2021".
QString bucketLabel(const v1::TotalBucket &bucket, timeutil::Period period, const timeutil::Zone &zone);

/// The Totals tab's table over a TotalsLoader's buckets: start, total (with
/// the unit, or "no readings"), min, max, mean, readings counted / expected,
/// resets and cost, a row per bucket, drawn only when on screen (an hour
/// per row for ten years is 87,600 rows).
class TotalsTableModel : public QAbstractTableModel {
    Q_OBJECT

public:
    explicit TotalsTableModel(const TotalsLoader &loader, QObject *parent = nullptr);

    /// The loader's buckets changed.
    void reload();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString text(const v1::TotalBucket &bucket, int column) const;

    const TotalsLoader &m_loader;
    int m_rows = 0;
};

} // namespace meterscope::app
