#pragma once
// Internal helpers of the driver: os.path predicates and file reading
// (errors as pyc::Error, worded by pyc::OsError).
#include <sys/stat.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pyc/pyc.h"

namespace xpyc::driver::fs {

bool IsDir(const std::string& path);   // os.path.isdir (follows symlinks)
bool IsFile(const std::string& path);  // os.path.isfile
bool IsLink(const std::string& path);  // os.path.islink
bool Exists(const std::string& path);  // os.path.exists

// A file's bytes, read straight into a buffer sized by fstat (neither
// zero-filled first nor staged through another buffer).
struct FileContents {
  std::unique_ptr<char[]> data;
  size_t size = 0;
  std::string_view view() const { return {data.get(), size}; }
};

// open(path, 'rb').read()
std::optional<pyc::Error> ReadFile(const std::string& path, std::string& out);
std::optional<pyc::Error> ReadFile(const std::string& path, FileContents& out);

// open(path, 'rb').read(n): at most the first `limit` bytes.
std::optional<pyc::Error> ReadPrefix(const std::string& path, size_t limit, std::string& out);

// os.listdir(path); false on any error.
bool ListDir(const std::string& path, std::vector<std::string>& names);

// Code points of a name decoded as UTF-8 with surrogateescape (sort key).
std::u32string DecodeSurrogateEscape(std::string_view bytes);

// os.fsdecode(name) as the bytes of a Python str (marshal::Str's form: UTF-8,
// lone surrogates as 3 bytes, "surrogatepass"): an undecodable byte B of the
// name becomes U+DC00+B, so b"caf\xe9" gives "caf\xed\xb3\xa9". Names that are
// valid UTF-8 are unchanged.
std::string FsDecodeToStr(std::string_view name);
// The inverse, os.fsencode(str): U+DC80..U+DCFF become their byte again.
std::string StrToFsEncode(std::string_view str);

// pathlib.Path(path).resolve() (non-strict) of Python 3.10. Throws
// UncaughtPythonError("RuntimeError", ...) on a symlink loop.
std::string ResolvePath(const std::string& path);

std::string CurrentDirectory();

}  // namespace xpyc::driver::fs
