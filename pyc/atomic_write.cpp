// py_compile's checks before writing, os.makedirs as py_compile calls it, and
// importlib's _write_atomic; errors are reported the way CPython prints them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "marshal/value.h"
#include "pyc/pyc.h"

namespace xpyc::pyc {
namespace {

std::string ErrnoText(int err) {
  char buffer[256];
  // GNU strerror_r: thread-safe, returns a pointer to the text.
  const char* text = strerror_r(err, buffer, sizeof buffer);
  return text != nullptr ? std::string(text) : fmt::format("Unknown error {}", err);
}

}  // namespace

// PEP 3151's mapping of errno values to OSError subclasses.
std::string_view ExceptionTypeFor(int err) {
  switch (err) {
    case EEXIST: return "FileExistsError";
    case ENOENT: return "FileNotFoundError";
    case EISDIR: return "IsADirectoryError";
    case ENOTDIR: return "NotADirectoryError";
    case EACCES:
    case EPERM: return "PermissionError";
    case EAGAIN:
    case EALREADY:
    case EINPROGRESS: return "BlockingIOError";
    case ECHILD: return "ChildProcessError";
    case EPIPE:
    case ESHUTDOWN: return "BrokenPipeError";
    case ECONNABORTED: return "ConnectionAbortedError";
    case ECONNREFUSED: return "ConnectionRefusedError";
    case ECONNRESET: return "ConnectionResetError";
    case EINTR: return "InterruptedError";
    case ESRCH: return "ProcessLookupError";
    case ETIMEDOUT: return "TimeoutError";
    default: return "OSError";
  }
}

Error OsError(int err, std::string_view filename, std::string_view filename2) {
  Error error;
  error.err = err;
  error.type = std::string(ExceptionTypeFor(err));
  error.message = fmt::format("[Errno {}] {}: {}", err, ErrnoText(err), PathRepr(filename));
  if (!filename2.empty()) {
    error.message += " -> ";
    error.message += PathRepr(filename2);
  }
  return error;
}

Error OsErrorWithoutName(int err) {
  Error error;
  error.err = err;
  error.type = std::string(ExceptionTypeFor(err));
  error.message = fmt::format("[Errno {}] {}", err, ErrnoText(err));
  return error;
}

namespace {

Error FileExists(std::string message) {
  Error error;
  error.type = "FileExistsError";
  error.message = std::move(message);
  return error;
}

struct PathSplit {
  std::string head;
  std::string tail;
};

// posixpath.split: the head keeps no trailing slashes unless it is all slashes.
PathSplit PosixSplit(std::string_view path) {
  const size_t cut = path.rfind('/') == std::string_view::npos ? 0 : path.rfind('/') + 1;
  std::string_view head = path.substr(0, cut);
  const std::string_view tail = path.substr(cut);
  if (!head.empty() && head.find_first_not_of('/') != std::string_view::npos) {
    while (!head.empty() && head.back() == '/') head.remove_suffix(1);
  }
  return {std::string(head), std::string(tail)};
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

// os.makedirs(name) with exist_ok=False; the caller swallows FileExistsError.
std::optional<Error> MakeDirs(const std::string& name) {
  PathSplit split = PosixSplit(name);
  if (split.tail.empty()) split = PosixSplit(split.head);
  if (!split.head.empty() && !split.tail.empty() && !PathExists(split.head)) {
    std::optional<Error> parent = MakeDirs(split.head);
    if (parent && parent->err != EEXIST) return parent;
    if (split.tail == ".") return std::nullopt;
  }
  if (::mkdir(name.c_str(), 0777) != 0) return OsError(errno, name);
  return std::nullopt;
}

std::atomic<uint64_t> g_temp_counter{0};

// A temporary name unique within this process (the counter) and across
// processes (the pid), like importlib's "PATH.{id(path)}".
std::string TemporaryNameFor(const std::string& path) {
  const uint64_t pid = static_cast<uint64_t>(::getpid());
  const uint64_t count = g_temp_counter.fetch_add(1, std::memory_order_relaxed);
  return fmt::format("{}.{}", path, (pid << 32) | (count & 0xFFFFFFFFu));
}

class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now and reports close()'s errno (0 on success).
  int Close() {
    const int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

// Writes everything, resuming after short writes and EINTR; returns errno or 0.
int WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return 0;
}

// Creates the temporary file; a stale leftover with the same name (a killed
// process whose pid came back) is skipped by trying the next number.
int OpenTemporary(const std::string& path, mode_t mode, std::string& temp_path) {
  constexpr int kAttempts = 8;
  int fd = -1;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    temp_path = TemporaryNameFor(path);
    fd = ::open(temp_path.c_str(), O_EXCL | O_CREAT | O_WRONLY | O_CLOEXEC, mode & 0666);
    if (fd >= 0 || errno != EEXIST) break;
  }
  return fd;
}

void AppendEscapedCodePoint(uint32_t cp, std::string& out) {
  if (cp <= 0xFF) {
    fmt::format_to(std::back_inserter(out), "\\x{:02x}", cp);
  } else if (cp <= 0xFFFF) {
    fmt::format_to(std::back_inserter(out), "\\u{:04x}", cp);
  } else {
    fmt::format_to(std::back_inserter(out), "\\U{:08x}", cp);
  }
}

// Decodes one UTF-8 sequence at `at`; returns its length, 0 when invalid.
size_t DecodeUtf8(std::string_view text, size_t at, uint32_t& cp) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(at);
  size_t length = 0;
  uint32_t min = 0;
  if (lead < 0x80) {
    cp = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(at + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string Error::Describe() const { return fmt::format("{}: {}", type, message); }

std::string PathRepr(std::string_view path) {
  const bool has_single = path.find('\'') != std::string_view::npos;
  const bool has_double = path.find('"') != std::string_view::npos;
  const char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out(1, quote);
  for (size_t at = 0; at < path.size();) {
    uint32_t cp = 0;
    const size_t length = DecodeUtf8(path, at, cp);
    if (length == 0) {  // surrogateescape: the byte becomes U+DC80..U+DCFF
      AppendEscapedCodePoint(0xDC00u + static_cast<uint8_t>(path[at]), out);
      ++at;
      continue;
    }
    if (cp == static_cast<uint32_t>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (!marshal::IsPrintable(cp)) {  // str.isprintable, Unicode 13
      AppendEscapedCodePoint(cp, out);
    } else {
      out.append(path.substr(at, length));
    }
    at += length;
  }
  out.push_back(quote);
  return out;
}

mode_t CalcMode(const std::string& source_path) {
  struct stat st;
  mode_t mode = 0666;
  if (::stat(source_path.c_str(), &st) == 0) mode = st.st_mode;
  return mode | 0200;
}

std::optional<Error> CheckTarget(const std::string& cfile) {
  struct stat st;
  if (::lstat(cfile.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    return FileExists(fmt::format(
        "{} is a symlink and will be changed into a regular file if import writes a "
        "byte-compiled file to it",
        cfile));
  }
  if (::stat(cfile.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    return FileExists(fmt::format(
        "{} is a non-regular file and will be changed into a regular one if import "
        "writes a byte-compiled file to it",
        cfile));
  }
  return std::nullopt;
}

std::optional<Error> MakeCacheDirs(const std::string& cfile) {
  // os.path.dirname: the head of posixpath.split.
  const std::string dirname = PosixSplit(cfile).head;
  if (dirname.empty()) return std::nullopt;
  std::optional<Error> error = MakeDirs(dirname);
  if (error && error->err == EEXIST) return std::nullopt;
  return error;
}

std::optional<Error> AtomicWrite(const std::string& path, std::string_view data, mode_t mode) {
  std::string temp_path;
  FileDescriptor fd(OpenTemporary(path, mode, temp_path));
  if (fd.get() < 0) return OsError(errno, temp_path);

  int err = WriteAll(fd.get(), data);
  const int close_err = fd.Close();
  if (err == 0) err = close_err;
  if (err != 0) {
    ::unlink(temp_path.c_str());
    return OsErrorWithoutName(err);
  }
  if (::rename(temp_path.c_str(), path.c_str()) != 0) {
    const int rename_err = errno;
    ::unlink(temp_path.c_str());
    return OsError(rename_err, temp_path, path);
  }
  return std::nullopt;
}

}  // namespace xpyc::pyc
