#pragma once

#include "gui/import_controller.h"

#include <QDialog>

class QLabel;
class QTableWidget;

namespace meterscope::app {

/// What an import did, file by file: rows imported (new, updated,
/// unchanged), missing, rejected and duplicate, and below it every line that
/// was not imported with its number and reason, selectable and copyable
/// (Ctrl+C, Copy All) as `file:line: reason` lines.
class ImportReportDialog : public QDialog {
    Q_OBJECT

public:
    explicit ImportReportDialog(QWidget *parent = nullptr);

    /// Shows the outcomes of one run of imports.
    void setOutcomes(const QList<ImportOutcome> &outcomes);

    /// One sentence summing it up, e.g. "2,974 rows imported from 1 file."
    QString summary() const;
    QTableWidget *filesTable() const { return m_files; }
    /// The listed lines as text, `file:line: reason` each.
    QString linesText(bool selectedOnly) const;

private:
    QLabel *m_summary;
    QTableWidget *m_files;
    QLabel *m_linesTitle;
    QTableWidget *m_lines;
};

} // namespace meterscope::app
