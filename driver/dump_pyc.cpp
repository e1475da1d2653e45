#include <cstdio>

#include "driver/commands.h"

namespace xpyc::driver {

int DumpPycCommand(int, char**) {
  std::fputs("xpyc: --dump-pyc is not built yet\n", stderr);
  return 2;
}

}  // namespace xpyc::driver
