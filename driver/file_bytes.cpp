#include "driver/file_bytes.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace xpyc::driver {

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;
}  // namespace

bool ReadWholeFile(const char* path, std::string& out, std::string& error) {
  File f(std::fopen(path, "rb"));
  if (!f) {
    error = std::strerror(errno);
    return false;
  }
  out.clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) out.append(buf, n);
  if (std::ferror(f.get())) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

bool WriteWholeFile(const char* path, std::string_view bytes, std::string& error) {
  File f(std::fopen(path, "wb"));
  if (!f) {
    error = std::strerror(errno);
    return false;
  }
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size() ||
      std::fflush(f.get()) != 0) {
    error = std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace xpyc::driver
