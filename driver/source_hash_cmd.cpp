// xpyc --source-hash FILE ...: prints "HEX16  FILE" per file, HEX16 being the
// 8 bytes importlib.util.source_hash gives (as a hash-based pyc holds them).
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "driver/commands.h"
#include "pyc/pyc.h"

namespace xpyc::driver {
namespace {

std::optional<std::string> ReadWholeFile(const char* path, int& err) {
  std::FILE* file = std::fopen(path, "rb");
  if (file == nullptr) {
    err = errno;
    return std::nullopt;
  }
  std::string data;
  char buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, file)) > 0) data.append(buffer, got);
  const bool failed = std::ferror(file) != 0;
  err = errno;
  std::fclose(file);
  if (failed) return std::nullopt;
  return data;
}

}  // namespace

int SourceHashCommand(int argc, char** argv) {
  if (argc < 1) {
    std::fputs("usage: xpyc --source-hash FILE ...\n", stderr);
    return 2;
  }
  int status = 0;
  for (int i = 0; i < argc; ++i) {
    int err = 0;
    const std::optional<std::string> data = ReadWholeFile(argv[i], err);
    if (!data) {
      fmt::print(stderr, "xpyc: {}: {}\n", argv[i], std::strerror(err));
      status = 1;
      continue;
    }
    fmt::print("{}  {}\n", pyc::SourceHashHex(pyc::ComputeSourceHash(*data)), argv[i]);
  }
  return status;
}

}  // namespace xpyc::driver
