#include "gui/placeholder_page.h"

#include <QAction>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace meterscope::app {

QWidget *createPlaceholderPage(QAction *importAction, QLabel *&title, QWidget *parent)
{
    auto *page = new QWidget(parent);
    auto *icon = new QLabel(page);
    icon->setPixmap(QIcon(":/icons/meterscope.svg").pixmap(96, 96));
    icon->setAlignment(Qt::AlignCenter);
    title = new QLabel(QObject::tr("No series to show yet"), page);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    auto *text = new QLabel(QObject::tr("Drop CSV files, folders of them, or links to them anywhere on this window,\n"
                                        "or choose File ▸ Import CSV…. Each value column becomes a series."),
                            page);
    text->setAlignment(Qt::AlignCenter);
    auto *button = new QPushButton(importAction->icon(), QObject::tr("Import CSV…"), page);
    QObject::connect(button, &QPushButton::clicked, importAction, &QAction::trigger);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(icon);
    layout->addWidget(title);
    layout->addWidget(text);
    layout->addSpacing(12);
    layout->addWidget(button, 0, Qt::AlignCenter);
    layout->addStretch(2);
    return page;
}

} // namespace meterscope::app
