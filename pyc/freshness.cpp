// compileall's "is this pyc already up to date?" test (compile_file, no -f).
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "pyc/pyc.h"

namespace xpyc::pyc {
namespace {

// Reads up to `size` bytes from the start of `path`; nullopt on an OS error.
std::optional<std::string> ReadPrefix(const std::string& path, size_t size) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string data(size, '\0');
  size_t got = 0;
  bool failed = false;
  while (got < size) {
    const ssize_t n = ::read(fd, data.data() + got, size - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) failed = true;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  if (failed) return std::nullopt;
  data.resize(got);
  return data;
}

}  // namespace

bool CompileallIsFresh(const std::string& source_path, std::span<const std::string> cfiles) {
  struct stat st;
  if (::stat(source_path.c_str(), &st) != 0) return false;
  // magic, flags 0, mtime: the first 12 bytes of a timestamp header.
  const std::string expected = BuildHeader(TimestampHeaderFromStat(st)).substr(0, 12);
  for (const std::string& cfile : cfiles) {
    const std::optional<std::string> actual = ReadPrefix(cfile, expected.size());
    if (!actual || *actual != expected) return false;
  }
  return true;
}

}  // namespace xpyc::pyc
