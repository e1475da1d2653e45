// py_compile.compile and the messages it produces.
#include <fmt/format.h>

#include "lexer/unicode.h"
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "driver/compile_source.h"
#include "driver/compileall.h"
#include "driver/fs_util.h"
#include "driver/large_stack.h"

namespace xpyc::driver {
namespace {

// str.isspace for the characters that can precede a caret.
bool IsPythonSpace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}

// Writes `cp` back as UTF-8, except that a surrogateescaped byte
// (U+DC80..U+DCFF) becomes that byte again.
void AppendSurrogateEscaped(char32_t cp, std::string& out) {
  if (cp >= 0xDC80 && cp <= 0xDCFF) {
    out.push_back(static_cast<char>(cp - 0xDC00));
  } else {
    lex::unicode::AppendUtf8(out, cp);
  }
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  for (char32_t cp : text) AppendSurrogateEscaped(cp, out);
  return out;
}

// The part of SyntaxError.__str__ that names the file: its basename.
std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// str(SyntaxError): "msg (file, line N)", "msg (file)", "msg (line N)" or msg.
std::string SyntaxErrorStr(const CompileError& error) {
  if (error.filename && error.lineno) {
    return fmt::format("{} ({}, line {})", error.message, BaseName(*error.filename), *error.lineno);
  }
  if (error.filename) return fmt::format("{} ({})", error.message, BaseName(*error.filename));
  if (error.lineno) return fmt::format("{} (line {})", error.message, *error.lineno);
  return error.message;
}

std::string ReplaceAll(std::string text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// warnings.formatwarning, with linecache's line when `filename` is readable.
std::string FormatWarning(const CompileWarning& warning) {
  std::string text = fmt::format("{}:{}: {}: {}\n", warning.filename, warning.lineno,
                                 warning.category, warning.message);
  std::string contents;
  if (warning.lineno > 0 && !fs::ReadFile(warning.filename, contents)) {
    int64_t line = 1;
    size_t start = 0;
    while (line < warning.lineno && start < contents.size()) {
      const size_t nl = contents.find('\n', start);
      if (nl == std::string::npos) {
        start = contents.size();
        break;
      }
      start = nl + 1;
      ++line;
    }
    if (line == warning.lineno && start < contents.size()) {
      size_t end = contents.find('\n', start);
      if (end == std::string::npos) end = contents.size();
      std::u32string decoded = fs::DecodeSurrogateEscape(contents.substr(start, end - start));
      size_t first = 0;
      size_t last = decoded.size();
      while (first < last && IsPythonSpace(decoded[first])) ++first;
      while (last > first && IsPythonSpace(decoded[last - 1])) --last;
      if (last > first) {
        text += "  " + EncodeUtf8(std::u32string_view(decoded).substr(first, last - first)) + "\n";
      }
    }
  }
  return text;
}

// The default warning filters of 3.10: DeprecationWarning is shown only for
// the module "__main__" (warnings derive it from the file name minus ".py").
bool WarningShown(const CompileWarning& warning) {
  if (warning.category == "DeprecationWarning" || warning.category == "PendingDeprecationWarning") {
    std::string_view module = warning.filename;
    if (module.ends_with(".py")) module.remove_suffix(3);
    return warning.category == "DeprecationWarning" && module == "__main__";
  }
  return true;
}

// XPYC_DRIVER_TEST_STUB_CODEGEN=1 (set only by the scenario suite's
// --stub-codegen mode) makes every compilation fail the way it does without a
// code generator, so the driver can be compared with an oracle whose
// compile() is stubbed the same way, whatever the front end can do.
bool DriverTestStubsCodegen() {
  const char* value = std::getenv("XPYC_DRIVER_TEST_STUB_CODEGEN");
  return value != nullptr && std::string_view(value) == "1";
}

// importlib's _path_join: empty parts dropped, then each part's trailing
// slashes stripped, joined with '/'.
std::string ImportlibJoin(const std::vector<std::string>& parts) {
  std::string out;
  bool first = true;
  for (std::string part : parts) {
    if (part.empty()) continue;
    while (!part.empty() && part.back() == '/') part.pop_back();
    if (!first) out += '/';
    out += part;
    first = false;
  }
  return out;
}

CompileFunction& CompilerOverride() {
  static CompileFunction compiler = nullptr;
  return compiler;
}

CompileOutcome PlaceholderOutcome() {
  CompileOutcome outcome;
  outcome.status = CompileOutcome::Status::Unsupported;
  outcome.detail = "code generation is not implemented yet";
  return outcome;
}

}  // namespace

std::string BackslashReplaceSurrogates(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char32_t cp : fs::DecodeSurrogateEscape(text)) {
    if (cp >= 0xDC80 && cp <= 0xDCFF) {
      out += fmt::format("\\u{:04x}", static_cast<uint32_t>(cp));
    } else {
      AppendSurrogateEscaped(cp, out);
    }
  }
  return out;
}

std::string FormatSyntaxError(const CompileError& error) {
  std::string out;
  std::string filename_suffix;
  if (error.lineno) {
    const std::string name = error.filename && !error.filename->empty() ? *error.filename : "<string>";
    out += fmt::format("  File \"{}\", line {}\n", name, *error.lineno);
  } else if (error.filename) {
    filename_suffix = fmt::format(" ({})", *error.filename);
  }
  if (error.text) {
    std::u32string rtext = fs::DecodeSurrogateEscape(*error.text);
    while (!rtext.empty() && rtext.back() == U'\n') rtext.pop_back();
    size_t spaces = 0;
    while (spaces < rtext.size() &&
           (rtext[spaces] == U' ' || rtext[spaces] == U'\n' || rtext[spaces] == U'\f')) {
      ++spaces;
    }
    const std::u32string ltext = rtext.substr(spaces);
    out += "    " + EncodeUtf8(ltext) + "\n";
    if (error.offset) {
      const int64_t offset = *error.offset;
      int64_t end_offset =
          error.end_offset && *error.end_offset != 0 ? *error.end_offset : offset;
      if (offset == end_offset || end_offset == -1) end_offset = offset + 1;
      const int64_t colno = offset - 1 - static_cast<int64_t>(spaces);
      const int64_t end_colno = end_offset - 1 - static_cast<int64_t>(spaces);
      if (colno >= 0) {
        std::string carets = "    ";
        const size_t upto = std::min<size_t>(static_cast<size_t>(colno), ltext.size());
        for (size_t i = 0; i < upto; ++i) {
          if (IsPythonSpace(ltext[i])) {
            AppendSurrogateEscaped(ltext[i], carets);
          } else {
            carets.push_back(' ');
          }
        }
        if (end_colno > colno) carets.append(static_cast<size_t>(end_colno - colno), '^');
        out += carets + "\n";
      }
    }
  }
  const std::string msg = error.message.empty() ? "<no detail available>" : error.message;
  out += fmt::format("{}: {}{}\n", error.class_name, msg, filename_suffix);
  return out;
}

std::string PyCompileErrorMessage(const CompileError& error, std::string_view file) {
  if (error.class_name == "SyntaxError") {
    return ReplaceAll(FormatSyntaxError(error), "File \"<string>\"",
                      fmt::format("File \"{}\"", file));
  }
  const std::string str = error.is_syntax_error_family() ? SyntaxErrorStr(error) : error.message;
  return fmt::format("Sorry: {}: {}", error.class_name, str);
}

void SetCompilerForTesting(CompileFunction compiler) { CompilerOverride() = compiler; }

std::string CachePathFor(const std::string& source_path, int64_t level) {
  const std::string in_pycache = pyc::CacheFromSource(
      source_path, level >= 1 ? static_cast<int>(std::min<int64_t>(level, INT32_MAX)) : 0);
  const char* prefix = std::getenv("PYTHONPYCACHEPREFIX");
  if (prefix == nullptr || *prefix == '\0') return in_pycache;
  // sys.pycache_prefix set: PREFIX/<absolute source dir minus its first '/'>/NAME.
  const size_t slash = source_path.rfind('/');
  std::string head = slash == std::string::npos ? std::string() : source_path.substr(0, slash);
  if (!head.starts_with('/')) head = ImportlibJoin({fs::CurrentDirectory(), head});
  if (head.starts_with('/')) head.erase(0, 1);
  const std::string filename = in_pycache.substr(in_pycache.rfind('/') + 1);
  return ImportlibJoin({prefix, head, filename});
}

int64_t InterpreterOptimizeLevel() {
  const char* text = std::getenv("PYTHONOPTIMIZE");
  if (text == nullptr || *text == '\0') return 0;
  // CPython parses it with strtol: a whole-string integer that fits an int.
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < 0 || value > INT32_MAX) return 1;
  return value;
}

pyc::InvalidationMode DefaultInvalidationMode() {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  return epoch != nullptr && *epoch != '\0' ? pyc::InvalidationMode::CheckedHash
                                            : pyc::InvalidationMode::Timestamp;
}

PyCompileResult PyCompile(const PyCompileRequest& request) {
  PyCompileResult result;
  const auto os_failure = [&](pyc::Error error) {
    result.status = PyCompileResult::Status::OsError;
    result.os_error = std::move(error);
    return result;
  };
  const pyc::InvalidationMode mode = request.invalidation_mode.value_or(DefaultInvalidationMode());
  const int64_t cache_level = request.optimize >= 0 ? request.optimize : InterpreterOptimizeLevel();
  const std::string cfile = request.cfile.value_or(CachePathFor(request.file, cache_level));
  if (auto refusal = pyc::CheckTarget(cfile)) return os_failure(std::move(*refusal));

  fs::FileContents contents;
  if (auto error = fs::ReadFile(request.file, contents)) return os_failure(std::move(*error));
  const std::string_view source = contents.view();

  const std::string& shown = request.dfile ? *request.dfile : request.file;
  if (request.optimize < -1 || request.optimize > 2) {
    result.status = PyCompileResult::Status::CompileError;
    result.message = "Sorry: ValueError: compile(): invalid optimize value";
    return result;
  }
  // The code generator treats every level above 2 as 2, as CPython's does.
  const int64_t effective = request.optimize == -1 ? InterpreterOptimizeLevel() : request.optimize;
  const int level = static_cast<int>(std::min<int64_t>(effective, 2));
  CompileOutcome outcome;
  if (DriverTestStubsCodegen()) {
    outcome = PlaceholderOutcome();
  } else {
    const CompileFunction compiler = CompilerOverride() ? CompilerOverride() : CompileSource;
    // The front end takes the file name as the Python str compile() gets
    // (os.fsdecode: an undecodable byte is a lone surrogate, which co_filename
    // keeps); the messages below print names as bytes again.
    const std::string dfile = fs::FsDecodeToStr(shown);
    // Deep inputs recurse as far as CPython's limits allow: never on a
    // caller's small stack (see large_stack.h).
    RunOnLargeStack([&] { outcome = compiler(source, dfile, level); });
    if (outcome.error.filename) outcome.error.filename = fs::StrToFsEncode(*outcome.error.filename);
    for (CompileWarning& warning : outcome.warnings) warning.filename = fs::StrToFsEncode(warning.filename);
  }
  for (const CompileWarning& warning : outcome.warnings) {
    if (!WarningShown(warning)) continue;
    // sys.stderr writes what it cannot encode with backslashreplace: the
    // lone surrogates of a file name that is not UTF-8 become "\udcXX".
    result.warnings.push_back(Message{MessageKind::Warning, true, request.file,
                                      BackslashReplaceSurrogates(FormatWarning(warning))});
  }
  switch (outcome.status) {
    case CompileOutcome::Status::Ok: break;
    case CompileOutcome::Status::Error:
      result.status = PyCompileResult::Status::CompileError;
      result.message = PyCompileErrorMessage(outcome.error, shown);
      return result;
    case CompileOutcome::Status::Unsupported:
      result.status = PyCompileResult::Status::CompileError;
      result.unsupported = true;
      result.message = fmt::format("xpyc: cannot compile {}: {}", pyc::PathRepr(shown), outcome.detail);
      return result;
  }

  if (auto error = pyc::MakeCacheDirs(cfile)) return os_failure(std::move(*error));
  std::string data;
  data.reserve(pyc::kHeaderSize + outcome.code.size());
  if (mode == pyc::InvalidationMode::Timestamp) {
    struct stat st {};
    if (::stat(request.file.c_str(), &st) != 0) return os_failure(pyc::OsError(errno, request.file));
    pyc::AppendHeader(pyc::TimestampHeader(st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
                                           static_cast<uint64_t>(st.st_size)),
                      data);
  } else {
    pyc::AppendHeader(pyc::HashHeader(source, mode == pyc::InvalidationMode::CheckedHash), data);
  }
  data += outcome.code;
  if (InterruptFlag().load()) throw Interrupted();
  if (auto error = pyc::AtomicWrite(cfile, data, pyc::CalcMode(request.file))) {
    return os_failure(std::move(*error));
  }
  result.cfile = cfile;
  result.written = std::move(data);
  return result;
}

// --- sinks ---

StdStreamSink::~StdStreamSink() { Flush(); }

void StdStreamSink::Emit(const Message& message) {
  std::FILE* stream = message.to_stderr ? stderr : stdout;
  if (message.to_stderr) std::fflush(stdout);
  std::fwrite(message.text.data(), 1, message.text.size(), stream);
}

void StdStreamSink::Flush() {
  std::fflush(stdout);
  std::fflush(stderr);
}

std::string CollectingSink::Stdout() const {
  std::string out;
  for (const Message& m : messages) {
    if (!m.to_stderr) out += m.text;
  }
  return out;
}

std::string CollectingSink::Stderr() const {
  std::string out;
  for (const Message& m : messages) {
    if (m.to_stderr) out += m.text;
  }
  return out;
}

}  // namespace xpyc::driver
