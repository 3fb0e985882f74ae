#include "daemon/daemon.h"

int main(int argc, char **argv)
{
    return meterscope::daemon::run(meterscope::daemon::parseCommandLine(argc, argv));
}
