// The command line of `python3.10 -m compileall` and `python3.10 -m py_compile`.
#include <fmt/format.h>
#include <re2/re2.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <csignal>

#include <cstdio>
#include <cstring>

#include "driver/argparse.h"
#include "driver/commands.h"
#include "driver/compileall.h"
#include "driver/fs_util.h"

namespace xpyc::driver {
namespace {

void OnInterrupt(int) { InterruptFlag().store(true); }

void InstallInterruptHandler() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(SIGINT, &action, nullptr);
}

void Write(std::FILE* stream, std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stream);
}

std::vector<std::string> Arguments(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 0; i < argc; ++i) args.emplace_back(argv[i]);
  return args;
}

bool IsStripSpace(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f');
}

// Text-mode lines (universal newlines) of a UTF-8 file list. Throws
// UncaughtPythonError for bytes that are not UTF-8, as Python's decoder would.
std::vector<std::string> TextLines(const std::string& data) {
  for (size_t at = 0; at < data.size(); ++at) {
    const auto byte = static_cast<uint8_t>(data[at]);
    if (byte < 0x80) continue;
    const std::u32string decoded = fs::DecodeSurrogateEscape(data.substr(at, 4));
    if (!decoded.empty() && decoded[0] >= 0xDC80 && decoded[0] <= 0xDCFF) {
      const bool start = byte < 0xC2 || byte > 0xF4;
      throw UncaughtPythonError(
          "UnicodeDecodeError",
          fmt::format("'utf-8' codec can't decode byte 0x{:02x} in position {}: {}", byte, at,
                      start ? "invalid start byte" : "invalid continuation byte"));
    }
  }
  std::vector<std::string> lines;
  std::string line;
  for (size_t at = 0; at < data.size(); ++at) {
    const char c = data[at];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && at + 1 < data.size() && data[at + 1] == '\n') ++at;
      line.push_back('\n');
      lines.push_back(std::move(line));
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

std::string Strip(std::string_view text) {
  while (!text.empty() && IsStripSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsStripSpace(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Python's fate on a KeyboardInterrupt nothing catches: the traceback's last
// line, then death by SIGINT (so the parent sees the signal).
[[noreturn]] void DieOfInterrupt() {
  std::fflush(stdout);
  Write(stderr, "KeyboardInterrupt\n");
  std::signal(SIGINT, SIG_DFL);
  ::raise(SIGINT);
  std::_Exit(130);
}

// Reads all of stdin; false on a read error. Ctrl-C while waiting for input
// ends the process as an uncaught KeyboardInterrupt does.
bool ReadStdin(std::string& out) {
  char buffer[1 << 16];
  while (true) {
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    const int ready = ::poll(&fd, 1, 100);
    if (InterruptFlag().load()) DieOfInterrupt();
    if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
    const ssize_t got = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (got == 0) return true;
    out.append(buffer, static_cast<size_t>(got));
  }
}

struct CompileAllArgs {
  size_t maxlevels, recursion, force, quiet, legacy, ddir, stripdir, prependdir, rx, flist, dests,
      workers, invalidation_mode, opt_levels, limit_sl_dest, hardlink_dupes;
};

cli::ArgSpec Flag(std::string option, std::string dest, cli::ActionKind kind, std::string help) {
  cli::ArgSpec spec;
  spec.option_strings = {std::move(option)};
  spec.dest = std::move(dest);
  spec.kind = kind;
  spec.help = std::move(help);
  return spec;
}

cli::ArgSpec Valued(std::vector<std::string> options, std::string dest, std::string metavar,
                    std::string help, cli::ValueType type = cli::ValueType::String,
                    cli::ActionKind kind = cli::ActionKind::Store) {
  cli::ArgSpec spec;
  spec.option_strings = std::move(options);
  spec.dest = std::move(dest);
  spec.metavar = std::move(metavar);
  spec.help = std::move(help);
  spec.type = type;
  spec.kind = kind;
  return spec;
}

// compileall.main()'s parser, argument for argument.
CompileAllArgs DefineCompileAllArguments(cli::Parser& p) {
  using cli::ActionKind;
  using cli::ValueType;
  CompileAllArgs a{};
  cli::ArgSpec l = Flag("-l", "maxlevels", ActionKind::StoreConst, "don't recurse into subdirectories");
  l.const_value = 0;
  a.maxlevels = p.Add(l);
  a.recursion = p.Add(Valued({"-r"}, "recursion", "",
                             "control the maximum recursion level. if `-l` and `-r` options are "
                             "specified, then `-r` takes precedence.",
                             ValueType::Int));
  a.force = p.Add(Flag("-f", "force", ActionKind::StoreTrue,
                       "force rebuild even if timestamps are up to date"));
  a.quiet = p.Add(Flag("-q", "quiet", ActionKind::Count,
                       "output only error messages; -qq will suppress the error messages as well."));
  a.legacy = p.Add(Flag("-b", "legacy", ActionKind::StoreTrue,
                        "use legacy (pre-PEP3147) compiled file locations"));
  a.ddir = p.Add(Valued({"-d"}, "ddir", "DESTDIR",
                        "directory to prepend to file paths for use in compile-time tracebacks and "
                        "in runtime tracebacks in cases where the source file is unavailable"));
  a.stripdir = p.Add(Valued({"-s"}, "stripdir", "STRIPDIR",
                            "part of path to left-strip from path to source file - for example "
                            "buildroot. `-d` and `-s` options cannot be specified together."));
  a.prependdir = p.Add(Valued({"-p"}, "prependdir", "PREPENDDIR",
                              "path to add as prefix to path to source file - for example / to "
                              "make it absolute when some part is removed by `-s` option. `-d` and "
                              "`-p` options cannot be specified together."));
  a.rx = p.Add(Valued({"-x"}, "rx", "REGEXP",
                      "skip files matching the regular expression; the regexp is searched for in "
                      "the full path of each file considered for compilation"));
  a.flist = p.Add(Valued({"-i"}, "flist", "FILE",
                         "add all the files and directories listed in FILE to the list considered "
                         "for compilation; if \"-\", names are read from stdin"));
  cli::ArgSpec dests;
  dests.dest = "compile_dest";
  dests.metavar = "FILE|DIR";
  dests.help =
      "zero or more file and directory names to compile; if no arguments given, defaults to the "
      "equivalent of -l sys.path";
  a.dests = p.Add(dests);
  a.workers = p.Add(Valued({"-j", "--workers"}, "workers", "", "Run compileall concurrently",
                           ValueType::Int));
  cli::ArgSpec mode = Valued({"--invalidation-mode"}, "invalidation_mode", "",
                             "set .pyc invalidation mode; defaults to \"checked-hash\" if the "
                             "SOURCE_DATE_EPOCH environment variable is set, and \"timestamp\" "
                             "otherwise.");
  mode.choices = {"checked-hash", "timestamp", "unchecked-hash"};
  a.invalidation_mode = p.Add(mode);
  a.opt_levels = p.Add(Valued({"-o"}, "opt_levels", "",
                              "Optimization levels to run compilation with. Default is -1 which "
                              "uses the optimization level of the Python interpreter itself (see "
                              "-O).",
                              ValueType::Int, ActionKind::Append));
  a.limit_sl_dest = p.Add(Valued({"-e"}, "limit_sl_dest", "DIR",
                                 "Ignore symlinks pointing outsite of the DIR"));
  a.hardlink_dupes = p.Add(Flag("--hardlink-dupes", "hardlink_dupes", ActionKind::StoreTrue,
                                "Hardlink duplicated pyc files"));
  return a;
}

std::optional<pyc::InvalidationMode> ModeNamed(const std::optional<std::string>& name) {
  if (!name || name->empty()) return std::nullopt;
  if (*name == "timestamp") return pyc::InvalidationMode::Timestamp;
  if (*name == "checked-hash") return pyc::InvalidationMode::CheckedHash;
  return pyc::InvalidationMode::UncheckedHash;
}

// The body of compileall.main() after argument parsing; returns success.
bool RunCompileAll(const cli::Parser& parser, const cli::ParseResult& parsed,
                   const CompileAllArgs& a, MessageSink& sink, int& exit_status) {
  const auto& v = parsed.values;
  const int quiet = static_cast<int>(std::min<int64_t>(v[a.quiet].count, 2));
  std::vector<std::string> dests = v[a.dests].strings;
  const auto fail_usage = [&](std::string_view message) {
    Write(stderr, parser.FormatError(message, cli::Parser::DefaultWidth()));
    exit_status = 2;
    return false;
  };

  CompileOptions options;
  const std::optional<std::string>& rx = v[a.rx].text;
  if (rx && !rx->empty()) {
    PythonRegex compiled = CompilePythonRegex(*rx);
    switch (compiled.failure) {
      case PythonRegex::Failure::None: break;
      case PythonRegex::Failure::PythonError:  // re.compile() raises it in main()
        throw UncaughtPythonError("re.error", compiled.message);
      case PythonRegex::Failure::Unsupported:
        return fail_usage(fmt::format("argument -x: {} cannot be used: xpyc matches with RE2, "
                                      "which has no {}",
                                      pyc::PathRepr(*rx), compiled.message));
    }
    options.rx = std::move(compiled.regex);
  } else if (rx) {
    options.rx_is_empty_string = true;
  }
  if (v[a.limit_sl_dest].text && !v[a.limit_sl_dest].text->empty()) {
    options.limit_sl_dest = v[a.limit_sl_dest].text;
  }
  std::optional<int64_t> maxlevels = v[a.recursion].number;
  if (!maxlevels) maxlevels = v[a.maxlevels].number;
  std::vector<int64_t> levels = v[a.opt_levels].numbers;
  if (levels.empty()) levels = {-1};
  if (levels.size() == 1 && v[a.hardlink_dupes].flag) {
    return fail_usage(
        "Hardlinking of duplicated bytecode makes sense only for more than one optimization level.");
  }
  if (v[a.ddir].text && (v[a.stripdir].text || v[a.prependdir].text)) {
    return fail_usage("-d cannot be used in combination with -s or -p");
  }
  if (const auto& flist = v[a.flist].text; flist && !flist->empty()) {
    std::string data;
    bool ok = true;
    if (*flist == "-") {
      ok = ReadStdin(data);
    } else {
      ok = !fs::ReadFile(*flist, data);
    }
    if (!ok) {
      if (quiet < 2) {
        sink.Emit(Message{MessageKind::ListReadError, false, *flist,
                          fmt::format("Error reading file list {}\n", *flist)});
      }
      exit_status = 1;
      return false;
    }
    for (const std::string& line : TextLines(data)) dests.push_back(Strip(line));
  }

  options.ddir = v[a.ddir].text;
  options.force = v[a.force].flag;
  options.quiet = quiet;
  options.legacy = v[a.legacy].flag;
  options.optimize = levels;
  options.workers = v[a.workers].number.value_or(1);
  options.invalidation_mode = ModeNamed(v[a.invalidation_mode].text);
  options.stripdir = v[a.stripdir].text;
  options.prependdir = v[a.prependdir].text;
  options.hardlink_dupes = v[a.hardlink_dupes].flag;

  if (dests.empty()) {
    CompilePathOptions path_options;
    path_options.force = options.force;
    path_options.quiet = quiet;
    path_options.legacy = options.legacy;
    path_options.invalidation_mode = options.invalidation_mode;
    return CompilePath(DefaultSysPath(), path_options, sink);
  }
  bool success = true;
  for (const std::string& dest : dests) {
    if (fs::IsFile(dest)) {
      CompileOptions file_options = options;
      file_options.maxlevels.reset();
      if (!CompileFile(dest, file_options, sink)) success = false;
    } else {
      CompileOptions dir_options = options;
      dir_options.maxlevels = maxlevels;
      if (!CompileDir(dest, dir_options, sink)) success = false;
    }
  }
  return success;
}

std::string ProgramName(const char* argv0) {
  if (argv0 == nullptr || *argv0 == '\0') return "xpyc";
  const std::string_view path(argv0);
  const size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

}  // namespace

int CompileAllCommand(const char* argv0, int argc, char** argv) {
  InstallInterruptHandler();
  cli::Parser parser(ProgramName(argv0), "Utilities to support installing Python libraries.");
  const CompileAllArgs a = DefineCompileAllArguments(parser);
  const cli::ParseResult parsed = parser.Parse(Arguments(argc, argv));
  switch (parsed.status) {
    case cli::ParseResult::Status::Ok: break;
    case cli::ParseResult::Status::Help:
      Write(stdout, parsed.output);
      return 0;
    case cli::ParseResult::Status::Error:
      Write(stderr, parsed.output);
      return 2;
  }
  StdStreamSink sink;
  int exit_status = -1;
  const int quiet = static_cast<int>(parsed.values[a.quiet].count);
  try {
    const bool success = RunCompileAll(parser, parsed, a, sink, exit_status);
    if (exit_status >= 0) return exit_status;
    return success ? 0 : 1;
  } catch (const Interrupted&) {
    if (quiet < 2) sink.Emit(Message{MessageKind::Interrupted, false, {}, "\n[interrupted]\n"});
    return 1;
  } catch (const UncaughtPythonError& e) {
    sink.Flush();
    Write(stderr, fmt::format("{}: {}\n", e.class_name(), e.what()));
    return 1;
  }
}

int PyCompileCommand(const char* argv0, int argc, char** argv) {
  InstallInterruptHandler();
  cli::Parser parser(ProgramName(argv0) + " --py-compile",
                     "A simple command-line interface for py_compile module.");
  cli::ArgSpec quiet_spec = Flag("-q", "quiet", cli::ActionKind::StoreTrue, "Suppress error output");
  quiet_spec.option_strings.push_back("--quiet");
  const size_t quiet_index = parser.Add(quiet_spec);
  cli::ArgSpec files;
  files.dest = "filenames";
  files.help = "Files to compile";
  files.positional_plus = true;
  const size_t files_index = parser.Add(files);
  const cli::ParseResult parsed = parser.Parse(Arguments(argc, argv));
  switch (parsed.status) {
    case cli::ParseResult::Status::Ok: break;
    case cli::ParseResult::Status::Help:
      Write(stdout, parsed.output);
      return 0;
    case cli::ParseResult::Status::Error:
      Write(stderr, parsed.output);
      return 2;
  }
  const bool quiet = parsed.values[quiet_index].flag;
  std::vector<std::string> filenames = parsed.values[files_index].strings;
  try {
    if (filenames.size() == 1 && filenames[0] == "-") {
      std::string data;
      ReadStdin(data);
      filenames.clear();
      for (std::string& line : TextLines(data)) {
        if (line.ends_with('\n')) line.pop_back();
        filenames.push_back(std::move(line));
      }
    }
    for (const std::string& filename : filenames) {
      if (InterruptFlag().load()) throw Interrupted();
      PyCompileRequest request;
      request.file = filename;
      PyCompileResult result = PyCompile(request);
      for (const Message& warning : result.warnings) Write(stderr, warning.text);
      switch (result.status) {
        case PyCompileResult::Status::Ok: break;
        case PyCompileResult::Status::CompileError:
          if (!quiet) Write(stderr, BackslashReplaceSurrogates(result.message));
          return 1;
        case PyCompileResult::Status::OsError:
          if (!quiet) Write(stderr, result.os_error.message);
          return 1;
      }
    }
  } catch (const Interrupted&) {
    DieOfInterrupt();
  } catch (const UncaughtPythonError& e) {
    Write(stderr, fmt::format("{}: {}\n", e.class_name(), e.what()));
    return 1;
  }
  return 0;
}

}  // namespace xpyc::driver
