#include "cli/cli.h"

int main(int argc, char **argv)
{
    return meterscope::cli::run(argc, argv);
}
