// xpyc --dump-pyc FILE.pyc ...: the text form of each pyc (see pyc_text.h).
// With several files, each dump starts with a "file PATH" line.
#include <cstdio>
#include <string>

#include "driver/commands.h"
#include "driver/file_bytes.h"
#include "driver/pyc_text.h"

namespace xpyc::driver {

int DumpPycCommand(int argc, char** argv) {
  if (argc < 1) {
    std::fputs("usage: xpyc --dump-pyc FILE.pyc ...\n", stderr);
    return 2;
  }
  int status = 0;
  std::string bytes;
  std::string text;
  for (int i = 0; i < argc; ++i) {
    std::string error;
    text.clear();
    if (argc > 1) text = std::string("file ") + argv[i] + "\n";
    bool ok = ReadWholeFile(argv[i], bytes, error) && DumpPycText(bytes, text, error);
    if (!ok) {
      std::fflush(stdout);
      std::fprintf(stderr, "xpyc: %s: %s\n", argv[i], error.c_str());
      status = 1;
      continue;
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  std::fflush(stdout);
  return status;
}

}  // namespace xpyc::driver
