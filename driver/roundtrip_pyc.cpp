#include <cstdio>

#include "driver/commands.h"

namespace xpyc::driver {

int RoundtripPycCommand(int, char**) {
  std::fputs("xpyc: --roundtrip-pyc is not built yet\n", stderr);
  return 2;
}

}  // namespace xpyc::driver
