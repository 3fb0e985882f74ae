#include "gui/task_progress.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

#include <algorithm>

namespace meterscope::app {

namespace {
constexpr int kSteps = 1000;
}

TaskProgress::TaskProgress(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
{
    m_bar->setRange(0, kSteps);
    m_bar->setFixedWidth(180);
    m_bar->setTextVisible(false);
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop; nothing of an unfinished import is stored"));
    connect(m_cancel, &QToolButton::clicked, this, &TaskProgress::cancelRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();
}

void TaskProgress::setProgress(const QString &text, double fraction)
{
    m_label->setText(text);
    if (fraction < 0) {
        m_bar->setRange(0, 0);
    } else {
        m_bar->setRange(0, kSteps);
        m_bar->setValue(int(std::clamp(fraction, 0.0, 1.0) * kSteps));
    }
    show();
}

void TaskProgress::finish()
{
    hide();
}

QString TaskProgress::text() const
{
    return m_label->text();
}

} // namespace meterscope::app
