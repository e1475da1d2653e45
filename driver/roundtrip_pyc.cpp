// xpyc --roundtrip-pyc IN.pyc OUT.pyc: reads IN with our marshal reader and
// writes IN's 16-byte header followed by our writer's marshal of the value.
#include <cstdio>
#include <string>

#include "driver/commands.h"
#include "driver/file_bytes.h"
#include "marshal/marshal.h"

namespace xpyc::driver {

int RoundtripPycCommand(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: xpyc --roundtrip-pyc IN.pyc OUT.pyc\n", stderr);
    return 2;
  }
  std::string bytes;
  std::string error;
  if (!ReadWholeFile(argv[0], bytes, error)) {
    std::fprintf(stderr, "xpyc: %s: %s\n", argv[0], error.c_str());
    return 1;
  }
  if (bytes.size() < 16) {
    std::fprintf(stderr, "xpyc: %s: truncated pyc header\n", argv[0]);
    return 1;
  }
  marshal::Heap heap;
  marshal::Ref root = marshal::Read(std::string_view(bytes).substr(16), heap, error);
  if (root == nullptr) {
    std::fprintf(stderr, "xpyc: %s: %s\n", argv[0], error.c_str());
    return 1;
  }
  std::string out = bytes.substr(0, 16);
  marshal::Write(root, out);
  if (!WriteWholeFile(argv[1], out, error)) {
    std::fprintf(stderr, "xpyc: %s: %s\n", argv[1], error.c_str());
    return 1;
  }
  return 0;
}

}  // namespace xpyc::driver
