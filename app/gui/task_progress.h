#pragma once

#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace meterscope::app {

/// A long task in the status bar: what it is doing, how far it has come,
/// and a Cancel button. Hidden while there is nothing to show.
class TaskProgress : public QWidget {
    Q_OBJECT

public:
    explicit TaskProgress(QWidget *parent = nullptr);

    /// Shows `text` and `fraction` done (0 to 1; negative = unknown).
    void setProgress(const QString &text, double fraction);
    /// Hides it again.
    void finish();
    QString text() const;
    QToolButton *cancelButton() const { return m_cancel; }

signals:
    void cancelRequested();

private:
    QLabel *m_label;
    QProgressBar *m_bar;
    QToolButton *m_cancel;
};

} // namespace meterscope::app
