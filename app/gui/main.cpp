// meterscope: the desktop app. Everything lives in meterscope_gui.
#include "gui/application.h"

#include <QApplication>
#include <QIcon>

int main(int argc, char **argv)
{
    if (meterscope::app::needsNoDisplay(argc, argv) && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName("meterscope");
    QApplication::setApplicationDisplayName("Meterscope");
    QApplication::setOrganizationName("Meterscope");
    QApplication::setApplicationVersion(METERSCOPE_VERSION);
    QApplication::setDesktopFileName("meterscope");
    QApplication::setWindowIcon(QIcon(":/icons/meterscope.svg"));
    meterscope::app::Application application(meterscope::app::parseCommandLine(QApplication::arguments()));
    return application.run();
}
