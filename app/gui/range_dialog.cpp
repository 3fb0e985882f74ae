#include "gui/range_dialog.h"

#include "time/instant.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace meterscope::app {

namespace {

const QString kFormat = QStringLiteral("yyyy-MM-dd HH:mm:ss");

} // namespace

RangeDialog::RangeDialog(const QString &title, const DisplayZone &zone, qint64 startUs, qint64 endUs, QWidget *parent)
    : QDialog(parent)
    , m_zone(zone)
    , m_from(new QLineEdit(formatWallTime(startUs, zone.zone(), kFormat), this))
    , m_to(new QLineEdit(formatWallTime(endUs, zone.zone(), kFormat), this))
    , m_problem(new QLabel(this))
{
    setWindowTitle(title);
    m_from->setObjectName("from");
    m_to->setObjectName("to");
    for (QLineEdit *edit : {m_from, m_to}) {
        edit->setMinimumWidth(edit->fontMetrics().horizontalAdvance("2000-00-00 00:00:00+00:00") + 16);
        edit->setToolTip(tr("A time in %1, or ISO 8601 with an offset").arg(zone.label()));
    }
    m_problem->setObjectName("problem");
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet("color: #c62828");
    m_problem->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To (not included):"), m_to);
    auto *note = new QLabel(tr("Times in %1.").arg(zone.label()), this);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Delete…"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RangeDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RangeDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
    // Wide enough for its title, which names the series.
    resize(std::max(sizeHint().width(), fontMetrics().horizontalAdvance(title) + 260), sizeHint().height());
}

void RangeDialog::accept()
{
    const timeutil::Zone zone = m_zone.zone();
    const auto parse = [&](QLineEdit *edit, const QString &what, qint64 &out) {
        std::string error;
        const std::optional<timeutil::Micros> time
            = timeutil::parseInstant(edit->text().trimmed().toStdString(), zone, &error);
        if (!time) {
            m_problem->setText(tr("%1: %2").arg(what, QString::fromStdString(error)));
            m_problem->show();
            edit->setFocus();
            return false;
        }
        out = *time;
        return true;
    };
    if (!parse(m_from, tr("From"), m_startUs) || !parse(m_to, tr("To"), m_endUs))
        return;
    if (m_startUs >= m_endUs) {
        m_problem->setText(tr("From must be before To."));
        m_problem->show();
        m_to->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace meterscope::app
