#include <cstdio>

#include "driver/commands.h"

namespace xpyc::driver {

int SourceHashCommand(int, char**) {
  std::fputs("xpyc: --source-hash is not built yet\n", stderr);
  return 2;
}

}  // namespace xpyc::driver
