#pragma once

#include "gui/layout_choice.h"
#include "gui/rpc_thread.h"

#include <QDialog>
#include <QTimer>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace meterscope::app {

class Connection;

/// Shows how the server's reader reads a file in a layout the app has not
/// seen: its first lines as a table whose column headers name each
/// column's role (click one to change it: time, value, series key,
/// ignore), the delimiter, the lines before the header, the day/month order
/// and the zone, and below them the readings that would be stored, as
/// parsed, with the lines that would be missing or rejected. Every change
/// asks the server again (a dry run of the file's start, off the GUI
/// thread, see request()); an answer to settings changed since is dropped.
/// Import (accept) applies choice().
class ImportPreviewDialog : public QDialog {
    Q_OBJECT

public:
    /// `detected` is the answer to request() with nothing set.
    ImportPreviewDialog(Connection &connection, const QString &path, const QString &name,
                        const v1::ImportReport &detected, QWidget *parent = nullptr);
    ~ImportPreviewDialog() override;

    /// The dry run a preview sends for `choice`: its import settings with a
    /// sample of the first lines (RpcWorker::previewFile()).
    static client::ImportSettings request(const LayoutChoice &choice);

    /// The settings as they stand: what Import applies.
    LayoutChoice choice() const;
    /// The column headers as the last answer read them.
    QStringList columns() const;
    /// Sets the role of column `column` (0-based), as the header's menu does.
    void setRole(int column, v1::ColumnRole role);

    /// A dry run for the current settings is on its way.
    bool busy() const { return m_waiting; }
    /// The notes of the last answer, or why there is none.
    QString status() const;
    QTableWidget *linesTable() const { return m_lines; }
    QTableWidget *rowsTable() const { return m_rows; }
    QComboBox *delimiterBox() const { return m_delimiter; }
    QSpinBox *skipLinesBox() const { return m_skipLines; }
    QComboBox *dateOrderBox() const { return m_dateOrder; }
    QComboBox *zoneBox() const { return m_zone; }
    QPushButton *importButton() const { return m_import; }

signals:
    /// The tables and notes show the answer to the settings as they stand.
    void answered();

private:
    // A change of the delimiter or the lines skipped changes the columns:
    // roles set for the old ones are dropped.
    void changed(bool columnsChanged);
    void refresh();
    void onPreviewed(const v1::ImportReport &report);
    void onFailed(const RpcError &error);
    void display(const v1::ImportReport &report);
    void showLines(const v1::ImportReport &report);
    void showRows(const v1::ImportReport &report);
    void showStatus(const QString &problem);
    void chooseRole(int column);
    QString timeFormat() const;

    Connection &m_connection;
    QString m_path;
    QString m_name;
    RpcThread m_rpc;
    QTimer m_debounce;
    bool m_waiting = false;
    v1::ImportReport m_last;
    QList<v1::ColumnRole> m_roles;
    // The day/month order as the reader found it with none set, and its format.
    QString m_detectedOrder;
    QString m_detectedFormat;
    bool m_zoneEdited = false;

    QComboBox *m_delimiter;
    QSpinBox *m_skipLines;
    QComboBox *m_dateOrder;
    QComboBox *m_zone;
    QLabel *m_linesTitle;
    QTableWidget *m_lines;
    QLabel *m_rowsTitle;
    QTableWidget *m_rows;
    QLabel *m_status;
    QPushButton *m_import;
};

} // namespace meterscope::app
