#pragma once

#include <QAbstractScrollArea>
#include <QItemSelection>
#include <QPointer>

class QAbstractItemModel;

namespace meterscope::app {

/// A read-only view of a list model's rows as lines of text, with line
/// numbers. Truly virtualised: it asks the model only for the rows on
/// screen and keeps nothing per row, so ten million lines scroll, grow and
/// select as fast as ten (QListView lays out every row on each insert).
/// Rows are selected as one range: click, Shift+click, drag, Shift+arrow
/// keys, Select All.
class LineListView : public QAbstractScrollArea {
    Q_OBJECT

public:
    explicit LineListView(QWidget *parent = nullptr);

    /// Shows column 0 (DisplayRole) of `model`'s top-level rows.
    void setModel(QAbstractItemModel *model);
    /// The selected rows; empty when nothing is selected.
    QItemSelection selection() const;
    void selectAll();

signals:
    void selectionChanged();

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    int rowCount() const;
    int visibleRows() const;
    int rowAt(int y) const;
    int gutterWidth() const;
    void moveTo(int row, bool extend);
    void scrollToRow(int row);
    void updateScrollBars();
    void updateMetrics();

    QPointer<QAbstractItemModel> m_model;
    int m_anchor = -1;
    int m_cursor = -1;
    int m_lineHeight = 1;
    int m_charWidth = 1;
    // The widest line painted so far: lines are measured only when shown.
    int m_textWidth = 0;
};

} // namespace meterscope::app
