// xpyc: compile Python 3.10 sources into CPython 3.10 pycs.
// main() only picks the command; each command parses its own arguments.
#include <cstdio>
#include <cstring>

#include "driver/commands.h"

namespace {

struct Command {
  const char* flag;
  int (*run)(int argc, char** argv);
};

constexpr Command kCommands[] = {
    {"--dump-pyc", xpyc::driver::DumpPycCommand},
    {"--dump-tokens", xpyc::driver::DumpTokensCommand},
    {"--dump-ast", xpyc::driver::DumpAstCommand},
    {"--roundtrip-pyc", xpyc::driver::RoundtripPycCommand},
    {"--source-hash", xpyc::driver::SourceHashCommand},
};

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2) {
    for (const Command& c : kCommands) {
      if (std::strcmp(argv[1], c.flag) == 0) return c.run(argc - 2, argv + 2);
    }
  }
  std::fprintf(stderr, "usage: xpyc --dump-pyc FILE.pyc | --dump-tokens FILE.py | --dump-ast FILE.py\n");
  return 2;
}
