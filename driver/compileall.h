#pragma once
// The library API: compileall.compile_dir / compile_file / compile_path and
// py_compile.compile of CPython 3.10, with the same parameters, results and
// messages. Paths are byte strings (POSIX); messages are what Python prints.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/compile_source.h"
#include "pyc/pyc.h"

namespace re2 {
class RE2;
}

namespace xpyc::driver {

// Where every message goes. The default writes them exactly as compileall
// prints them (stdout for its print() calls, stderr for warnings).
enum class MessageKind : uint8_t {
  Listing,           // "Listing '...'..."
  CantList,          // "Can't list '...'"
  Compiling,         // "Compiling '...'..."
  CompileFailed,     // "*** ..." block for a compile error or an OSError
  Warning,           // a compile-time warning (stderr)
  SkippingCurdir,    // "Skipping current directory"
  ListReadError,     // "Error reading file list ..."
  Interrupted,       // "\n[interrupted]"
};

struct Message {
  MessageKind kind;
  bool to_stderr = false;
  std::string path;  // the file or directory the message is about, if any
  std::string text;  // the exact bytes to write, newline included
};

class MessageSink {
 public:
  virtual ~MessageSink() = default;
  virtual void Emit(const Message& message) = 0;
};

// Writes to stdout/stderr (buffered; flushed by Flush and on destruction).
class StdStreamSink final : public MessageSink {
 public:
  StdStreamSink() = default;
  StdStreamSink(const StdStreamSink&) = delete;
  StdStreamSink& operator=(const StdStreamSink&) = delete;
  ~StdStreamSink() override;
  void Emit(const Message& message) override;
  void Flush();
};

// Collects messages in memory (for tests and embedders).
class CollectingSink final : public MessageSink {
 public:
  void Emit(const Message& message) override { messages.push_back(message); }
  std::string Stdout() const;
  std::string Stderr() const;
  std::vector<Message> messages;
};

// Every parameter of compileall.compile_dir / compile_file in 3.10.
struct CompileOptions {
  std::optional<int64_t> maxlevels;  // nullopt: sys.getrecursionlimit() (1000)
  std::optional<std::string> ddir;
  bool force = false;
  // Searched in the full path as Python's str (SearchPath). A Python `re`
  // pattern becomes one with CompilePythonRegex.
  std::shared_ptr<const re2::RE2> rx;
  int quiet = 0;                       // 0 everything, 1 errors only, 2 nothing
  bool legacy = false;
  std::vector<int64_t> optimize = {-1};  // levels; deduplicated and sorted
  int64_t workers = 1;                   // 0: every core; < 0 is an error
  std::optional<pyc::InvalidationMode> invalidation_mode;  // nullopt: from SOURCE_DATE_EPOCH
  std::optional<std::string> stripdir;
  std::optional<std::string> prependdir;
  std::optional<std::string> limit_sl_dest;
  bool hardlink_dupes = false;
  // `-x ''`: compileall then hands the empty str itself to compile_file,
  // which fails with AttributeError on the first file it is given.
  bool rx_is_empty_string = false;
};

// An exception compileall lets escape (ValueError for inconsistent arguments,
// TypeError, RuntimeError for a symlink loop under -e): Python would print a
// traceback and exit 1. Library functions throw it; the CLI prints its last
// line, "CLASS: MESSAGE".
class UncaughtPythonError : public std::exception {
 public:
  UncaughtPythonError(std::string class_name, std::string message)
      : class_name_(std::move(class_name)), message_(std::move(message)) {}
  const std::string& class_name() const { return class_name_; }
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string class_name_;
  std::string message_;
};

// Set (e.g. from a SIGINT handler) to stop between files; the functions then
// return false after the current file and leave no partial pyc behind.
std::atomic<bool>& InterruptFlag();
class Interrupted : public std::exception {
 public:
  const char* what() const noexcept override { return "interrupted"; }
};

// A Python `re` pattern (compileall's -x) as an RE2 matching the same paths:
// Unicode \d \w \s, \Z, \uXXXX, {,n}, inline flags and the other spellings
// RE2 lacks are rewritten. `failure` says why there is no `regex`:
// PythonError when re.compile itself would raise re.error (`message` is its
// text), Unsupported when RE2 cannot express the pattern (backreferences,
// lookaround, Unicode \b, ...; `message` names the construct).
struct PythonRegex {
  enum class Failure : uint8_t { None, PythonError, Unsupported };
  std::shared_ptr<const re2::RE2> regex;
  Failure failure = Failure::None;
  std::string message;
};
PythonRegex CompilePythonRegex(std::string_view pattern);
// rx.search(path) with `path` (bytes) decoded as os.fsdecode does.
bool SearchPath(const re2::RE2& regex, std::string_view path);

bool CompileDir(const std::string& dir, const CompileOptions& options, MessageSink& sink);
bool CompileFile(const std::string& fullname, const CompileOptions& options, MessageSink& sink);

struct CompilePathOptions {
  bool skip_curdir = true;
  int64_t maxlevels = 0;
  bool force = false;
  int quiet = 0;
  bool legacy = false;
  int64_t optimize = -1;
  std::optional<pyc::InvalidationMode> invalidation_mode;
};
// `sys_path` is the search path to walk (see DefaultSysPath).
bool CompilePath(const std::vector<std::string>& sys_path, const CompilePathOptions& options,
                 MessageSink& sink);

// sys.path of `python3.10 -m compileall` on the target: the current
// directory, $PYTHONPATH, the standard library under $PYTHONHOME (or the
// build-time prefix), lib-dynload and the site-packages directories.
std::vector<std::string> DefaultSysPath();

// py_compile.compile(file, cfile, dfile, doraise=True, optimize, invalidation_mode).
struct PyCompileRequest {
  std::string file;
  std::optional<std::string> cfile;  // nullopt: the PEP 3147 path
  std::optional<std::string> dfile;
  int64_t optimize = -1;
  std::optional<pyc::InvalidationMode> invalidation_mode;
};
struct PyCompileResult {
  enum class Status : uint8_t { Ok, CompileError, OsError };
  Status status = Status::Ok;
  std::string cfile;              // Ok: the pyc written
  std::string message;            // CompileError: PyCompileError.msg
  bool unsupported = false;       // CompileError raised by xpyc itself, not CPython
  std::string written;            // Ok: the pyc bytes written to `cfile`
  pyc::Error os_error;            // OsError
  std::vector<Message> warnings;  // to be emitted before anything else
};
PyCompileResult PyCompile(const PyCompileRequest& request);

// --- pieces exposed for tests ---

// Replaces CompileSource for every compilation the driver runs (tests only;
// nullptr restores the real one). Not for use while compilations run.
using CompileFunction = CompileOutcome (*)(std::string_view source_bytes, std::string_view dfile,
                                           int optimize);
void SetCompilerForTesting(CompileFunction compiler);

// The dfile compile_file derives from ddir / stripdir / prependdir.
std::optional<std::string> DestinationFile(const std::string& fullname,
                                           const std::optional<std::string>& ddir,
                                           const std::optional<std::string>& stripdir,
                                           const std::optional<std::string>& prependdir);
// os.path.join for POSIX paths.
std::string PathJoin(const std::vector<std::string>& parts);
// traceback.format_exception_only(SyntaxError, e) as py_compile quotes it.
std::string FormatSyntaxError(const CompileError& error);
// PyCompileError(...).msg for an error compile() raised on `file`.
std::string PyCompileErrorMessage(const CompileError& error, std::string_view file);
// msg.encode('utf-8', 'backslashreplace').decode(): undecodable bytes of
// surrogateescaped names become "\udcXX".
std::string BackslashReplaceSurrogates(std::string_view text);
// sys.flags.optimize of the target interpreter: what optimization level -1
// stands for. $PYTHONOPTIMIZE as CPython reads it (an integer, or 1 for any
// other non-empty text), else 0.
int64_t InterpreterOptimizeLevel();
// importlib.util.cache_from_source(path) for a resolved level (0, 1, 2, ...),
// honouring sys.pycache_prefix ($PYTHONPYCACHEPREFIX) as the target would.
std::string CachePathFor(const std::string& source_path, int64_t level);
// The invalidation mode py_compile uses when none is given.
pyc::InvalidationMode DefaultInvalidationMode();

}  // namespace xpyc::driver
