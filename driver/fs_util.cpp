#include "driver/fs_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>

#include "driver/compileall.h"
#include "lexer/unicode.h"

namespace xpyc::driver::fs {
namespace {

struct FdCloser {
  void operator()(const int* fd) const {
    if (fd != nullptr && *fd >= 0) ::close(*fd);
  }
};

struct DirCloser {
  void operator()(DIR* dir) const {
    if (dir != nullptr) ::closedir(dir);
  }
};

}  // namespace

bool IsDir(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool IsLink(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}


namespace {

// Makes room in `out` for `capacity` bytes, keeping those read so far.
void Reserve(FileContents& out, size_t capacity) {
  std::unique_ptr<char[]> grown = std::make_unique_for_overwrite<char[]>(capacity);
  if (out.size != 0) std::memcpy(grown.get(), out.data.get(), out.size);
  out.data = std::move(grown);
}

// open(path, 'rb').read(limit), into `out`.
std::optional<pyc::Error> ReadUpTo(const std::string& path, size_t limit, FileContents& out) {
  out.size = 0;
  const int raw = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) return pyc::OsError(errno, path);
  int fd_storage = raw;
  const std::unique_ptr<int, FdCloser> guard(&fd_storage);
  struct stat st {};
  const bool known_size = ::fstat(raw, &st) == 0;
  if (known_size && S_ISDIR(st.st_mode)) return pyc::OsError(EISDIR, path);
  // One byte more than the file holds, so that the read seeing EOF needs no
  // regrowing; files whose size fstat does not tell start at 64 KiB.
  const size_t expected =
      known_size && S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) + 1 : size_t{1} << 16;
  size_t capacity = std::min(limit, expected);
  Reserve(out, capacity);
  while (out.size < limit) {
    if (out.size == capacity) {
      capacity = capacity > limit / 2 ? limit : capacity * 2;
      Reserve(out, capacity);
    }
    const ssize_t got = ::read(raw, out.data.get() + out.size, capacity - out.size);
    if (got < 0) {
      if (errno == EINTR) continue;
      return pyc::OsErrorWithoutName(errno);
    }
    if (got == 0) break;
    out.size += static_cast<size_t>(got);
  }
  return std::nullopt;
}

}  // namespace

std::optional<pyc::Error> ReadFile(const std::string& path, FileContents& out) {
  return ReadUpTo(path, SIZE_MAX, out);
}

std::optional<pyc::Error> ReadFile(const std::string& path, std::string& out) {
  return ReadPrefix(path, SIZE_MAX, out);
}

std::optional<pyc::Error> ReadPrefix(const std::string& path, size_t limit, std::string& out) {
  FileContents contents;
  std::optional<pyc::Error> error = ReadUpTo(path, limit, contents);
  out.assign(contents.view());
  return error;
}

bool ListDir(const std::string& path, std::vector<std::string>& names) {
  names.clear();
  // os.listdir('') fails (ENOENT) rather than listing ".".
  if (path.empty()) return false;
  const std::unique_ptr<DIR, DirCloser> dir(::opendir(path.c_str()));
  if (!dir) return false;
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(dir.get());
    if (entry == nullptr) return errno == 0;
    const std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
}

std::string FsDecodeToStr(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char32_t cp : DecodeSurrogateEscape(name)) lex::unicode::AppendUtf8(out, cp);
  return out;
}

std::string StrToFsEncode(std::string_view str) {
  std::string out;
  out.reserve(str.size());
  for (size_t at = 0; at < str.size(); ++at) {
    const auto b = [&](size_t i) { return static_cast<uint8_t>(str[i]); };
    // ED B2..B3 xx is U+DC80..U+DCFF in surrogatepass UTF-8.
    if (b(at) == 0xED && at + 2 < str.size() && (b(at + 1) == 0xB2 || b(at + 1) == 0xB3) &&
        (b(at + 2) & 0xC0) == 0x80) {
      const unsigned cp = 0xD000u | ((b(at + 1) & 0x3Fu) << 6) | (b(at + 2) & 0x3Fu);
      out.push_back(static_cast<char>(cp - 0xDC00u));
      at += 2;
      continue;
    }
    out.push_back(str[at]);
  }
  return out;
}

std::u32string DecodeSurrogateEscape(std::string_view bytes) {
  std::u32string out;
  out.reserve(bytes.size());
  size_t at = 0;
  while (at < bytes.size()) {
    const auto b = [&](size_t i) { return static_cast<uint8_t>(bytes[i]); };
    const uint8_t lead = b(at);
    size_t length = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead < 0x80) {
      out.push_back(lead);
      ++at;
      continue;
    }
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2, cp = lead & 0x1Fu, min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3, cp = lead & 0x0Fu, min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4, cp = lead & 0x07u, min = 0x10000;
    }
    bool valid = length > 0 && at + length <= bytes.size();
    for (size_t i = 1; valid && i < length; ++i) {
      if ((b(at + i) & 0xC0) != 0x80) {
        valid = false;
      } else {
        cp = (cp << 6) | (b(at + i) & 0x3Fu);
      }
    }
    if (valid && (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))) valid = false;
    if (!valid) {
      out.push_back(0xDC00u + lead);
      ++at;
      continue;
    }
    out.push_back(cp);
    at += length;
  }
  return out;
}

std::string CurrentDirectory() {
  std::string buffer(4096, '\0');
  while (::getcwd(buffer.data(), buffer.size()) == nullptr) {
    if (errno != ERANGE) return ".";
    buffer.resize(buffer.size() * 2);
  }
  buffer.resize(std::strlen(buffer.c_str()));
  return buffer;
}

namespace {

class Resolver {
 public:
  std::string Resolve(std::string path, std::string_view rest) {
    if (rest.starts_with('/')) path.clear();
    size_t pos = 0;
    while (pos <= rest.size()) {
      size_t end = rest.find('/', pos);
      if (end == std::string_view::npos) end = rest.size();
      const std::string name(rest.substr(pos, end - pos));
      pos = end + 1;
      if (name.empty() || name == ".") continue;
      if (name == "..") {
        const size_t slash = path.rfind('/');
        path = slash == std::string::npos ? std::string() : path.substr(0, slash);
        continue;
      }
      const std::string newpath = path.ends_with('/') ? path + name : path + "/" + name;
      if (auto it = seen_.find(newpath); it != seen_.end()) {
        if (it->second) {
          path = *it->second;
          continue;
        }
        throw UncaughtPythonError("RuntimeError",
                                  fmt::format("Symlink loop from {}", pyc::PathRepr(newpath)));
      }
      std::string target(4096, '\0');
      const ssize_t got = ::readlink(newpath.c_str(), target.data(), target.size());
      if (got < 0) {
        path = newpath;
        continue;
      }
      target.resize(static_cast<size_t>(got));
      seen_[newpath] = std::nullopt;
      path = Resolve(path, target);
      seen_[newpath] = path;
    }
    return path;
  }

 private:
  std::map<std::string, std::optional<std::string>> seen_;
};

}  // namespace

std::string ResolvePath(const std::string& path) {
  Resolver resolver;
  const std::string base = path.starts_with('/') ? std::string() : CurrentDirectory();
  std::string resolved = resolver.Resolve(base, path);
  return resolved.empty() ? "/" : resolved;
}

}  // namespace xpyc::driver::fs
