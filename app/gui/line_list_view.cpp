#include "gui/line_list_view.h"

#include <QAbstractItemModel>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>

#include <algorithm>

namespace meterscope::app {

namespace {
constexpr int kTextMargin = 8;
}

LineListView::LineListView(QWidget *parent)
    : QAbstractScrollArea(parent)
{
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setFocusPolicy(Qt::StrongFocus);
    viewport()->setCursor(Qt::IBeamCursor);
    updateMetrics();
}

void LineListView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    const auto changed = [this] {
        updateScrollBars();
        viewport()->update();
    };
    connect(model, &QAbstractItemModel::rowsInserted, this, changed);
    connect(model, &QAbstractItemModel::rowsRemoved, this, changed);
    connect(model, &QAbstractItemModel::dataChanged, viewport(), qOverload<>(&QWidget::update));
    connect(model, &QAbstractItemModel::modelReset, this, [this, changed] {
        m_anchor = m_cursor = -1;
        m_textWidth = 0;
        changed();
        emit selectionChanged();
    });
    changed();
}

int LineListView::rowCount() const
{
    return m_model ? m_model->rowCount() : 0;
}

int LineListView::visibleRows() const
{
    return std::max(viewport()->height() / m_lineHeight, 1);
}

int LineListView::rowAt(int y) const
{
    return std::clamp(verticalScrollBar()->value() + y / m_lineHeight, 0, std::max(rowCount() - 1, 0));
}

int LineListView::gutterWidth() const
{
    return int(QString::number(std::max(rowCount(), 1)).size()) * m_charWidth + 2 * kTextMargin;
}

QItemSelection LineListView::selection() const
{
    if (!m_model || m_anchor < 0 || m_cursor < 0)
        return {};
    return QItemSelection(m_model->index(std::min(m_anchor, m_cursor), 0),
                          m_model->index(std::max(m_anchor, m_cursor), 0));
}

void LineListView::selectAll()
{
    if (rowCount() == 0)
        return;
    m_anchor = 0;
    m_cursor = rowCount() - 1;
    viewport()->update();
    emit selectionChanged();
}

void LineListView::scrollToRow(int row)
{
    QScrollBar *bar = verticalScrollBar();
    if (row < bar->value())
        bar->setValue(row);
    else if (row >= bar->value() + visibleRows())
        bar->setValue(row - visibleRows() + 1);
}

void LineListView::moveTo(int row, bool extend)
{
    if (rowCount() == 0)
        return;
    m_cursor = std::clamp(row, 0, rowCount() - 1);
    if (!extend || m_anchor < 0)
        m_anchor = m_cursor;
    scrollToRow(m_cursor);
    viewport()->update();
    emit selectionChanged();
}

void LineListView::updateMetrics()
{
    const QFontMetrics metrics(font());
    m_lineHeight = std::max(metrics.lineSpacing(), 1);
    m_charWidth = std::max(metrics.horizontalAdvance(QLatin1Char('0')), 1);
    updateScrollBars();
}

void LineListView::updateScrollBars()
{
    const int rows = visibleRows();
    verticalScrollBar()->setRange(0, std::max(rowCount() - rows, 0));
    verticalScrollBar()->setPageStep(rows);
    verticalScrollBar()->setSingleStep(1);
    const int textArea = viewport()->width() - gutterWidth();
    horizontalScrollBar()->setRange(0, std::max(m_textWidth + 2 * kTextMargin - textArea, 0));
    horizontalScrollBar()->setPageStep(textArea);
    horizontalScrollBar()->setSingleStep(m_charWidth * 4);
}

void LineListView::paintEvent(QPaintEvent *)
{
    QPainter painter(viewport());
    const QPalette &colors = palette();
    const int gutter = gutterWidth();
    const int width = viewport()->width();
    painter.fillRect(viewport()->rect(), colors.base());
    painter.fillRect(QRect(0, 0, gutter, viewport()->height()), colors.window());
    if (!m_model)
        return;
    const int first = verticalScrollBar()->value();
    const int last = std::min(first + visibleRows() + 1, rowCount());
    const int selectionFirst = std::min(m_anchor, m_cursor);
    const int selectionLast = std::max(m_anchor, m_cursor);
    const int textX = gutter + kTextMargin - horizontalScrollBar()->value();
    const int widest = m_textWidth;
    for (int row = first; row < last; ++row) {
        const QRect line(0, (row - first) * m_lineHeight, width, m_lineHeight);
        const bool selected = m_anchor >= 0 && row >= selectionFirst && row <= selectionLast;
        if (selected)
            painter.fillRect(line.adjusted(gutter, 0, 0, 0), colors.highlight());
        painter.setPen(colors.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, line.y(), gutter - kTextMargin, m_lineHeight), Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(row + 1));
        const QString text = m_model->index(row, 0).data().toString();
        m_textWidth = std::max(m_textWidth, painter.fontMetrics().horizontalAdvance(text));
        painter.setClipRect(line.adjusted(gutter, 0, 0, 0));
        painter.setPen(colors.color(selected ? QPalette::HighlightedText : QPalette::Text));
        painter.drawText(QRect(textX, line.y(), width + m_textWidth, m_lineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                         text);
        if (row == m_cursor && hasFocus()) {
            painter.setPen(QPen(colors.color(QPalette::Highlight), 1, Qt::DotLine));
            painter.drawRect(line.adjusted(gutter, 0, -1, -1));
        }
        painter.setClipping(false);
    }
    if (m_textWidth != widest)
        updateScrollBars();
}

void LineListView::resizeEvent(QResizeEvent *event)
{
    QAbstractScrollArea::resizeEvent(event);
    updateScrollBars();
}

void LineListView::changeEvent(QEvent *event)
{
    QAbstractScrollArea::changeEvent(event);
    if (event->type() == QEvent::FontChange)
        updateMetrics();
}

bool LineListView::event(QEvent *event)
{
    // Home moves to the first point here, not the window's Reset Zoom.
    if (event->type() == QEvent::ShortcutOverride && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Home) {
        event->accept();
        return true;
    }
    return QAbstractScrollArea::event(event);
}

void LineListView::keyPressEvent(QKeyEvent *event)
{
    const bool extend = event->modifiers() & Qt::ShiftModifier;
    const int current = std::max(m_cursor, 0);
    switch (event->key()) {
    case Qt::Key_Up:
        moveTo(current - 1, extend);
        break;
    case Qt::Key_Down:
        moveTo(m_cursor < 0 ? 0 : current + 1, extend);
        break;
    case Qt::Key_PageUp:
        moveTo(current - visibleRows(), extend);
        break;
    case Qt::Key_PageDown:
        moveTo(current + visibleRows(), extend);
        break;
    case Qt::Key_Home:
        moveTo(0, extend);
        break;
    case Qt::Key_End:
        moveTo(rowCount() - 1, extend);
        break;
    default:
        QAbstractScrollArea::keyPressEvent(event);
        return;
    }
    event->accept();
}

void LineListView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton && event->button() != Qt::RightButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const int row = rowAt(int(event->position().y()));
    const bool inSelection
        = m_anchor >= 0 && row >= std::min(m_anchor, m_cursor) && row <= std::max(m_anchor, m_cursor);
    // A right click keeps the selection it lands on, for the context menu.
    if (event->button() == Qt::LeftButton || !inSelection)
        moveTo(row, event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    event->accept();
}

void LineListView::mouseMoveEvent(QMouseEvent *event)
{
    if (!(event->buttons() & Qt::LeftButton)) {
        QAbstractScrollArea::mouseMoveEvent(event);
        return;
    }
    // Dragging past the top or bottom scrolls, a line per move.
    const int y = int(event->position().y());
    const int row = y < 0                       ? verticalScrollBar()->value() - 1
                    : y >= viewport()->height() ? verticalScrollBar()->value() + visibleRows()
                                                : rowAt(y);
    moveTo(row, true);
    event->accept();
}

} // namespace meterscope::app
