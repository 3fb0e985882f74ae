#include "gui/import_preview_dialog.h"

#include "gui/connection.h"
#include "time/instant.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimeZone>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace meterscope::app {

namespace {

// Lines the preview shows; the reader still decides the layout from all it is sent.
constexpr std::uint32_t kSampleRecords = 40;
// Typing in the zone box or stepping the spin box asks once it pauses.
constexpr int kDebounceMs = 250;

enum RowColumn { RowLine, RowSeries, RowTime, RowValue, RowColumnCount };

QColor roleTint(v1::ColumnRole role)
{
    switch (role) {
    case v1::COLUMN_ROLE_TIME:
        return QColor(0xdb, 0xe9, 0xf9);
    case v1::COLUMN_ROLE_VALUE:
        return QColor(0xe0, 0xf2, 0xdc);
    case v1::COLUMN_ROLE_SERIES_KEY:
        return QColor(0xfd, 0xe8, 0xcc);
    default:
        return {};
    }
}

QTableWidget *makeTable(QWidget *parent)
{
    auto *table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionMode(QAbstractItemView::ContiguousSelection);
    table->setWordWrap(false);
    table->horizontalHeader()->setHighlightSections(false);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    return table;
}

QTableWidgetItem *item(const QString &text, const QColor &foreground = {})
{
    auto *cell = new QTableWidgetItem(text);
    if (foreground.isValid())
        cell->setForeground(foreground);
    return cell;
}

QString delimiterName(const std::string &delimiter)
{
    return delimiter == "\t" ? ImportPreviewDialog::tr("tab") : QString::fromStdString(delimiter);
}

} // namespace

ImportPreviewDialog::ImportPreviewDialog(Connection &connection, const QString &path, const QString &name,
                                         const v1::ImportReport &detected, QWidget *parent)
    : QDialog(parent)
    , m_connection(connection)
    , m_path(path)
    , m_name(name)
    , m_delimiter(new QComboBox(this))
    , m_skipLines(new QSpinBox(this))
    , m_dateOrder(new QComboBox(this))
    , m_zone(new QComboBox(this))
    , m_linesTitle(new QLabel(this))
    , m_lines(makeTable(this))
    , m_rowsTitle(new QLabel(this))
    , m_rows(makeTable(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Import Preview — %1").arg(name));
    auto *intro = new QLabel(tr("<b>%1</b> is in a layout Meterscope has not seen before. Check how it is read. "
                                "Import reads it with these settings, and from now on every file with the same "
                                "columns too (File ▸ Import Layouts… lists them).")
                                 .arg(name.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);

    m_delimiter->addItem(tr("Detected"), QString());
    m_delimiter->addItem(tr("Comma ( , )"), QStringLiteral(","));
    m_delimiter->addItem(tr("Semicolon ( ; )"), QStringLiteral(";"));
    m_delimiter->addItem(tr("Tab"), QStringLiteral("\t"));
    m_skipLines->setRange(-1, 1000);
    m_skipLines->setValue(-1);
    m_skipLines->setToolTip(tr("Lines before the header (an account's preamble); the first value detects them"));
    m_dateOrder->addItem(tr("Detected"), QString());
    m_dateOrder->addItem(tr("Day first (31/01)"), QStringLiteral("day-month-year"));
    m_dateOrder->addItem(tr("Month first (01/31)"), QStringLiteral("month-day-year"));
    m_zone->setEditable(true);
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds())
        m_zone->addItem(QString::fromUtf8(id));
    m_zone->setToolTip(tr("The zone of times written without an offset"));
    m_zone->setMinimumContentsLength(16);

    auto *settings = new QHBoxLayout;
    const auto add = [&](const QString &label, QWidget *field) {
        auto *form = new QFormLayout;
        form->addRow(label, field);
        settings->addLayout(form);
    };
    add(tr("&Delimiter:"), m_delimiter);
    add(tr("&Lines before header:"), m_skipLines);
    add(tr("D&ates:"), m_dateOrder);
    add(tr("Time &zone:"), m_zone);
    settings->addStretch();

    m_lines->horizontalHeader()->setSectionsClickable(true);
    m_lines->horizontalHeader()->setToolTip(tr("Click a column's header to choose what it holds"));
    m_lines->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_lines->horizontalHeader(), &QHeaderView::sectionClicked, this, &ImportPreviewDialog::chooseRole);
    m_rows->setColumnCount(RowColumnCount);
    m_rows->setHorizontalHeaderLabels({tr("Line"), tr("Series"), tr("Time (as read, with its offset)"), tr("Value")});
    m_rows->verticalHeader()->hide();
    m_rows->horizontalHeader()->setSectionResizeMode(RowValue, QHeaderView::Stretch);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(this);
    m_import = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("&Skip File"), QDialogButtonBox::RejectRole);
    m_import->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(settings);
    layout->addWidget(m_linesTitle);
    layout->addWidget(m_lines, 3);
    layout->addWidget(m_rowsTitle);
    layout->addWidget(m_rows, 2);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(1060, 720);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ImportPreviewDialog::refresh);
    connect(&m_rpc, &RpcThread::previewed, this, &ImportPreviewDialog::onPreviewed);
    connect(&m_rpc, &RpcThread::failed, this, &ImportPreviewDialog::onFailed);

    display(detected);
    connect(m_delimiter, &QComboBox::currentIndexChanged, this, [this] { changed(true); });
    connect(m_skipLines, &QSpinBox::valueChanged, this, [this] { changed(true); });
    connect(m_dateOrder, &QComboBox::currentIndexChanged, this, [this] { changed(false); });
    connect(m_zone, &QComboBox::currentTextChanged, this, [this] {
        m_zoneEdited = true;
        changed(false);
    });
}

ImportPreviewDialog::~ImportPreviewDialog() = default;

client::ImportSettings ImportPreviewDialog::request(const LayoutChoice &choice)
{
    client::ImportSettings settings = choice.importSettings();
    settings.dryRun = true;
    settings.sampleRecords = kSampleRecords;
    return settings;
}

LayoutChoice ImportPreviewDialog::choice() const
{
    LayoutChoice choice;
    choice.delimiter = m_delimiter->currentData().toString();
    if (m_skipLines->value() >= 0)
        choice.skipLines = m_skipLines->value();
    choice.roles = m_roles;
    choice.timeFormat = timeFormat();
    if (m_zoneEdited)
        choice.timeZone = m_zone->currentText().trimmed();
    return choice;
}

QString ImportPreviewDialog::timeFormat() const
{
    const QString order = m_dateOrder->currentData().toString();
    if (order.isEmpty() || m_detectedFormat.isEmpty())
        return {};
    return order == m_detectedOrder ? m_detectedFormat : swapDayAndMonth(m_detectedFormat);
}

QStringList ImportPreviewDialog::columns() const
{
    return layoutKey(m_last.layout());
}

QString ImportPreviewDialog::status() const
{
    return m_status->text();
}

void ImportPreviewDialog::setRole(int column, v1::ColumnRole role)
{
    const auto &shown = m_last.layout().columns();
    if (column < 0 || column >= shown.size())
        return;
    if (m_roles.size() != shown.size()) {
        m_roles.clear();
        for (const v1::ImportColumn &c : shown)
            m_roles << c.role();
    }
    // One column names the series: the one chosen now.
    if (role == v1::COLUMN_ROLE_SERIES_KEY)
        std::replace(m_roles.begin(), m_roles.end(), v1::COLUMN_ROLE_SERIES_KEY, v1::COLUMN_ROLE_IGNORED);
    m_roles[column] = role;
    changed(false);
    m_debounce.stop();
    refresh();
}

void ImportPreviewDialog::chooseRole(int column)
{
    if (column >= m_last.layout().columns_size())
        return;
    auto *menu = new QMenu(this);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const v1::ColumnRole current = m_last.layout().columns(column).role();
    for (const v1::ColumnRole role :
         {v1::COLUMN_ROLE_TIME, v1::COLUMN_ROLE_VALUE, v1::COLUMN_ROLE_SERIES_KEY, v1::COLUMN_ROLE_IGNORED}) {
        QAction *action = menu->addAction(roleLabel(role), this, [this, column, role] { setRole(column, role); });
        action->setCheckable(true);
        action->setChecked(role == current);
    }
    QHeaderView *header = m_lines->horizontalHeader();
    menu->popup(header->mapToGlobal(QPoint(header->sectionViewportPosition(column), header->height())));
}

void ImportPreviewDialog::changed(bool columnsChanged)
{
    if (columnsChanged)
        m_roles.clear();
    m_waiting = true;
    m_import->setEnabled(false);
    m_status->setText(tr("Reading…"));
    m_debounce.start();
}

void ImportPreviewDialog::refresh()
{
    const LayoutChoice chosen = choice();
    if (const QString problem = chosen.rolesProblem(); !problem.isEmpty()) {
        m_rpc.abandon();
        m_waiting = false;
        showStatus(problem);
        return;
    }
    m_rpc.start([client = m_connection.client(), path = m_path, name = m_name, settings = request(chosen)](
                    RpcWorker &worker, quint64 generation, client::Cancellation &cancellation) {
        worker.previewFile(client, generation, path, name, settings, cancellation);
    });
}

void ImportPreviewDialog::onPreviewed(const v1::ImportReport &report)
{
    m_waiting = false;
    display(report);
    emit answered();
}

void ImportPreviewDialog::onFailed(const RpcError &error)
{
    m_waiting = false;
    // The lines stay as the last answer showed them; the rows are not what Import would do.
    m_rows->setRowCount(0);
    m_rowsTitle->setText(tr("Rows that would be stored: none, the server refuses these settings"));
    showStatus(error.message);
    emit answered();
}

void ImportPreviewDialog::display(const v1::ImportReport &report)
{
    m_last = report;
    const v1::ImportLayout &layout = report.layout();
    if (layout.date_order() == "day-month-year" || layout.date_order() == "month-day-year") {
        m_detectedOrder = QString::fromStdString(layout.date_order());
        m_detectedFormat = QString::fromStdString(layout.time_format());
    }
    m_dateOrder->setEnabled(!m_detectedFormat.isEmpty());
    const QSignalBlocker blockZone(m_zone);
    if (!m_zoneEdited)
        m_zone->setCurrentText(QString::fromStdString(layout.timezone()));
    m_delimiter->setItemText(0, tr("Detected ( %1 )").arg(delimiterName(layout.delimiter())));
    m_skipLines->setSpecialValueText(tr("Detected (%1)").arg(layout.skipped_lines()));
    m_dateOrder->setItemText(0, m_detectedOrder.isEmpty()             ? tr("Detected (year first)")
                                : m_detectedOrder == "day-month-year" ? tr("Detected (day first)")
                                                                      : tr("Detected (month first)"));
    showLines(report);
    showRows(report);
    showStatus({});
}

void ImportPreviewDialog::showLines(const v1::ImportReport &report)
{
    const v1::ImportLayout &layout = report.layout();
    int columnCount = layout.columns_size();
    for (const v1::SampleRecord &record : report.sample_records())
        columnCount = std::max(columnCount, record.cells_size());
    m_lines->clear();
    m_lines->setColumnCount(columnCount);
    m_lines->setRowCount(report.sample_records_size());
    for (int c = 0; c < columnCount; ++c) {
        QString label = tr("(column %1)").arg(c + 1);
        QString tip = tr("Not a column of the data");
        if (c < layout.columns_size()) {
            const v1::ImportColumn &column = layout.columns(c);
            label = QStringLiteral("%1\n%2 ▾").arg(QString::fromStdString(column.header()), roleLabel(column.role()));
            tip = tr("Column %1 is read as: %2. Click to change.").arg(c + 1).arg(roleLabel(column.role()));
        }
        QTableWidgetItem *header = item(label);
        header->setToolTip(tip);
        m_lines->setHorizontalHeaderItem(c, header);
    }
    std::map<quint64, QString> rejected;
    for (const v1::LineIssue &issue : report.rejected())
        rejected.emplace(issue.line(), QString::fromStdString(issue.reason()));
    const quint64 headerLine = layout.header_line();
    const quint64 firstData = headerLine > 0 ? headerLine + 1 : layout.skipped_lines() + 1;
    const QColor grey = palette().color(QPalette::Disabled, QPalette::Text);
    for (int r = 0; r < report.sample_records_size(); ++r) {
        const v1::SampleRecord &record = report.sample_records(r);
        QTableWidgetItem *number = item(QString::number(record.line()));
        const bool before = record.line() < firstData;
        if (record.line() == headerLine)
            number->setToolTip(tr("The header"));
        else if (before)
            number->setToolTip(tr("Skipped: before the header"));
        if (const auto bad = rejected.find(record.line()); bad != rejected.end()) {
            number->setForeground(QColor(0xc6, 0x28, 0x28));
            number->setToolTip(tr("Rejected: %1").arg(bad->second));
        }
        m_lines->setVerticalHeaderItem(r, number);
        for (int c = 0; c < record.cells_size(); ++c) {
            QTableWidgetItem *cell = item(QString::fromStdString(record.cells(c)));
            const v1::ColumnRole role = c < layout.columns_size() ? layout.columns(c).role() : v1::COLUMN_ROLE_IGNORED;
            if (record.line() == headerLine) {
                QFont bold = cell->font();
                bold.setBold(true);
                cell->setFont(bold);
            } else if (before || role == v1::COLUMN_ROLE_IGNORED) {
                cell->setForeground(grey);
            } else {
                cell->setBackground(roleTint(role));
            }
            m_lines->setItem(r, c, cell);
        }
    }
    m_lines->resizeColumnsToContents();
    for (int c = 0; c < columnCount; ++c)
        m_lines->setColumnWidth(c, std::min(m_lines->columnWidth(c), 320));
    m_linesTitle->setText(tr("The first %1 lines of %2 (click a column's header to change what it holds):")
                              .arg(report.sample_records_size())
                              .arg(m_name));
}

void ImportPreviewDialog::showRows(const v1::ImportReport &report)
{
    const quint64 lastLine = report.sample_records_size() > 0 ? report.sample_records().rbegin()->line() : 0;
    timeutil::Zone zone;
    try {
        zone = timeutil::Zone::byName(report.layout().timezone());
    } catch (const std::invalid_argument &) {
        // Shown in UTC then; the server named the zone it used.
    }
    struct Row {
        quint64 line;
        QString series, time, value;
        QColor color;
    };
    std::vector<Row> rows;
    QSet<QString> series;
    for (const v1::SampleReading &reading : report.sample_readings()) {
        rows.push_back({reading.line(),
                        QString::fromStdString(reading.series()),
                        QString::fromStdString(timeutil::formatIso(reading.time_us(), zone)),
                        QString::number(reading.value(), 'g', 12),
                        {}});
        series.insert(rows.back().series);
    }
    int missing = 0;
    int rejected = 0;
    const auto issues = [&](const auto &list, const QColor &color, int &count) {
        for (const v1::LineIssue &issue : list) {
            if (issue.line() > lastLine)
                continue;
            ++count;
            rows.push_back({issue.line(), {}, {}, QString::fromStdString(issue.reason()), color});
        }
    };
    issues(report.missing(), palette().color(QPalette::Disabled, QPalette::Text), missing);
    issues(report.rejected(), QColor(0xc6, 0x28, 0x28), rejected);
    std::stable_sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.line < b.line; });

    m_rows->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const Row &row = rows[std::size_t(r)];
        m_rows->setItem(r, RowLine, item(QString::number(row.line)));
        m_rows->setItem(r, RowSeries, item(row.series));
        m_rows->setItem(r, RowTime, item(row.time));
        m_rows->setItem(r, RowValue, item(row.value, row.color));
    }
    for (const int column : {RowLine, RowSeries, RowTime})
        m_rows->resizeColumnToContents(column);
    m_rowsTitle->setText(tr("Rows that would be stored, as read from these lines: %1 readings in %2 series, "
                            "%3 missing, %4 rejected")
                             .arg(report.sample_readings_size())
                             .arg(series.size())
                             .arg(missing)
                             .arg(rejected));
}

void ImportPreviewDialog::showStatus(const QString &problem)
{
    QStringList notes;
    for (const std::string &note : m_last.layout().notes())
        notes << QString::fromStdString(note);
    if (!problem.isEmpty())
        notes.prepend(problem);
    m_status->setText(notes.join('\n'));
    m_status->setStyleSheet(problem.isEmpty() ? QString() : QStringLiteral("color: #c62828"));
    m_import->setEnabled(problem.isEmpty() && !m_waiting);
}

} // namespace meterscope::app
