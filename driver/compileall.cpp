// compileall.compile_dir / compile_file / compile_path of CPython 3.10.
#include "driver/compileall.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <sys/stat.h>
#include <xxhash.h>

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "driver/fs_util.h"
#include "driver/large_stack.h"

namespace xpyc::driver {
namespace {

constexpr int64_t kRecursionLimit = 1000;  // sys.getrecursionlimit()

// One step of a compile_dir run, in the order Python's generator yields it.
struct WalkStep {
  bool is_file = false;
  Message message;       // when !is_file: a "Listing" or "Can't list" line
  std::string fullname;  // when is_file
};

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// compileall._walk_dir, collected eagerly (the names of a directory are read
// at once in Python too, so the order is the same).
void WalkDir(const std::string& dir, int64_t maxlevels, int quiet, std::vector<WalkStep>& steps) {
  if (quiet == 0) {
    steps.push_back({false, Message{MessageKind::Listing, false, dir,
                                    fmt::format("Listing {}...\n", pyc::PathRepr(dir))},
                     {}});
  }
  std::vector<std::string> names;
  if (!fs::ListDir(dir, names)) {
    if (quiet < 2) {
      steps.push_back({false, Message{MessageKind::CantList, false, dir,
                                      fmt::format("Can't list {}\n", pyc::PathRepr(dir))},
                       {}});
    }
    names.clear();
  }
  std::vector<std::pair<std::u32string, std::string>> keyed;
  keyed.reserve(names.size());
  for (std::string& name : names) keyed.emplace_back(fs::DecodeSurrogateEscape(name), std::move(name));
  std::sort(keyed.begin(), keyed.end());
  for (const auto& [key, name] : keyed) {
    if (name == "__pycache__") continue;
    const std::string fullname = PathJoin({dir, name});
    if (!fs::IsDir(fullname)) {
      steps.push_back({true, {}, fullname});
    } else if (maxlevels > 0 && name != "." && name != ".." && !fs::IsLink(fullname)) {
      WalkDir(fullname, maxlevels - 1, quiet, steps);
    }
  }
}

// The options of one compile_file call after compile_file's own preamble.
struct FileJob {
  const CompileOptions* options = nullptr;
  std::vector<int64_t> levels;  // sorted, unique
  // An exception compile_file raises for every file it is given.
  std::optional<UncaughtPythonError> raises;
};

struct FileResult {
  bool success = true;
  std::vector<Message> messages;
};

FileJob PrepareJob(const CompileOptions& options) {
  FileJob job;
  job.options = &options;
  std::set<int64_t> unique(options.optimize.begin(), options.optimize.end());
  job.levels.assign(unique.begin(), unique.end());
  if (options.hardlink_dupes && job.levels.size() < 2) {
    job.raises.emplace("ValueError",
                       "Hardlinking of duplicated bytecode makes sense only for more than one "
                       "optimization level");
  } else if (options.rx_is_empty_string) {
    job.raises.emplace("AttributeError", "'str' object has no attribute 'search'");
  }
  if (options.rx && !options.rx->ok()) throw UncaughtPythonError("re.error", options.rx->error());
  return job;
}

std::string CacheFileFor(const std::string& fullname, int64_t level, bool legacy) {
  if (legacy) return pyc::LegacyCachePath(fullname);
  // Below 0, cache_from_source() is called without a level: the interpreter's.
  if (level < 0) level = InterpreterOptimizeLevel();
  return CachePathFor(fullname, level);
}

// compileall's check: every pyc starts with MAGIC, flags 0 and the source's
// mtime (the size and hash-based headers are not looked at).
bool PycsUpToDate(const std::string& fullname, const std::vector<std::string>& cfiles) {
  struct stat st {};
  if (::stat(fullname.c_str(), &st) != 0) return false;
  const pyc::Header now = pyc::TimestampHeader(st.st_mtim.tv_sec, st.st_mtim.tv_nsec, 0);
  std::string expect(pyc::kMagicBytes.begin(), pyc::kMagicBytes.end());
  expect.append(4, '\0');
  for (int i = 0; i < 4; ++i) expect.push_back(static_cast<char>((now.mtime >> (8 * i)) & 0xFF));
  for (const std::string& cfile : cfiles) {
    std::string contents;
    if (fs::ReadPrefix(cfile, 12, contents)) return false;
    if (contents != expect) return false;
  }
  return true;
}

// filecmp.cmp(a, b, shallow=False), with `a_hash`/`b_hash` (XXH3 of the bytes
// just written) used to rule out most unequal pairs without reading.
std::optional<pyc::Error> SameContents(const std::string& a, const std::string& b, uint64_t a_hash,
                                       uint64_t b_hash, bool& same) {
  same = false;
  struct stat sa {};
  struct stat sb {};
  if (::stat(a.c_str(), &sa) != 0) return pyc::OsError(errno, a);
  if (::stat(b.c_str(), &sb) != 0) return pyc::OsError(errno, b);
  if (!S_ISREG(sa.st_mode) || !S_ISREG(sb.st_mode)) return std::nullopt;
  if (sa.st_size != sb.st_size) return std::nullopt;
  if (a != b && a_hash != b_hash) return std::nullopt;
  std::string ca;
  std::string cb;
  if (auto e = fs::ReadFile(a, ca)) return e;
  if (auto e = fs::ReadFile(b, cb)) return e;
  same = ca == cb;
  return std::nullopt;
}

void EmitFailure(FileResult& result, const std::string& fullname, int quiet, std::string text) {
  result.success = false;
  if (quiet >= 2) return;
  std::string out;
  if (quiet != 0) {
    out = fmt::format("*** Error compiling {}...\n", pyc::PathRepr(fullname));
  } else {
    out = "*** ";
  }
  out += text;
  out += "\n";
  result.messages.push_back(Message{MessageKind::CompileFailed, false, fullname, std::move(out)});
}

// compile_file from the rx check on; thread-safe.
// The part of compile_file before anything is written: the dfile, the
// exceptions compile_file raises (throws UncaughtPythonError) and the -x and
// -e checks. False when the file is left alone.
bool Preamble(const std::string& fullname, const FileJob& job, std::optional<std::string>& dfile) {
  const CompileOptions& options = *job.options;
  dfile = DestinationFile(fullname, options.ddir, options.stripdir, options.prependdir);
  if (job.raises) throw *job.raises;
  if (options.rx && SearchPath(*options.rx, fullname)) return false;
  if (options.limit_sl_dest && fs::IsLink(fullname)) {
    const std::string limit = fs::ResolvePath(*options.limit_sl_dest);
    const std::string target = fs::ResolvePath(fullname);
    const bool inside = target != limit && (limit == "/" ? target.starts_with('/')
                                                         : target.starts_with(limit + "/"));
    if (!inside) return false;
  }
  return true;
}

FileResult CompileOne(const std::string& fullname, const FileJob& job) {
  const CompileOptions& options = *job.options;
  FileResult result;
  std::optional<std::string> dfile;
  if (!Preamble(fullname, job, dfile)) return result;
  if (!fs::IsFile(fullname)) return result;

  std::vector<std::string> cfiles;
  for (int64_t level : job.levels) cfiles.push_back(CacheFileFor(fullname, level, options.legacy));
  const std::string name = BaseName(fullname);
  if (name.size() < 3 || !name.ends_with(".py")) return result;
  if (!options.force && PycsUpToDate(fullname, cfiles)) return result;
  if (options.quiet == 0) {
    result.messages.push_back(Message{MessageKind::Compiling, false, fullname,
                                      fmt::format("Compiling {}...\n", pyc::PathRepr(fullname))});
  }
  uint64_t previous_hash = 0;
  for (size_t index = 0; index < job.levels.size(); ++index) {
    PyCompileRequest request;
    request.file = fullname;
    request.cfile = cfiles[index];
    request.dfile = dfile;
    request.optimize = job.levels[index];
    request.invalidation_mode = options.invalidation_mode;
    PyCompileResult compiled = PyCompile(request);
    for (Message& warning : compiled.warnings) result.messages.push_back(std::move(warning));
    switch (compiled.status) {
      case PyCompileResult::Status::Ok: break;
      case PyCompileResult::Status::CompileError:
        EmitFailure(result, fullname, options.quiet, BackslashReplaceSurrogates(compiled.message));
        return result;
      case PyCompileResult::Status::OsError:
        EmitFailure(result, fullname, options.quiet, compiled.os_error.Describe());
        return result;
    }
    if (!options.hardlink_dupes) continue;
    const uint64_t hash = XXH3_64bits(compiled.written.data(), compiled.written.size());
    if (index > 0) {
      const std::string& previous = cfiles[index - 1];
      bool same = false;
      std::optional<pyc::Error> error = SameContents(cfiles[index], previous, hash, previous_hash, same);
      if (!error && same) {
        if (::unlink(cfiles[index].c_str()) != 0) {
          error = pyc::OsError(errno, cfiles[index]);
        } else if (::link(previous.c_str(), cfiles[index].c_str()) != 0) {
          error = pyc::OsError(errno, previous, cfiles[index]);
        }
      }
      if (error) {
        EmitFailure(result, fullname, options.quiet, error->Describe());
        return result;
      }
    }
    previous_hash = hash;
  }
  return result;
}

void CheckDestinationArguments(const CompileOptions& options) {
  if (options.ddir && (options.stripdir || options.prependdir)) {
    throw UncaughtPythonError("ValueError",
                              "Destination dir (ddir) cannot be used in combination with stripdir "
                              "or prependdir");
  }
}

void EmitAll(MessageSink& sink, std::vector<Message>& messages) {
  for (const Message& m : messages) sink.Emit(m);
  messages.clear();
}

void CheckInterrupt() {
  if (InterruptFlag().load()) throw Interrupted();
}

// Compiles the files of `steps` on `workers` threads; messages come out in
// the order one worker would print them.
bool RunParallel(std::vector<WalkStep>& steps, const FileJob& job, size_t workers,
                 MessageSink& sink) {
  struct Slot {
    size_t step = 0;
    bool done = false;
    FileResult result;
    std::optional<UncaughtPythonError> raised;
    bool interrupted = false;
    std::exception_ptr failure;  // anything else (std::bad_alloc, ...)
  };
  std::vector<Slot> slots;
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].is_file) slots.push_back(Slot{i, false, {}, std::nullopt, false, nullptr});
  }
  // One worker stops at the first file compile_file raises for: the files
  // after it are never compiled. The preamble is cheap and decides that, so
  // it runs here, in order, and the workers only get the files before it.
  size_t runnable = slots.size();
  for (size_t i = 0; i < slots.size(); ++i) {
    try {
      std::optional<std::string> dfile;
      Preamble(steps[slots[i].step].fullname, job, dfile);
    } catch (const UncaughtPythonError& e) {
      slots[i].raised = e;
      slots[i].done = true;
      runnable = i;
      break;
    }
  }
  // The workers take the largest files first, so that no big file is left
  // running alone at the end; the output still follows `steps`.
  std::vector<std::pair<int64_t, size_t>> by_size;
  by_size.reserve(runnable);
  for (size_t i = 0; i < runnable; ++i) {
    struct stat st {};
    const int64_t size = ::stat(steps[slots[i].step].fullname.c_str(), &st) == 0 ? st.st_size : 0;
    by_size.emplace_back(-size, i);
  }
  std::sort(by_size.begin(), by_size.end());
  std::mutex mutex;
  std::condition_variable ready;
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  const auto work = [&] {
    while (!stop.load()) {
      const size_t k = next.fetch_add(1);
      if (k >= by_size.size()) return;
      Slot& slot = slots[by_size[k].second];
      FileResult result;
      std::optional<UncaughtPythonError> raised;
      bool interrupted = false;
      std::exception_ptr failure;
      try {
        if (InterruptFlag().load()) throw Interrupted();
        result = CompileOne(steps[slot.step].fullname, job);
      } catch (const UncaughtPythonError& e) {
        raised = e;
      } catch (const Interrupted&) {
        interrupted = true;
      } catch (...) {
        failure = std::current_exception();
      }
      {
        const std::lock_guard lock(mutex);
        slot.result = std::move(result);
        slot.raised = std::move(raised);
        slot.interrupted = interrupted;
        slot.failure = failure;
        slot.done = true;
      }
      ready.notify_all();
    }
  };
  bool success = true;
  {
    // Each worker compiles on a large stack (see large_stack.h).
    std::vector<LargeStackThread> threads;
    const auto finish = [&] {
      stop.store(true);
      for (LargeStackThread& thread : threads) thread.Join();
    };
    const size_t count = std::min(workers, runnable);
    try {
      for (size_t t = 0; t < count; ++t) threads.emplace_back(work);
    } catch (const std::system_error&) {
      if (threads.empty()) throw;  // fewer workers than asked for still finish the job
    }
    size_t slot_index = 0;
    try {
      for (WalkStep& step : steps) {
        if (!step.is_file) {
          sink.Emit(step.message);
          continue;
        }
        Slot& slot = slots[slot_index++];
        {
          std::unique_lock lock(mutex);
          ready.wait(lock, [&] { return slot.done; });
        }
        if (slot.interrupted) throw Interrupted();
        if (slot.raised) throw *slot.raised;
        if (slot.failure) std::rethrow_exception(slot.failure);
        EmitAll(sink, slot.result.messages);
        if (!slot.result.success) success = false;
      }
    } catch (...) {
      finish();
      throw;
    }
    finish();
  }
  return success;
}

}  // namespace

std::atomic<bool>& InterruptFlag() {
  static std::atomic<bool> flag{false};
  return flag;
}

std::string PathJoin(const std::vector<std::string>& parts) {
  std::string path;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& b = parts[i];
    if (i == 0) {
      path = b;
    } else if (b.starts_with('/')) {
      path = b;
    } else if (path.empty() || path.ends_with('/')) {
      path += b;
    } else {
      path += "/" + b;
    }
  }
  return path;
}

std::optional<std::string> DestinationFile(const std::string& fullname,
                                           const std::optional<std::string>& ddir,
                                           const std::optional<std::string>& stripdir,
                                           const std::optional<std::string>& prependdir) {
  std::optional<std::string> dfile;
  if (ddir) dfile = PathJoin({*ddir, BaseName(fullname)});
  const auto split = [](const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
      const size_t slash = path.find('/', start);
      parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) return parts;
      start = slash + 1;
    }
  };
  if (stripdir) {
    const std::vector<std::string> full_parts = split(fullname);
    const std::vector<std::string> strip_parts = split(*stripdir);
    std::vector<std::string> kept = full_parts;
    // Python removes the first part equal to each matching one (list.remove).
    for (size_t i = 0; i < std::min(full_parts.size(), strip_parts.size()); ++i) {
      if (strip_parts[i] != full_parts[i]) continue;
      if (auto it = std::find(kept.begin(), kept.end(), strip_parts[i]); it != kept.end()) kept.erase(it);
    }
    if (kept.empty()) {
      throw UncaughtPythonError("TypeError", "join() missing 1 required positional argument: 'a'");
    }
    dfile = PathJoin(kept);
  }
  if (prependdir) dfile = PathJoin({*prependdir, dfile ? *dfile : fullname});
  return dfile;
}

bool CompileFile(const std::string& fullname, const CompileOptions& options, MessageSink& sink) {
  CheckDestinationArguments(options);
  CheckInterrupt();
  const FileJob job = PrepareJob(options);
  FileResult result = CompileOne(fullname, job);
  EmitAll(sink, result.messages);
  return result.success;
}

bool CompileDir(const std::string& dir, const CompileOptions& input, MessageSink& sink) {
  CheckDestinationArguments(input);
  CompileOptions options = input;
  if (options.ddir) {
    options.stripdir = dir;
    options.prependdir = options.ddir;
    options.ddir.reset();
  }
  if (options.workers < 0) {
    throw UncaughtPythonError("ValueError", "workers must be greater or equal to 0");
  }
  const FileJob job = PrepareJob(options);
  std::vector<WalkStep> steps;
  WalkDir(dir, options.maxlevels.value_or(kRecursionLimit), options.quiet, steps);

  if (options.workers != 1) {
    size_t workers = static_cast<size_t>(options.workers);
    if (workers == 0) workers = std::max(1u, std::thread::hardware_concurrency());
    return RunParallel(steps, job, workers, sink);
  }
  bool success = true;
  for (WalkStep& step : steps) {
    CheckInterrupt();
    if (!step.is_file) {
      sink.Emit(step.message);
      continue;
    }
    FileResult result = CompileOne(step.fullname, job);
    EmitAll(sink, result.messages);
    if (!result.success) success = false;
  }
  return success;
}

bool CompilePath(const std::vector<std::string>& sys_path, const CompilePathOptions& options,
                 MessageSink& sink) {
  bool success = true;
  for (const std::string& dir : sys_path) {
    if ((dir.empty() || dir == ".") && options.skip_curdir) {
      if (options.quiet < 2) {
        sink.Emit(Message{MessageKind::SkippingCurdir, false, dir, "Skipping current directory\n"});
      }
      continue;
    }
    // `success and compile_dir(...)`: after the first failure the remaining
    // directories are not compiled at all.
    if (!success) continue;
    CompileOptions dir_options;
    dir_options.maxlevels = options.maxlevels;
    dir_options.force = options.force;
    dir_options.quiet = options.quiet;
    dir_options.legacy = options.legacy;
    dir_options.optimize = {options.optimize};
    dir_options.invalidation_mode = options.invalidation_mode;
    success = CompileDir(dir, dir_options, sink);
  }
  return success;
}

}  // namespace xpyc::driver
