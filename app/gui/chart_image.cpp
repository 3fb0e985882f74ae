#include "gui/chart_image.h"

#include <QChartView>
#include <QCoreApplication>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

namespace meterscope::app {

bool saveChartImage(const QChartView &view, const QString &path, QString *error)
{
    const auto cannotWrite = [&] {
        if (error)
            *error = QCoreApplication::translate("ChartView", "Cannot write %1.").arg(path);
        return false;
    };
    const QSize size = view.viewport()->size();
    const QRectF target(QPointF(0, 0), size);
    // What the view shows; the scene may reach further (hidden labels).
    const QRectF source = view.mapToScene(view.viewport()->rect()).boundingRect();
    if (QFileInfo(path).suffix().compare("svg", Qt::CaseInsensitive) == 0) {
        QSvgGenerator svg;
        svg.setFileName(path);
        svg.setSize(size);
        svg.setViewBox(target);
        svg.setTitle(view.chart()->title());
        svg.setDescription(QCoreApplication::translate("ChartView", "Meterscope chart"));
        QPainter painter;
        if (!painter.begin(&svg))
            return cannotWrite();
        view.scene()->render(&painter, target, source);
        return painter.end();
    }
    QImage image(size * view.devicePixelRatio(), QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(view.devicePixelRatio());
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    view.scene()->render(&painter, target, source);
    painter.end();
    return image.save(path, "PNG") || cannotWrite();
}

} // namespace meterscope::app
