#include <cstdio>

#include "driver/commands.h"

namespace xpyc::driver {

int DumpTokensCommand(int, char**) {
  std::fputs("xpyc: --dump-tokens is not built yet\n", stderr);
  return 2;
}

}  // namespace xpyc::driver
