#include "gui/import_report_dialog.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScreen>
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

constexpr int kRefitDelayMs = 30;

QTableWidgetItem *numberItem(quint64 value)
{
    auto *item = new QTableWidgetItem(QLocale().toString(qulonglong(value)));
    item->setData(Qt::UserRole, qulonglong(value));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

// Text that may be long (a reason, a result): wrapped in its cell, whole
// in its tooltip.
QTableWidgetItem *textItem(const QString &text)
{
    auto *item = new QTableWidgetItem(text);
    item->setToolTip(text);
    return item;
}

// Every column can be widened by hand; text wraps, and rows grow to show
// all of it (see ImportReportDialog::fitColumns()).
QTableWidget *makeTable(QWidget *parent, const QStringList &headers)
{
    auto *table = new QTableWidget(0, int(headers.size()), parent);
    table->setHorizontalHeaderLabels(headers);
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setAlternatingRowColors(true);
    table->setWordWrap(true);
    table->setTextElideMode(Qt::ElideNone);
    table->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    table->horizontalHeader()->setHighlightSections(false);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
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
    m_lines->setSelectionMode(QAbstractItemView::ExtendedSelection);
    // Row heights follow the wrapping columns' widths, once a resize pauses:
    // for thousands of lines it takes a moment.
    m_refit.setSingleShot(true);
    m_refit.setInterval(kRefitDelayMs);
    connect(&m_refit, &QTimer::timeout, this, [this] {
        m_files->resizeRowsToContents();
        m_lines->resizeRowsToContents();
        fitFilesTable();
        // New outcomes: only as tall as needed without lines, room for them with.
        if (std::exchange(m_fitHeight, false))
            resize(width(), m_lines->isHidden() ? sizeHint().height() : std::max(height(), defaultSize().height()));
    });
    for (auto [table, wide] : {std::pair{m_files, int(FileStatus)}, std::pair{m_lines, int(LineReason)}}) {
        table->viewport()->installEventFilter(this);
        // A column widened by hand takes its room from the wrapping one.
        connect(table->horizontalHeader(), &QHeaderView::sectionResized, this, [this, wide](int section) {
            if (section != wide)
                fitColumns();
            m_refit.start();
        });
    }

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
    // Without lines to list, the room is left empty above the buttons.
    layout->addStretch(0);
    layout->addWidget(buttons);
    resize(defaultSize());
}

QSize ImportReportDialog::defaultSize() const
{
    // Within small screens too.
    return QSize(860, 460).boundedTo(screen()->availableSize() - QSize(40, 60));
}

bool ImportReportDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Resize && (watched == m_files->viewport() || watched == m_lines->viewport()))
        fitColumns();
    return QDialog::eventFilter(watched, event);
}

void ImportReportDialog::fitColumns()
{
    // The wrapping column gets what the others leave of the width.
    for (auto [table, wide] : {std::pair{m_files, int(FileStatus)}, std::pair{m_lines, int(LineReason)}}) {
        int others = 0;
        for (int column = 0; column < table->columnCount(); ++column)
            others += column == wide ? 0 : table->columnWidth(column);
        const int room = table->viewport()->width() - others;
        table->setColumnWidth(wide, std::max(room, table->fontMetrics().averageCharWidth() * 24));
    }
}

void ImportReportDialog::fitFilesTable()
{
    int rows = 0;
    for (int row = 0; row < std::min(m_files->rowCount(), 6); ++row)
        rows += m_files->rowHeight(row);
    m_files->setFixedHeight(m_files->horizontalHeader()->height() + rows + 2 * m_files->frameWidth() + 2);
}

void ImportReportDialog::setOutcomes(const QList<ImportOutcome> &outcomes)
{
    const QLocale locale;
    m_files->clearSpans();
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
            m_files->setItem(row, FileStatus,
                             textItem(outcome.cancelled ? tr("Cancelled: %1").arg(outcome.error)
                                                        : tr("Failed: %1").arg(outcome.error)));
            // A file without counts: its reason has their room as well.
            m_files->setSpan(row, FileStatus, 1, FileColumnCount - FileStatus);
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
        m_files->setItem(row, FileStatus, textItem(status));
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
            m_lines->setItem(row, LineReason, textItem(line.reason));
        }
        for (const QString &note : unlisted) {
            const int row = m_lines->rowCount();
            m_lines->insertRow(row);
            m_lines->setItem(row, LineFile, new QTableWidgetItem(outcome.name));
            m_lines->setItem(row, LineReason, textItem(note));
        }
    }

    QStringList parts;
    const QString files = outcomes.size() == 1 ? tr("1 file") : tr("%1 files").arg(outcomes.size());
    if (rows > 0 && changed == 0)
        parts << tr("<b>Nothing new:</b> all %1 rows of %2 were stored already")
                     .arg(locale.toString(qulonglong(rows)), files);
    else
        parts << (rows == 1 ? tr("<b>1 row imported</b> from %1").arg(files)
                            : tr("<b>%1 rows imported</b> from %2").arg(locale.toString(qulonglong(rows)), files));
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
    for (QTableWidget *table : {m_files, m_lines}) {
        table->resizeColumnsToContents();
        // The wrapping column starts narrow so the others keep their room.
        table->setColumnWidth(table == m_files ? int(FileStatus) : int(LineReason), 0);
    }
    fitColumns();
    m_fitHeight = true;
    m_refit.start();
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
