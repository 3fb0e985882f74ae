#pragma once

#include <QFrame>

class QLabel;
class QPushButton;
class QToolButton;

namespace meterscope::app {

/// A message across the top of the window, in plain words, with an
/// optional action (Retry) and a close button; hidden when there is none.
class MessageBar : public QFrame {
    Q_OBJECT

public:
    enum class Kind { Information, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(Kind kind, const QString &text);
    QString text() const;
    /// The action button, hidden until given a text.
    QPushButton *actionButton() const { return m_action; }
    void setActionText(const QString &text);
    void setClosable(bool closable);

private:
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
};

} // namespace meterscope::app
