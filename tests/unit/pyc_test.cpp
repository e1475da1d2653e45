// Unit tests of the pyc stage. Expected values come from the oracle
// (CPython 3.10.13); the Python expression that produced each is next to it.
#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "marshal/value.h"
#include "pyc/pyc.h"

namespace fs = std::filesystem;
using namespace xpyc::pyc;

namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char c : bytes) {
    out.push_back(kDigits[(static_cast<uint8_t>(c) >> 4) & 0xF]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 0xF]);
  }
  return out;
}

// A fresh directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "xpyc-pyc-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string operator/(std::string_view name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void WriteFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::set<std::string> Listing(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

mode_t CurrentUmask() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return mask;
}

}  // namespace

TEST_SUITE("pyc") {

TEST_CASE("magic number constants") {
  // importlib.util.MAGIC_NUMBER.hex() -> '6f0d0d0a'
  CHECK(Hex(std::string(kMagicBytes.begin(), kMagicBytes.end())) == "6f0d0d0a");
  // importlib._bootstrap_external._RAW_MAGIC_NUMBER -> 168627567
  CHECK(kRawMagic == 168627567u);
  CHECK(kMagicNumber == 3439);
}

TEST_CASE("flags word per invalidation mode") {
  CHECK(FlagsFor(InvalidationMode::Timestamp) == 0);
  CHECK(FlagsFor(InvalidationMode::CheckedHash) == 3);
  CHECK(FlagsFor(InvalidationMode::UncheckedHash) == 1);
  // py_compile.PycInvalidationMode values
  CHECK(static_cast<int>(InvalidationMode::Timestamp) == 1);
  CHECK(static_cast<int>(InvalidationMode::CheckedHash) == 2);
  CHECK(static_cast<int>(InvalidationMode::UncheckedHash) == 3);
}

TEST_CASE("timestamp header bytes") {
  // bytes(_code_to_timestamp_pyc(compile('','','exec'), 1700000000.7, 2**32+17)[:16]).hex()
  const Header header = TimestampHeader(1700000000, 700000000, (uint64_t{1} << 32) + 17);
  CHECK(Hex(BuildHeader(header)) == "6f0d0d0a0000000000f1536511000000");
}

TEST_CASE("timestamp mtime follows int(float st_mtime)") {
  // _pack_uint32(s + n*1e-9).hex() for each (s, n)
  CHECK(Hex(BuildHeader(TimestampHeader(1700000000, 999999999, 0))).substr(16, 8) == "01f15365");
  CHECK(Hex(BuildHeader(TimestampHeader(1700000000, 999999900, 0))).substr(16, 8) == "01f15365");
  CHECK(Hex(BuildHeader(TimestampHeader(1700000000, 500000000, 0))).substr(16, 8) == "00f15365");
  CHECK(Hex(BuildHeader(TimestampHeader(-2, 500000000, 0))).substr(16, 8) == "ffffffff");
  CHECK(Hex(BuildHeader(TimestampHeader(-1, 0, 0))).substr(16, 8) == "ffffffff");
  CHECK(Hex(BuildHeader(TimestampHeader(4294967301, 0, 0))).substr(16, 8) == "05000000");
  CHECK(Hex(BuildHeader(TimestampHeader(0, 999999999, 0))).substr(16, 8) == "00000000");
}

TEST_CASE("timestamp header from stat") {
  struct stat st {};
  st.st_mtim.tv_sec = 1700000000;
  st.st_mtim.tv_nsec = 999999999;
  st.st_size = 4321;
  const Header header = TimestampHeaderFromStat(st);
  CHECK(header.mtime == 1700000001u);  // int(1700000000 + 999999999 * 1e-9)
  CHECK(header.source_size == 4321u);
}

TEST_CASE("a whole pyc is the header then the marshal data") {
  xpyc::marshal::Heap heap;
  // bytes(_code_to_hash_pyc(None, source_hash(b'x=1\n'), True)).hex(): marshal.dumps(None) is b'N'
  CHECK(Hex(AssemblePyc(HashHeader("x=1\n", true), heap.None())) ==
        "6f0d0d0a03000000a5895a49575becf94e");
}

TEST_CASE("compileall freshness test") {
  TempDir dir;
  const std::string source = dir / "m.py";
  WriteFile(source, "x = 1\n");
  struct stat st;
  REQUIRE(::stat(source.c_str(), &st) == 0);
  const std::string fresh = dir / "fresh.pyc";
  WriteFile(fresh, BuildHeader(TimestampHeader(st.st_mtim.tv_sec, st.st_mtim.tv_nsec, 999)) + "N");
  const std::string hashed = dir / "hashed.pyc";
  WriteFile(hashed, BuildHeader(HashHeader("x = 1\n", false)) + "N");
  const std::string stale = dir / "stale.pyc";
  WriteFile(stale, BuildHeader(TimestampHeader(st.st_mtim.tv_sec - 5, 0, 6)) + "N");
  const std::string truncated = dir / "short.pyc";
  WriteFile(truncated, BuildHeader(TimestampHeader(st.st_mtim.tv_sec, st.st_mtim.tv_nsec, 6)).substr(0, 10));

  // The size is not part of compileall's comparison.
  CHECK(CompileallIsFresh(source, std::vector<std::string>{fresh}));
  CHECK(CompileallIsFresh(source, std::vector<std::string>{fresh, fresh}));
  CHECK_FALSE(CompileallIsFresh(source, std::vector<std::string>{hashed}));
  CHECK_FALSE(CompileallIsFresh(source, std::vector<std::string>{stale}));
  CHECK_FALSE(CompileallIsFresh(source, std::vector<std::string>{truncated}));
  CHECK_FALSE(CompileallIsFresh(source, std::vector<std::string>{fresh, dir / "absent.pyc"}));
  CHECK_FALSE(CompileallIsFresh(dir / "absent.py", std::vector<std::string>{fresh}));
}

TEST_CASE("hash header bytes") {
  // bytes(_code_to_hash_pyc(compile('','','exec'), source_hash(b'x=1\n'), True)[:16]).hex()
  CHECK(Hex(BuildHeader(HashHeader("x=1\n", true))) == "6f0d0d0a03000000a5895a49575becf9");
  // ... with checked=False
  CHECK(Hex(BuildHeader(HashHeader("x=1\n", false))) == "6f0d0d0a01000000a5895a49575becf9");
}

TEST_CASE("header parse round-trips every mode") {
  const Header headers[] = {
      TimestampHeader(1700000000, 0, 12345),
      HashHeader("import os\n", true),
      HashHeader("import os\n", false),
  };
  for (const Header& original : headers) {
    std::string pyc = BuildHeader(original) + "\xe3rest";
    std::string error;
    const std::optional<Header> parsed = ParseHeader(pyc, error);
    REQUIRE(parsed.has_value());
    CHECK(parsed->mode == original.mode);
    CHECK(parsed->mtime == original.mtime);
    CHECK(parsed->source_size == original.source_size);
    CHECK(parsed->hash == original.hash);
    CHECK(error.empty());
  }
}

TEST_CASE("header parse rejects bad input") {
  std::string error;
  CHECK_FALSE(ParseHeader("", error).has_value());
  CHECK_FALSE(error.empty());
  error.clear();
  CHECK_FALSE(ParseHeader(std::string_view("\x6f\x0d\x0d\x0a\0\0\0\0", 8), error).has_value());
  CHECK_FALSE(error.empty());

  std::string wrong_magic = BuildHeader(TimestampHeader(0, 0, 0));
  wrong_magic[0] = 0x55;  // 3.9's magic 3425 starts with 0x61; any other is wrong too
  error.clear();
  CHECK_FALSE(ParseHeader(wrong_magic, error).has_value());
  CHECK(error.find("magic") != std::string::npos);

  // importlib's _classify_pyc: flags & ~0b11 is "invalid flags"
  std::string bad_flags = BuildHeader(TimestampHeader(0, 0, 0));
  bad_flags[4] = 4;
  error.clear();
  CHECK_FALSE(ParseHeader(bad_flags, error).has_value());
  CHECK(error == "invalid flags 4 in pyc header");
  bad_flags[4] = 0;
  bad_flags[7] = static_cast<char>(0x80);
  CHECK_FALSE(ParseHeader(bad_flags, error).has_value());

  // ... while 0b10 alone (check_source without hash_based) is a timestamp pyc
  std::string check_only = BuildHeader(TimestampHeader(7, 0, 9));
  check_only[4] = 2;
  const std::optional<Header> parsed = ParseHeader(check_only, error);
  REQUIRE(parsed.has_value());
  CHECK(parsed->mode == InvalidationMode::Timestamp);
  CHECK(parsed->mtime == 7u);
  CHECK(parsed->source_size == 9u);
}

TEST_CASE("source hash matches importlib.util.source_hash") {
  // importlib.util.source_hash(DATA).hex() for each DATA
  CHECK(SourceHashHex(ComputeSourceHash("")) == "8cc0cd2525e7fd27");
  CHECK(SourceHashHex(ComputeSourceHash("a")) == "3f75554bda1e742f");
  CHECK(SourceHashHex(ComputeSourceHash("abcdefg")) == "dc92dfc5df5381a0");
  CHECK(SourceHashHex(ComputeSourceHash("abcdefgh")) == "f3dc82f1450cade2");
  CHECK(SourceHashHex(ComputeSourceHash("abcdefghi")) == "b8b2b03f109dc4e8");
  CHECK(SourceHashHex(ComputeSourceHash("0123456789abcdef")) == "31aba9cca7868f6a");
  CHECK(SourceHashHex(ComputeSourceHash("print(\"hello, world\")\n")) == "2d111ea35c83dc0d");
  // importlib.util.source_hash(bytes(range(256))).hex()
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
  CHECK(SourceHashHex(ComputeSourceHash(all_bytes)) == "4c2188c1c09a54c0");
  // importlib.util.source_hash(b'\xff' * 1000).hex()
  CHECK(SourceHashHex(ComputeSourceHash(std::string(1000, '\xff'))) == "8dc1327942456cc6");
}

TEST_CASE("cache_from_source") {
  // importlib.util.cache_from_source(PATH, optimization=OPT) for OPT in '', 1, 2
  struct Case {
    const char* source;
    const char* level0;
    const char* level1;
    const char* level2;
  };
  const Case cases[] = {
      {"foo.py", "__pycache__/foo.cpython-310.pyc", "__pycache__/foo.cpython-310.opt-1.pyc",
       "__pycache__/foo.cpython-310.opt-2.pyc"},
      {"a/b/foo.py", "a/b/__pycache__/foo.cpython-310.pyc",
       "a/b/__pycache__/foo.cpython-310.opt-1.pyc", "a/b/__pycache__/foo.cpython-310.opt-2.pyc"},
      {"/abs/foo.py", "/abs/__pycache__/foo.cpython-310.pyc",
       "/abs/__pycache__/foo.cpython-310.opt-1.pyc", "/abs/__pycache__/foo.cpython-310.opt-2.pyc"},
      {"foo", "__pycache__/foocpython-310.pyc", "__pycache__/foocpython-310.opt-1.pyc",
       "__pycache__/foocpython-310.opt-2.pyc"},
      {"a/foo", "a/__pycache__/foocpython-310.pyc", "a/__pycache__/foocpython-310.opt-1.pyc",
       "a/__pycache__/foocpython-310.opt-2.pyc"},
      {"foo.bar.py", "__pycache__/foo.bar.cpython-310.pyc",
       "__pycache__/foo.bar.cpython-310.opt-1.pyc", "__pycache__/foo.bar.cpython-310.opt-2.pyc"},
      {"a/.hidden", "a/__pycache__/hidden.cpython-310.pyc",
       "a/__pycache__/hidden.cpython-310.opt-1.pyc", "a/__pycache__/hidden.cpython-310.opt-2.pyc"},
      {".hidden.py", "__pycache__/.hidden.cpython-310.pyc",
       "__pycache__/.hidden.cpython-310.opt-1.pyc", "__pycache__/.hidden.cpython-310.opt-2.pyc"},
      {"a/b.py/", "a/b.py/__pycache__/cpython-310.pyc", "a/b.py/__pycache__/cpython-310.opt-1.pyc",
       "a/b.py/__pycache__/cpython-310.opt-2.pyc"},
      {"a//b.py", "a/__pycache__/b.cpython-310.pyc", "a/__pycache__/b.cpython-310.opt-1.pyc",
       "a/__pycache__/b.cpython-310.opt-2.pyc"},
      {"a///b.py", "a/__pycache__/b.cpython-310.pyc", "a/__pycache__/b.cpython-310.opt-1.pyc",
       "a/__pycache__/b.cpython-310.opt-2.pyc"},
      {"/foo.py", "__pycache__/foo.cpython-310.pyc", "__pycache__/foo.cpython-310.opt-1.pyc",
       "__pycache__/foo.cpython-310.opt-2.pyc"},
      {"foo.pyw", "__pycache__/foo.cpython-310.pyc", "__pycache__/foo.cpython-310.opt-1.pyc",
       "__pycache__/foo.cpython-310.opt-2.pyc"},
      {"a.b/c", "a.b/__pycache__/ccpython-310.pyc", "a.b/__pycache__/ccpython-310.opt-1.pyc",
       "a.b/__pycache__/ccpython-310.opt-2.pyc"},
      {"./x.py", "./__pycache__/x.cpython-310.pyc", "./__pycache__/x.cpython-310.opt-1.pyc",
       "./__pycache__/x.cpython-310.opt-2.pyc"},
      {"../x.py", "../__pycache__/x.cpython-310.pyc", "../__pycache__/x.cpython-310.opt-1.pyc",
       "../__pycache__/x.cpython-310.opt-2.pyc"},
      {"x.tar.gz", "__pycache__/x.tar.cpython-310.pyc", "__pycache__/x.tar.cpython-310.opt-1.pyc",
       "__pycache__/x.tar.cpython-310.opt-2.pyc"},
      {"a/b/", "a/b/__pycache__/cpython-310.pyc", "a/b/__pycache__/cpython-310.opt-1.pyc",
       "a/b/__pycache__/cpython-310.opt-2.pyc"},
      {"", "__pycache__/cpython-310.pyc", "__pycache__/cpython-310.opt-1.pyc",
       "__pycache__/cpython-310.opt-2.pyc"},
      {".", "__pycache__/.cpython-310.pyc", "__pycache__/.cpython-310.opt-1.pyc",
       "__pycache__/.cpython-310.opt-2.pyc"},
      {"..", "__pycache__/..cpython-310.pyc", "__pycache__/..cpython-310.opt-1.pyc",
       "__pycache__/..cpython-310.opt-2.pyc"},
      {"/", "__pycache__/cpython-310.pyc", "__pycache__/cpython-310.opt-1.pyc",
       "__pycache__/cpython-310.opt-2.pyc"},
      {"a.", "__pycache__/a.cpython-310.pyc", "__pycache__/a.cpython-310.opt-1.pyc",
       "__pycache__/a.cpython-310.opt-2.pyc"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.source);
    CHECK(CacheFromSource(c.source, 0) == c.level0);
    CHECK(CacheFromSource(c.source, 1) == c.level1);
    CHECK(CacheFromSource(c.source, 2) == c.level2);
    CHECK(CacheFromSourceTag(c.source, "") == c.level0);
    CHECK(CacheFromSourceTag(c.source, "2") == c.level2);
  }
  // cache_from_source('foo.py', optimization='-1') raises ValueError
  CHECK_FALSE(CacheFromSourceTag("foo.py", "-1").has_value());
  CHECK_FALSE(CacheFromSourceTag("foo.py", "a.b").has_value());
  // cache_from_source('foo.py', optimization='x7')
  CHECK(CacheFromSourceTag("foo.py", "x7") == "__pycache__/foo.cpython-310.opt-x7.pyc");
}

TEST_CASE("legacy -b path") {
  // compileall's legacy cfile: fullname + 'c'
  CHECK(LegacyCachePath("a/b/foo.py") == "a/b/foo.pyc");
  CHECK(LegacyCachePath("foo") == "fooc");
}

TEST_CASE("source_from_cache") {
  // importlib.util.source_from_cache(PATH)
  CHECK(SourceFromCache("__pycache__/foo.cpython-310.pyc") == "foo.py");
  CHECK(SourceFromCache("a/__pycache__/foo.cpython-310.opt-1.pyc") == "a/foo.py");
  CHECK(SourceFromCache("a/__pycache__/foo.cpython-310.opt-x.pyc") == "a/foo.py");
  CHECK(SourceFromCache("/__pycache__/x.y.z") == "x.py");
  // ... each of these raises ValueError
  CHECK_FALSE(SourceFromCache("a/__pycache__/foo.cpython-310.optx.pyc").has_value());
  CHECK_FALSE(SourceFromCache("a/__pycache__/foo.pyc").has_value());
  CHECK_FALSE(SourceFromCache("a/b/foo.cpython-310.pyc").has_value());
  CHECK_FALSE(SourceFromCache("a/__pycache__/foo.bar.cpython-310.pyc").has_value());
  CHECK_FALSE(SourceFromCache("a/__pycache__/foo.a.b.c.d").has_value());
  CHECK_FALSE(SourceFromCache("a/__pycache__/x.cpython-310.opt-.pyc").has_value());
  CHECK_FALSE(SourceFromCache("x.cpython-310.pyc").has_value());
}

TEST_CASE("path repr matches Python's repr(os.fsdecode(raw))") {
  CHECK(PathRepr("a/b.pyc") == "'a/b.pyc'");
  CHECK(PathRepr("it's") == "\"it's\"");
  CHECK(PathRepr("say \"hi\"") == "'say \"hi\"'");
  CHECK(PathRepr("both '\"") == "'both \\'\"'");
  CHECK(PathRepr("back\\slash") == "'back\\\\slash'");
  CHECK(PathRepr("tab\there\nnl") == "'tab\\there\\nnl'");
  CHECK(PathRepr("caf\xc3\xa9") == "'caf\xc3\xa9'");
  CHECK(PathRepr("bad\xff" "byte") == "'bad\\udcffbyte'");
  CHECK(PathRepr("\xe2\x82") == "'\\udce2\\udc82'");
  CHECK(PathRepr("ctl\x01\x7f") == "'ctl\\x01\\x7f'");
  CHECK(PathRepr("nb\xc2\xa0sp") == "'nb\\xa0sp'");
  CHECK(PathRepr("emoji\xf0\x9f\x98\x80") == "'emoji\xf0\x9f\x98\x80'");
  CHECK(PathRepr("surr\xed\xa0\x80") == "'surr\\udced\\udca0\\udc80'");
  CHECK(PathRepr("over\xc0\xaf") == "'over\\udcc0\\udcaf'");
  CHECK(PathRepr("zw\xe2\x80\x8bsp") == "'zw\\u200bsp'");
  CHECK(PathRepr("ls\xe2\x80\xa8x") == "'ls\\u2028x'");
  CHECK(PathRepr("cjk\xe4\xb8\xad") == "'cjk\xe4\xb8\xad'");
  CHECK(PathRepr("comb\xcc\x81") == "'comb\xcc\x81'");
  CHECK(PathRepr("pua\xee\x80\x80") == "'pua\\ue000'");
  CHECK(PathRepr("u\xf0\xb0\x80\x80") == "'u\xf0\xb0\x80\x80'");
}

TEST_CASE("OSError text and subclass") {
  // os.replace('nonexist', 'b') -> FileNotFoundError: [Errno 2] ... 'nonexist' -> 'b'
  CHECK(OsError(ENOENT, "nonexist", "b").Describe() ==
        "FileNotFoundError: [Errno 2] No such file or directory: 'nonexist' -> 'b'");
  // open('/x/y.pyc', 'wb')
  CHECK(OsError(ENOENT, "/x/y.pyc").message == "[Errno 2] No such file or directory: '/x/y.pyc'");
  CHECK(OsErrorWithoutName(ENOSPC).Describe() == "OSError: [Errno 28] No space left on device");
  // type(OSError(errno.X, 'x')).__name__
  CHECK(ExceptionTypeFor(EPERM) == "PermissionError");
  CHECK(ExceptionTypeFor(EACCES) == "PermissionError");
  CHECK(ExceptionTypeFor(EROFS) == "OSError");
  CHECK(ExceptionTypeFor(ELOOP) == "OSError");
  CHECK(ExceptionTypeFor(EAGAIN) == "BlockingIOError");
  CHECK(ExceptionTypeFor(ETIMEDOUT) == "TimeoutError");
}

TEST_CASE("calc_mode") {
  TempDir dir;
  const std::string source = dir / "m.py";
  WriteFile(source, "x = 1\n");
  REQUIRE(::chmod(source.c_str(), 0444) == 0);
  // _calc_mode: st_mode | 0o200
  CHECK(CalcMode(source) == (S_IFREG | 0644));
  CHECK(CalcMode(dir / "missing.py") == 0666);
}

TEST_CASE("atomic write: new file, mode and content") {
  TempDir dir;
  const std::string target = dir / "out.pyc";
  const std::string data("\x6f\x0d\x0d\x0a payload \0 with nul", 24);
  const std::optional<Error> error = AtomicWrite(target, data, S_IFREG | 0751);
  REQUIRE_FALSE(error.has_value());
  CHECK(ReadFile(target) == data);
  struct stat st;
  REQUIRE(::stat(target.c_str(), &st) == 0);
  // mode & 0o666, then the umask
  CHECK((st.st_mode & 07777) == (0640 & ~CurrentUmask()));
  CHECK(Listing(dir.path()) == std::set<std::string>{"out.pyc"});
}

TEST_CASE("atomic write replaces an existing file") {
  TempDir dir;
  const std::string target = dir / "out.pyc";
  WriteFile(target, std::string(10000, 'o'));
  struct stat before;
  REQUIRE(::stat(target.c_str(), &before) == 0);
  REQUIRE_FALSE(AtomicWrite(target, "short", 0644).has_value());
  CHECK(ReadFile(target) == "short");
  struct stat after;
  REQUIRE(::stat(target.c_str(), &after) == 0);
  CHECK(after.st_ino != before.st_ino);  // renamed over, not rewritten in place
  CHECK(Listing(dir.path()) == std::set<std::string>{"out.pyc"});
}

TEST_CASE("atomic write into a missing folder fails cleanly") {
  TempDir dir;
  const std::string target = dir / "missing/out.pyc";
  const std::optional<Error> error = AtomicWrite(target, "data", 0644);
  REQUIRE(error.has_value());
  CHECK(error->err == ENOENT);
  CHECK(error->type == "FileNotFoundError");
  CHECK(error->message.starts_with("[Errno 2] No such file or directory: '" + target + "."));
  CHECK(Listing(dir.path()).empty());
}

TEST_CASE("atomic write under a file used as a folder fails cleanly") {
  TempDir dir;
  WriteFile(dir / "plain", "x");
  const std::optional<Error> error = AtomicWrite(dir / "plain/out.pyc", "data", 0644);
  REQUIRE(error.has_value());
  CHECK(error->err == ENOTDIR);
  CHECK(error->type == "NotADirectoryError");
  CHECK(error->Describe().starts_with("NotADirectoryError: [Errno 20] Not a directory: '"));
  CHECK(Listing(dir.path()) == std::set<std::string>{"plain"});
}

TEST_CASE("atomic write onto a directory removes its temporary file") {
  TempDir dir;
  const std::string target = dir / "out.pyc";
  REQUIRE(fs::create_directory(target));
  const std::optional<Error> error = AtomicWrite(target, "data", 0644);
  REQUIRE(error.has_value());
  CHECK(error->err == EISDIR);
  CHECK(error->type == "IsADirectoryError");
  CHECK(error->message.find(" -> '" + target + "'") != std::string::npos);
  CHECK(Listing(dir.path()) == std::set<std::string>{"out.pyc"});
  CHECK(fs::is_directory(target));
}

// Runs AtomicWrite in a child process whose file size limit is below the
// data size, so write() fails part way (EFBIG) or, with SIGXFSZ at its default
// action, the process is killed in the middle of writing. Returns the wait status.
int WriteInLimitedChild(const std::string& target, size_t size, bool killed_mid_write) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    struct rlimit no_core = {0, 0};
    ::setrlimit(RLIMIT_CORE, &no_core);
    struct rlimit small = {4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &small);
    std::signal(SIGXFSZ, killed_mid_write ? SIG_DFL : SIG_IGN);
    const std::optional<Error> error = AtomicWrite(target, std::string(size, 'n'), 0644);
    ::_exit(error.has_value() && error->err == EFBIG ? 42 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

TEST_CASE("atomic write failing part way leaves the target and no temporary file") {
  TempDir dir;
  const std::string target = dir / "out.pyc";
  WriteFile(target, "old");
  const int status = WriteInLimitedChild(target, 100000, false);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42);  // the error came back as EFBIG
  CHECK(ReadFile(target) == "old");
  CHECK(Listing(dir.path()) == std::set<std::string>{"out.pyc"});
}

TEST_CASE("a process killed in the middle of the write never leaves a partial pyc") {
  TempDir dir;
  const std::string target = dir / "out.pyc";
  WriteFile(target, "old");
  const int status = WriteInLimitedChild(target, 100000, true);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGXFSZ);
  CHECK(ReadFile(target) == "old");  // only the temporary file was partial
  CHECK(Listing(dir.path()).size() == 2);
}

TEST_CASE("atomic write from many threads") {
  TempDir dir;
  const std::string target = dir / "shared.pyc";
  constexpr int kThreads = 8;
  constexpr int kWritesPerThread = 40;
  std::vector<int> failures(kThreads, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        const std::string payload(4096, static_cast<char>('a' + t));
        for (int i = 0; i < kWritesPerThread; ++i) {
          if (AtomicWrite(target, payload, 0644).has_value()) ++failures[t];
          if (AtomicWrite(dir / ("own-" + std::to_string(t) + "-" + std::to_string(i) + ".pyc"), payload, 0644).has_value()) ++failures[t];
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t) CHECK(failures[t] == 0);
  const std::string final_content = ReadFile(target);
  REQUIRE(final_content.size() == 4096);
  CHECK(final_content == std::string(4096, final_content[0]));
  CHECK(Listing(dir.path()).size() == 1 + kThreads * kWritesPerThread);
}

TEST_CASE("py_compile refuses symlinks and non-regular targets") {
  TempDir dir;
  const std::string regular = dir / "regular.pyc";
  WriteFile(regular, "x");
  CHECK_FALSE(CheckTarget(regular).has_value());
  CHECK_FALSE(CheckTarget(dir / "absent.pyc").has_value());

  const std::string link = dir / "link.pyc";
  REQUIRE(::symlink(regular.c_str(), link.c_str()) == 0);
  std::optional<Error> error = CheckTarget(link);
  REQUIRE(error.has_value());
  CHECK(error->type == "FileExistsError");
  // str(FileExistsError) raised by py_compile.compile(..., cfile=LINK)
  CHECK(error->message == link +
                              " is a symlink and will be changed into a regular file if "
                              "import writes a byte-compiled file to it");

  const std::string dangling = dir / "dangling.pyc";
  REQUIRE(::symlink((dir / "nowhere").c_str(), dangling.c_str()) == 0);
  CHECK(CheckTarget(dangling).has_value());

  const std::string folder = dir / "folder.pyc";
  REQUIRE(fs::create_directory(folder));
  error = CheckTarget(folder);
  REQUIRE(error.has_value());
  CHECK(error->Describe() == "FileExistsError: " + folder +
                                 " is a non-regular file and will be changed into a regular "
                                 "one if import writes a byte-compiled file to it");
}

TEST_CASE("makedirs of the cache folder") {
  TempDir dir;
  // Nested folders are created; an existing folder is fine.
  const std::string cfile = dir / "pkg/sub/__pycache__/m.cpython-310.pyc";
  CHECK_FALSE(MakeCacheDirs(cfile).has_value());
  CHECK(fs::is_directory(dir / "pkg/sub/__pycache__"));
  CHECK_FALSE(MakeCacheDirs(cfile).has_value());
  CHECK_FALSE(MakeCacheDirs("m.pyc").has_value());  // no folder part

  // A file named __pycache__ is FileExistsError, which py_compile swallows.
  WriteFile(dir / "__pycache__", "");
  CHECK_FALSE(MakeCacheDirs(dir / "__pycache__/m.cpython-310.pyc").has_value());

  // os.makedirs('F/__pycache__') with F a file
  WriteFile(dir / "file", "");
  std::optional<Error> error = MakeCacheDirs(dir / "file/__pycache__/m.pyc");
  REQUIRE(error.has_value());
  CHECK(error->Describe() ==
        "NotADirectoryError: [Errno 20] Not a directory: '" + (dir / "file/__pycache__") + "'");
  // os.makedirs('F/x/__pycache__'): the failing mkdir is F/x
  error = MakeCacheDirs(dir / "file/x/__pycache__/m.pyc");
  REQUIRE(error.has_value());
  CHECK(error->message == "[Errno 20] Not a directory: '" + (dir / "file/x") + "'");
}

}  // TEST_SUITE
