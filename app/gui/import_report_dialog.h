#pragma once

#include "gui/import_controller.h"

#include <QDialog>
#include <QTimer>

class QLabel;
class QTableWidget;

namespace meterscope::app {

/// What an import did, file by file: rows imported (new, updated,
/// unchanged), missing, rejected and duplicate, and below it every line that
/// was not imported with its number and reason, selectable and copyable
/// (Ctrl+C, Copy All) as `file:line: reason` lines. Results and reasons
/// wrap in their cells (and are whole in their tooltips); every column can
/// be widened by hand.
class ImportReportDialog : public QDialog {
    Q_OBJECT

public:
    explicit ImportReportDialog(QWidget *parent = nullptr);

    /// Shows the outcomes of one run of imports.
    void setOutcomes(const QList<ImportOutcome> &outcomes);

    /// One sentence summing it up, e.g. "2,974 rows imported from 1 file."
    QString summary() const;
    QTableWidget *filesTable() const { return m_files; }
    QTableWidget *linesTable() const { return m_lines; }
    /// The listed lines as text, `file:line: reason` each.
    QString linesText(bool selectedOnly) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QSize defaultSize() const;
    void fitColumns();
    void fitFilesTable();

    QLabel *m_summary;
    QTableWidget *m_files;
    QLabel *m_linesTitle;
    QTableWidget *m_lines;
    QTimer m_refit;
    bool m_fitHeight = false;
};

} // namespace meterscope::app
