#include "gui/message_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace meterscope::app {

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_text(new QLabel(this))
    , m_action(new QPushButton(this))
    , m_close(new QToolButton(this))
{
    setObjectName("messageBar");
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action->hide();
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::hide);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    layout->addWidget(m_close);
    hide();
}

void MessageBar::showMessage(Kind kind, const QString &text)
{
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QString colors = "background: #e8f1fd; border: 1px solid #9ec5f4;";
    if (kind == Kind::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        colors = "background: #fff6dd; border: 1px solid #e9c46a;";
    } else if (kind == Kind::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        colors = "background: #fde8e8; border: 1px solid #ef9a9a;";
    }
    setStyleSheet(QStringLiteral("#messageBar { %1 border-radius: 4px; }").arg(colors));
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    m_text->setText(text);
    show();
}

QString MessageBar::text() const
{
    return m_text->text();
}

void MessageBar::setActionText(const QString &text)
{
    m_action->setText(text);
    m_action->setVisible(!text.isEmpty());
}

void MessageBar::setClosable(bool closable)
{
    m_close->setVisible(closable);
}

} // namespace meterscope::app
