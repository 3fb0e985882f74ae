#include "gui/import_report_dialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <set>
#include <vector>

namespace meterscope::app {

namespace {

enum FileColumn {
    FileName,
    FileStatus,
    FileImported,
    FileNew,
    FileUpdated,
    FileUnchanged,
    FileMissing,
    FileRejected,
    FileDuplicate,
    FileColumnCount
};
enum LineColumn { LineFile, LineNumber, LineKind, LineReason, LineColumnCount };

QTableWidgetItem *numberItem(quint64 value)
{
    auto *item = new QTableWidgetItem(QLocale().toString(qulonglong(value)));
    item->setData(Qt::UserRole, qulonglong(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->setWordWrap(false);
    table->horizontalHeader()->setHighlightSections(false);
    return table;
}

} // namespace

ImportReportDialog::ImportReportDialog(QWidget *parent)
    : QDialog(parent)
    , m_summary(new QLabel(this))
    , m_files(makeTable(this, {tr("File"), tr("Result"), tr("Imported"), tr("New"), tr("Updated"), tr("Unchanged"),
                               tr("Missing"), tr("Rejected"), tr("Duplicates")}))
    , m_linesTitle(new QLabel(tr("Lines not imported"), this))
    , m_lines(makeTable(this, {tr("File"), tr("Line"), tr("Kind"), tr("Reason")}))
{
    setWindowTitle(tr("Import Report"));
    m_summary->setWordWrap(true);
    QFont bigger = m_summary->font();
    bigger.setPointSizeF(bigger.pointSizeF() * 1.15);
    m_summary->setFont(bigger);
    m_files->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_files->horizontalHeader()->setSectionResizeMode(FileStatus, QHeaderView::Stretch);
    m_lines->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_lines->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_lines->horizontalHeader()->setSectionResizeMode(LineReason, QHeaderView::Stretch);

    auto *copy = new QAction(tr("Copy"), m_lines);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, [this] { QApplication::clipboard()->setText(linesText(true)); });
    m_lines->addAction(copy);
    m_lines->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copyAll = buttons->addButton(tr("Copy All Lines"), QDialogButtonBox::ActionRole);
    connect(copyAll, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(linesText(false)); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    buttons->button(QDialogButtonBox::Close)->setDefault(true);
    m_linesTitle->setObjectName("linesTitle");

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_files);
    layout->addWidget(m_linesTitle);
    layout->addWidget(m_lines, 1);
    layout->addWidget(buttons);
    resize(860, 420);
}

void ImportReportDialog::setOutcomes(const QList<ImportOutcome> &outcomes)
{
    const QLocale locale;
    m_files->setRowCount(0);
    m_lines->setRowCount(0);
    quint64 rows = 0;
    quint64 changed = 0;
    quint64 notImported = 0;
    int failed = 0;
    std::set<QString> series;
    for (const ImportOutcome &outcome : outcomes) {
        const int row = m_files->rowCount();
        m_files->insertRow(row);
        m_files->setItem(row, FileName, new QTableWidgetItem(outcome.name));
        if (!outcome.report) {
            ++failed;
            auto *status = new QTableWidgetItem(outcome.cancelled ? tr("Cancelled: %1").arg(outcome.error)
                                                                  : tr("Failed: %1").arg(outcome.error));
            status->setToolTip(outcome.error);
            m_files->setItem(row, FileStatus, status);
            continue;
        }
        const v1::ImportReport &report = *outcome.report;
        rows += report.rows_imported();
        changed += report.rows_new() + report.rows_updated();
        notImported += report.rows_missing() + report.rows_rejected();
        for (const v1::Series &s : report.series())
            series.insert(QString::fromStdString(s.name()));
        QString status = outcome.cancelled ? tr("Imported: the server had stored it before the cancel")
                         : !outcome.error.isEmpty()
                             ? tr("Imported: the server had stored it before the call ended (%1)").arg(outcome.error)
                         : report.replayed() ? tr("Imported before; nothing changed")
                         : report.rows_new() + report.rows_updated() == 0 && report.rows_imported() > 0
                             ? tr("Already stored; nothing changed")
                             : tr("Imported");
        m_files->setItem(row, FileStatus, new QTableWidgetItem(status));
        const quint64 counts[]
            = {report.rows_imported(), report.rows_new(),      report.rows_updated(),  report.rows_unchanged(),
               report.rows_missing(),  report.rows_rejected(), report.rows_duplicate()};
        for (int i = 0; i < int(std::size(counts)); ++i)
            m_files->setItem(row, FileImported + i, numberItem(counts[i]));

        // Every listed line in file order, then what the server did not list.
        struct Line {
            quint64 number;
            QString kind;
            QString reason;
        };
        std::vector<Line> lines;
        QStringList unlisted;
        const auto collect = [&](const auto &issues, const QString &kind, quint64 total) {
            for (const v1::LineIssue &issue : issues)
                lines.push_back({issue.line(), kind, QString::fromStdString(issue.reason())});
            if (total > quint64(issues.size()))
                unlisted << tr("… and %1 more %2 lines not listed")
                                .arg(locale.toString(qulonglong(total - issues.size())), kind);
        };
        collect(report.rejected(), tr("rejected"), report.rows_rejected());
        collect(report.missing(), tr("missing"), report.rows_missing());
        collect(report.warnings(), tr("warning"), report.warnings_total());
        std::stable_sort(lines.begin(), lines.end(), [](const Line &a, const Line &b) { return a.number < b.number; });
        for (const Line &line : lines) {
            const int row = m_lines->rowCount();
            m_lines->insertRow(row);
            m_lines->setItem(row, LineFile, new QTableWidgetItem(outcome.name));
            m_lines->setItem(row, LineNumber, numberItem(line.number));
            m_lines->setItem(row, LineKind, new QTableWidgetItem(line.kind));
            m_lines->setItem(row, LineReason, new QTableWidgetItem(line.reason));
        }
        for (const QString &note : unlisted) {
            const int row = m_lines->rowCount();
            m_lines->insertRow(row);
            m_lines->setItem(row, LineFile, new QTableWidgetItem(outcome.name));
            m_lines->setItem(row, LineReason, new QTableWidgetItem(note));
        }
    }

    QStringList parts;
    const QString files = outcomes.size() == 1 ? tr("1 file") : tr("%1 files").arg(outcomes.size());
    if (rows > 0 && changed == 0)
        parts << tr("<b>Nothing new:</b> all %1 rows of %2 were stored already")
                     .arg(locale.toString(qulonglong(rows)), files);
    else
        parts << tr("<b>%1 rows imported</b> from %2").arg(locale.toString(qulonglong(rows)), files);
    if (!series.empty()) {
        QStringList names(series.begin(), series.end());
        parts.last() += tr(" (series %1)").arg(names.join(", ").toHtmlEscaped());
    }
    parts.last() += '.';
    if (notImported > 0)
        parts << (notImported == 1 ? tr("1 line was not imported; it is listed below.")
                                   : tr("%1 lines were not imported; they are listed below.")
                                         .arg(locale.toString(qulonglong(notImported))));
    if (failed > 0)
        parts << (failed == 1 ? tr("1 file was not imported.") : tr("%1 files were not imported.").arg(failed));
    m_summary->setText(parts.join(' '));

    const bool anyLines = m_lines->rowCount() > 0;
    m_linesTitle->setVisible(anyLines);
    m_lines->setVisible(anyLines);
    m_files->setFixedHeight(m_files->horizontalHeader()->height()
                            + m_files->rowHeight(0) * int(std::min<qsizetype>(outcomes.size(), 6))
                            + 2 * m_files->frameWidth() + 2);
}

QString ImportReportDialog::summary() const
{
    return m_summary->text();
}

QString ImportReportDialog::linesText(bool selectedOnly) const
{
    QStringList lines;
    for (int row = 0; row < m_lines->rowCount(); ++row) {
        if (selectedOnly && !m_lines->item(row, LineFile)->isSelected())
            continue;
        const QTableWidgetItem *number = m_lines->item(row, LineNumber);
        const QString where = number ? m_lines->item(row, LineFile)->text() + ':'
                                           + QString::number(number->data(Qt::UserRole).toULongLong())
                                     : m_lines->item(row, LineFile)->text();
        lines << where + ": " + m_lines->item(row, LineReason)->text();
    }
    return lines.join('\n') + (lines.isEmpty() ? "" : "\n");
}

} // namespace meterscope::app
