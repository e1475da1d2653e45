// xpyc: compile Python 3.10 sources into CPython 3.10 pycs.
// main() only picks the command; each command parses its own arguments.
// Without one of the flags below, xpyc is `python3.10 -m compileall`.
#include <cstring>

#include "driver/commands.h"
#include "driver/large_stack.h"

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
    {"--check-errors", xpyc::driver::CheckErrorsCommand},
};

}  // namespace

static int Dispatch(int argc, char** argv) {
  if (argc >= 2) {
    for (const Command& c : kCommands) {
      if (std::strcmp(argv[1], c.flag) == 0) return c.run(argc - 2, argv + 2);
    }
    if (std::strcmp(argv[1], "--py-compile") == 0) {
      return xpyc::driver::PyCompileCommand(argv[0], argc - 2, argv + 2);
    }
  }
  return xpyc::driver::CompileAllCommand(argc >= 1 ? argv[0] : nullptr, argc - 1, argv + 1);
}

// Every command runs on a thread with a large stack, so that how deep an
// input may nest does not depend on `ulimit -s` (see driver/large_stack.h).
int main(int argc, char** argv) {
  int status = 0;
  xpyc::driver::RunOnLargeStack([&] { status = Dispatch(argc, argv); });
  return status;
}
