#include "gui/remembered_layouts_dialog.h"

#include "gui/layout_memory.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace meterscope::app {

namespace {

enum Column { HeaderColumn, ReadAsColumn, FileColumn, ColumnCount };

} // namespace

RememberedLayoutsDialog::RememberedLayoutsDialog(LayoutMemory &memory, QWidget *parent)
    : QDialog(parent)
    , m_memory(memory)
    , m_table(new QTableWidget(0, ColumnCount, this))
{
    setWindowTitle(tr("Import Layouts"));
    auto *intro = new QLabel(tr("Files with these columns are imported as shown here, without a preview. "
                                "Forget a layout to check its next file in the preview again."),
                             this);
    intro->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Columns"), tr("Read as"), tr("Confirmed with")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_forget = buttons->addButton(tr("&Forget"), QDialogButtonBox::ActionRole);
    connect(m_forget, &QPushButton::clicked, this, &RememberedLayoutsDialog::forgetSelected);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_table, &QTableWidget::itemSelectionChanged, this,
            [this] { m_forget->setEnabled(!m_table->selectedItems().isEmpty()); });
    connect(&m_memory, &LayoutMemory::changed, this, &RememberedLayoutsDialog::refresh);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(820, 320);
    refresh();
}

void RememberedLayoutsDialog::refresh()
{
    const QList<RememberedLayout> layouts = m_memory.layouts();
    m_table->setRowCount(int(layouts.size()));
    for (int row = 0; row < layouts.size(); ++row) {
        const RememberedLayout &layout = layouts[row];
        const QString header = layout.header.join(QStringLiteral(" | "));
        const QString readAs = layout.choice.describe(layout.columns);
        const QString texts[ColumnCount] = {header, readAs, layout.fileName};
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(texts[column]);
            item->setToolTip(texts[column]);
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    for (int column = 0; column < ColumnCount - 1; ++column)
        m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), 360));
    m_forget->setEnabled(!m_table->selectedItems().isEmpty());
}

void RememberedLayoutsDialog::forgetSelected()
{
    const QList<RememberedLayout> layouts = m_memory.layouts();
    QList<QStringList> headers;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        headers << layouts.value(index.row()).header;
    for (const QStringList &header : headers)
        m_memory.forget(header);
}

} // namespace meterscope::app
