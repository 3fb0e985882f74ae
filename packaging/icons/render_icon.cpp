// Renders the app's SVG icon into the PNG sizes of the hicolor icon theme.
// Runs at build time, so the installed PNGs are always the current SVG.
//
//   render_icon ICON.svg OUT_DIR SIZE...
//
// writes OUT_DIR/<SIZE>x<SIZE>/apps/<name of ICON>.png for every SIZE.

#include <QDir>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>

#include <cstdio>

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::fprintf(stderr, "usage: %s ICON.svg OUT_DIR SIZE...\n", argv[0]);
        return 2;
    }
    // Text in an icon needs the font database, hence a QGuiApplication; the
    // offscreen platform lets it start on machines without a display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    int appArgc = 1;
    QGuiApplication app(appArgc, argv);

    const QString svgPath = QString::fromLocal8Bit(argv[1]);
    QSvgRenderer renderer(svgPath);
    if (!renderer.isValid()) {
        std::fprintf(stderr, "render_icon: %s is not a valid SVG file\n", argv[1]);
        return 1;
    }
    renderer.setAspectRatioMode(Qt::KeepAspectRatio);
    const QString name = QFileInfo(svgPath).completeBaseName();
    const QDir outDir(QString::fromLocal8Bit(argv[2]));

    for (int i = 3; i < argc; ++i) {
        bool ok = false;
        const int size = QString::fromLocal8Bit(argv[i]).toInt(&ok);
        if (!ok || size <= 0 || size > 4096) {
            std::fprintf(stderr, "render_icon: '%s' is not an icon size in pixels\n", argv[i]);
            return 2;
        }
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter painter(&image);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            renderer.render(&painter, QRectF(0, 0, size, size));
        }
        const QString subdir = QStringLiteral("%1x%1/apps").arg(size);
        const QString target = outDir.filePath(subdir + '/' + name + ".png");
        if (!outDir.mkpath(subdir) || !image.save(target, "PNG")) {
            std::fprintf(stderr, "render_icon: cannot write %s\n", qPrintable(target));
            return 1;
        }
    }
    return 0;
}
