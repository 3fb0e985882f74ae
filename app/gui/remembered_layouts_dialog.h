#pragma once

#include <QDialog>

class QPushButton;
class QTableWidget;

namespace meterscope::app {

class LayoutMemory;

/// The import layouts Meterscope remembers (File ▸ Import Layouts…): each
/// header, how its files are read and the file it was confirmed with; Forget
/// drops the selected ones, so their next file gets a preview again.
class RememberedLayoutsDialog : public QDialog {
    Q_OBJECT

public:
    explicit RememberedLayoutsDialog(LayoutMemory &memory, QWidget *parent = nullptr);

    QTableWidget *table() const { return m_table; }
    QPushButton *forgetButton() const { return m_forget; }

private:
    void refresh();
    void forgetSelected();

    LayoutMemory &m_memory;
    QTableWidget *m_table;
    QPushButton *m_forget;
};

} // namespace meterscope::app
