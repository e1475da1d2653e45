#include <cstdio>

#include "driver/commands.h"

namespace xpyc::driver {

int DumpAstCommand(int, char**) {
  std::fputs("xpyc: --dump-ast is not built yet\n", stderr);
  return 2;
}

}  // namespace xpyc::driver
