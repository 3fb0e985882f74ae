#include "gui/drop_overlay.h"

#include "gui/import_controller.h"

#include <QMimeData>
#include <QPainter>

namespace meterscope::app {

QList<QUrl> importableUrls(const QMimeData *mime)
{
    if (mime->hasUrls())
        return mime->urls();
    const QUrl url(mime->text().trimmed(), QUrl::StrictMode);
    if (url.isValid() && (url.scheme() == "http" || url.scheme() == "https"))
        return {url};
    return {};
}

DropOverlay::DropOverlay(QWidget *parent)
    : QWidget(parent)
{
    setAttribute(Qt::WA_TransparentForMouseEvents);
    hide();
}

void DropOverlay::showPlan(const ImportPlan &plan)
{
    m_accepting = !plan.sources.isEmpty();
    if (!m_accepting)
        m_text = tr("Cannot import this");
    else if (plan.sources.size() == 1)
        m_text = tr("Drop to import %1").arg(plan.sources.first().name);
    else
        m_text = tr("Drop to import %1 files").arg(plan.sources.size());
    m_detail = m_accepting && !plan.refusals.isEmpty() ? tr("Skipped: %1").arg(plan.refusals.join(' '))
                                                       : plan.refusals.join('\n');
    setGeometry(parentWidget()->rect());
    raise();
    show();
    update();
}

void DropOverlay::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor accent = m_accepting ? QColor(0x1f, 0x6f, 0xd0) : QColor(0xc6, 0x28, 0x28);
    painter.fillRect(rect(), QColor(255, 255, 255, 215));
    const QRectF frame = QRectF(rect()).adjusted(16, 16, -16, -16);
    painter.setPen(QPen(accent, 3, Qt::DashLine));
    painter.setBrush(QColor(accent.red(), accent.green(), accent.blue(), 20));
    painter.drawRoundedRect(frame, 12, 12);

    QFont title = font();
    title.setPointSizeF(title.pointSizeF() * 1.8);
    title.setBold(true);
    painter.setFont(title);
    painter.setPen(accent);
    const QRectF upper = frame.adjusted(32, 0, -32, -frame.height() / 2);
    painter.drawText(upper, Qt::AlignHCenter | Qt::AlignBottom | Qt::TextWordWrap, m_text);
    painter.setFont(font());
    painter.setPen(palette().color(QPalette::WindowText));
    const QRectF lower = frame.adjusted(32, frame.height() / 2 + 12, -32, -16);
    painter.drawText(lower, Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap, m_detail);
}

} // namespace meterscope::app
