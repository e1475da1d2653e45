#pragma once
// The pyc container of CPython 3.10: the 16-byte header, the source hash,
// the __pycache__ paths, and the atomic write importlib and py_compile do.
//
// Everything here mirrors importlib._bootstrap_external and py_compile of
// CPython 3.10.13; the comments name the Python function each piece matches.
#include <sys/stat.h>
#include <sys/types.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace xpyc::marshal {
struct Value;
using Ref = const Value*;  // as in marshal/value.h
}  // namespace xpyc::marshal

namespace xpyc::pyc {

// importlib.util.MAGIC_NUMBER: 3439 as two little-endian bytes, then "\r\n".
inline constexpr uint16_t kMagicNumber = 3439;
inline constexpr std::array<uint8_t, 4> kMagicBytes = {0x6f, 0x0d, 0x0d, 0x0a};
// The magic bytes read as a little-endian uint32 (importlib's _RAW_MAGIC_NUMBER).
inline constexpr uint32_t kRawMagic = 0x0a0d0d6fu;
inline constexpr size_t kHeaderSize = 16;
// sys.implementation.cache_tag
inline constexpr std::string_view kCacheTag = "cpython-310";

// py_compile.PycInvalidationMode, with the same numeric values.
enum class InvalidationMode : uint8_t {
  Timestamp = 1,
  CheckedHash = 2,
  UncheckedHash = 3,
};

// The header's flags word for each mode: 0, 0b11 (checked), 0b01 (unchecked).
uint32_t FlagsFor(InvalidationMode mode);

using SourceHash = std::array<uint8_t, 8>;

struct Header {
  InvalidationMode mode = InvalidationMode::Timestamp;
  uint32_t mtime = 0;        // Timestamp: int(st_mtime) & 0xFFFFFFFF
  uint32_t source_size = 0;  // Timestamp: st_size & 0xFFFFFFFF
  SourceHash hash{};         // hash modes: importlib.util.source_hash(source)
};

// A timestamp header from a source's stat data. `mtime_sec`/`mtime_nsec` are
// st_mtim's fields: Python first makes the float st_mtime from them, then
// int() truncates it, and that rounding is reproduced here exactly.
Header TimestampHeader(int64_t mtime_sec, int64_t mtime_nsec, uint64_t source_size);
// The same from a stat() of the source (what py_compile's path_stats gives).
Header TimestampHeaderFromStat(const struct stat& source_stat);
// A hash header for the given source bytes.
Header HashHeader(std::string_view source, bool checked);

// Appends the 16 header bytes (magic, flags, then mtime+size or the hash).
void AppendHeader(const Header& header, std::string& out);
std::string BuildHeader(const Header& header);

// A whole pyc: the header, then the marshal form of `code`.
std::string AssemblePyc(const Header& header, marshal::Ref code);

// Parses the first 16 bytes of a pyc. On failure returns nullopt and sets
// `error` (too short, bad magic, flags with bits other than 0b11 set). As in
// importlib, flags 0b10 without the hash bit is a timestamp pyc.
std::optional<Header> ParseHeader(std::string_view pyc, std::string& error);

// importlib.util.source_hash(source) of 3.10: SipHash-2-4 keyed with
// (kRawMagic, 0), the 64-bit result in little-endian byte order, exactly the
// 8 bytes a hash-based pyc header carries.
SourceHash ComputeSourceHash(std::string_view source);
std::string SourceHashHex(const SourceHash& hash);  // 16 lowercase hex digits

// --- paths (POSIX; '/' is the only separator) ---

// importlib.util.cache_from_source(path, optimization=...) with
// sys.pycache_prefix unset. `optimization_level` 0 gives the plain name,
// N >= 1 gives ".opt-N". Negative levels are not valid (CPython raises
// ValueError for "-1"); they are treated as 0 here: callers resolve -1 first.
std::string CacheFromSource(std::string_view source_path, int optimization_level);
// The same with the optimization given as text; nullopt when it is not empty
// and not alphanumeric (CPython's ValueError).
std::optional<std::string> CacheFromSourceTag(std::string_view source_path,
                                              std::string_view optimization);
// compileall's legacy (-b) location: the source path plus "c".
std::string LegacyCachePath(std::string_view source_path);
// importlib.util.source_from_cache(path); nullopt where CPython raises
// ValueError (not in __pycache__, wrong number of dots, bad opt- part).
std::optional<std::string> SourceFromCache(std::string_view cache_path);

// compileall's skip test (without -f): true when every cfile exists and its
// first 12 bytes are the magic, flags 0 and int(st_mtime) of the source (the
// size is not compared; hash-based pycs never count as fresh). Any OS error
// means "not fresh", as compileall swallows it and recompiles.
bool CompileallIsFresh(const std::string& source_path, std::span<const std::string> cfiles);

// --- writing ---

// An OS-level failure, as CPython would report it: `type` is the OSError
// subclass name ("PermissionError", "FileExistsError", ...), `message` is
// what str(exc) prints, e.g. "[Errno 13] Permission denied: 'a/b.pyc'".
struct Error {
  int err = 0;  // errno, 0 for py_compile's own FileExistsError messages
  std::string type;
  std::string message;
  std::string Describe() const;  // "TYPE: MESSAGE", as compileall prints it
};

// str(OSError(err, os.strerror(err), filename[, filename2])) with its
// subclass: "[Errno 2] No such file or directory: 'a.py'" (" -> 'b'" when
// filename2 is not empty).
Error OsError(int err, std::string_view filename, std::string_view filename2 = {});
// The same for calls Python reports without a file name: "[Errno 28] No space...".
Error OsErrorWithoutName(int err);
// The OSError subclass name CPython 3.10 uses for an errno ("OSError" if none).
std::string_view ExceptionTypeFor(int err);

// importlib's _calc_mode(source): the source's st_mode (0o666 if it cannot be
// stat'ed) with owner-write added. AtomicWrite masks it with 0o666.
mode_t CalcMode(const std::string& source_path);

// py_compile.compile's refusal of a target that is a symlink, or that exists
// and is not a regular file (FileExistsError with CPython's exact text).
std::optional<Error> CheckTarget(const std::string& cfile);

// py_compile.compile's `os.makedirs(dirname(cfile))`, where FileExistsError
// is swallowed and any other error is returned. Empty dirname: nothing to do.
std::optional<Error> MakeCacheDirs(const std::string& cfile);

// importlib's _write_atomic: writes `data` to a temporary "PATH.NUMBER" in the
// same folder (O_EXCL|O_CREAT|O_WRONLY, mode & 0o666), then renames it over
// `path`. On failure the temporary file is removed and the error returned;
// `path` is never left partially written. Thread-safe: temporary names are
// unique per process and call.
std::optional<Error> AtomicWrite(const std::string& path, std::string_view data,
                                 mode_t mode);

// Python's repr() of a str that came from a POSIX path (bytes decoded with
// surrogateescape): used in CPython-style error messages.
std::string PathRepr(std::string_view path);

}  // namespace xpyc::pyc
