// Library API of the driver, exercised without the command line. Expected
// strings come from CPython 3.10.13 (compileall, py_compile, argparse).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <pthread.h>
#include <re2/re2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include "driver/argparse.h"
#include "driver/compileall.h"
#include "driver/large_stack.h"

namespace {

using namespace xpyc::driver;
namespace fsys = std::filesystem;

// A temporary directory removed at scope exit; its files keep fixed mtimes.
class TempTree {
 public:
  TempTree() {
    std::string templ = (fsys::temp_directory_path() / "xpyc-driver-test-XXXXXX").string();
    REQUIRE(::mkdtemp(templ.data()) != nullptr);
    root_ = templ;
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  ~TempTree() {
    std::error_code ec;
    fsys::remove_all(root_, ec);
  }
  std::string Write(const std::string& rel, const std::string& data) {
    const fsys::path path = fsys::path(root_) / rel;
    fsys::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << data;
    return path.string();
  }
  std::string Path(const std::string& rel) const { return (fsys::path(root_) / rel).string(); }
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A stand-in compiler: levels 1 and 2 give the same bytes, level 0 others;
// "boom" in the source is a SyntaxError, "warn" a SyntaxWarning on line 2.
xpyc::driver::CompileOutcome FakeCompiler(std::string_view source, std::string_view dfile,
                                          int optimize) {
  xpyc::driver::CompileOutcome outcome;
  if (source.find("boom") != std::string_view::npos) {
    outcome.status = xpyc::driver::CompileOutcome::Status::Error;
    outcome.error.class_name = "SyntaxError";
    outcome.error.message = "invalid syntax";
    outcome.error.filename = std::string(dfile);
    outcome.error.lineno = 1;
    outcome.error.offset = 1;
    outcome.error.text = "boom boom\n";
    return outcome;
  }
  if (source.find("warn") != std::string_view::npos) {
    outcome.warnings.push_back({"SyntaxWarning", "\"is\" with a literal", std::string(dfile), 2});
  }
  outcome.status = xpyc::driver::CompileOutcome::Status::Ok;
  outcome.code = std::string("code:") + std::string(dfile) + (optimize == 0 ? ":0" : ":12");
  return outcome;
}

// What xpyc reports for a file it cannot compile (the placeholder outcome).
xpyc::driver::CompileOutcome UnsupportedCompiler(std::string_view, std::string_view, int) {
  xpyc::driver::CompileOutcome outcome;
  outcome.status = xpyc::driver::CompileOutcome::Status::Unsupported;
  outcome.detail = "not compiled in this test";
  return outcome;
}

class FakeCompilerScope {
 public:
  explicit FakeCompilerScope(xpyc::driver::CompileFunction compiler = FakeCompiler) {
    xpyc::driver::SetCompilerForTesting(compiler);
  }
  FakeCompilerScope(const FakeCompilerScope&) = delete;
  FakeCompilerScope& operator=(const FakeCompilerScope&) = delete;
  ~FakeCompilerScope() { xpyc::driver::SetCompilerForTesting(nullptr); }
};


// A sink that keeps (kind, path, stream) of every message.
struct KindSink : xpyc::driver::MessageSink {
  struct Seen {
    xpyc::driver::MessageKind kind;
    std::string path;
    bool to_stderr;
    bool operator==(const Seen&) const = default;
  };
  void Emit(const xpyc::driver::Message& m) override { seen.push_back({m.kind, m.path, m.to_stderr}); }
  std::vector<Seen> seen;
};

// A compiler that raises the interrupt flag when it sees "stop" (as Ctrl-C
// during that compilation would).
xpyc::driver::CompileOutcome InterruptingCompiler(std::string_view source, std::string_view dfile,
                                                  int optimize) {
  if (source.find("stop") != std::string_view::npos) xpyc::driver::InterruptFlag().store(true);
  return FakeCompiler(source, dfile, optimize);
}

// Runs `body` on a thread whose stack is only `size` bytes.
void RunOnSmallStack(size_t size, const std::function<void()>& body) {
  pthread_attr_t attr;
  REQUIRE(::pthread_attr_init(&attr) == 0);
  REQUIRE(::pthread_attr_setstacksize(&attr, size) == 0);
  pthread_t thread;
  const auto trampoline = [](void* arg) -> void* {
    (*static_cast<const std::function<void()>*>(arg))();
    return nullptr;
  };
  REQUIRE(::pthread_create(&thread, &attr, trampoline,
                           const_cast<std::function<void()>*>(&body)) == 0);
  ::pthread_join(thread, nullptr);
  ::pthread_attr_destroy(&attr);
}

size_t CurrentStackSize() {
  pthread_attr_t attr;
  if (::pthread_getattr_np(::pthread_self(), &attr) != 0) return 0;
  size_t size = 0;
  ::pthread_attr_getstacksize(&attr, &size);
  ::pthread_attr_destroy(&attr);
  return size;
}

}  // namespace

TEST_SUITE("driver") {
  TEST_CASE("timestamp pycs: header from the source's stat, code, then up to date") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string src = tree.Write("d/m.py", "x = 1\n");
    ::chmod(src.c_str(), 0640);
    CompileOptions options;
    options.invalidation_mode = xpyc::pyc::InvalidationMode::Timestamp;
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("d"), options, sink));
    const std::string cfile = tree.Path("d/__pycache__/m.cpython-310.pyc");
    struct stat st {};
    REQUIRE(::stat(src.c_str(), &st) == 0);
    const std::string expected =
        xpyc::pyc::BuildHeader(xpyc::pyc::TimestampHeader(st.st_mtim.tv_sec, st.st_mtim.tv_nsec, 6)) +
        "code:" + src + ":0";
    CHECK(ReadAll(cfile) == expected);
    struct stat cst {};
    REQUIRE(::stat(cfile.c_str(), &cst) == 0);
    CHECK((cst.st_mode & 0777) == (0660 & ~[] { mode_t m = ::umask(0); ::umask(m); return m; }()));
    CHECK(sink.Stdout() == "Listing '" + tree.Path("d") + "'...\nCompiling '" + src + "'...\n");
    CollectingSink again;
    CHECK(CompileDir(tree.Path("d"), options, again));
    CHECK(again.Stdout() == "Listing '" + tree.Path("d") + "'...\n");
  }

  TEST_CASE("hash pycs and the dfile recorded with -d") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string source = "y = 2\n";
    tree.Write("d/m.py", source);
    CompileOptions options;
    options.invalidation_mode = xpyc::pyc::InvalidationMode::CheckedHash;
    options.ddir = "/usr/lib/site";
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("d"), options, sink));
    const std::string pyc = ReadAll(tree.Path("d/__pycache__/m.cpython-310.pyc"));
    CHECK(pyc == xpyc::pyc::BuildHeader(xpyc::pyc::HashHeader(source, true)) + "code:/usr/lib/site/m.py:0");
  }

  TEST_CASE("--hardlink-dupes links equal pycs of consecutive levels") {
    FakeCompilerScope fake;
    TempTree tree;
    tree.Write("m.py", "z = 3\n");
    CompileOptions options;
    options.optimize = {2, 0, 1, 2};
    options.hardlink_dupes = true;
    CollectingSink sink;
    CHECK(CompileFile(tree.Path("m.py"), options, sink));
    struct stat s0 {}, s1 {}, s2 {};
    REQUIRE(::stat(tree.Path("__pycache__/m.cpython-310.pyc").c_str(), &s0) == 0);
    REQUIRE(::stat(tree.Path("__pycache__/m.cpython-310.opt-1.pyc").c_str(), &s1) == 0);
    REQUIRE(::stat(tree.Path("__pycache__/m.cpython-310.opt-2.pyc").c_str(), &s2) == 0);
    CHECK(s1.st_ino == s2.st_ino);
    CHECK(s0.st_ino != s1.st_ino);
    CHECK(s1.st_nlink == 2);
  }

  TEST_CASE("compile errors and warnings are printed as compileall prints them") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string bad = tree.Write("d/a.py", "boom boom\n");
    const std::string warned = tree.Write("d/b.py", "x = 1\nif x is 1: warn\n");
    CollectingSink sink;
    CHECK_FALSE(CompileDir(tree.Path("d"), CompileOptions{}, sink));
    CHECK(sink.Stdout() == "Listing '" + tree.Path("d") + "'...\nCompiling '" + bad + "'...\n*** " +
                               "  File \"" + bad + "\", line 1\n    boom boom\n    ^\n" +
                               "SyntaxError: invalid syntax\n\nCompiling '" + warned + "'...\n");
    CHECK(sink.Stderr() == warned + ":2: SyntaxWarning: \"is\" with a literal\n  if x is 1: warn\n");
    CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__/a.cpython-310.pyc")));
    CHECK(fsys::exists(tree.Path("d/__pycache__/b.cpython-310.pyc")));
  }

  TEST_CASE("PathJoin follows os.path.join") {
    CHECK(PathJoin({"a", "b"}) == "a/b");
    CHECK(PathJoin({"a/", "b"}) == "a/b");
    CHECK(PathJoin({"", "b"}) == "b");
    CHECK(PathJoin({"a", "/abs", "c"}) == "/abs/c");
    CHECK(PathJoin({"a", "", "b"}) == "a/b");
    CHECK(PathJoin({"a", ""}) == "a/");
  }

  TEST_CASE("DestinationFile: -d, -s, -p arithmetic") {
    CHECK(DestinationFile("pkg/sub/m.py", std::string("/opt/x"), std::nullopt, std::nullopt) ==
          "/opt/x/m.py");
    CHECK(DestinationFile("/stage/sysroot/usr/lib/m.py", std::nullopt, std::string("/stage/sysroot"),
                          std::string("/")) == "/usr/lib/m.py");
    CHECK(DestinationFile("pkg/m.py", std::nullopt, std::nullopt, std::string("/prefix")) ==
          "/prefix/pkg/m.py");
    CHECK(DestinationFile("/abs/m.py", std::nullopt, std::nullopt, std::string("/prefix")) ==
          "/abs/m.py");
    CHECK_FALSE(DestinationFile("m.py", std::nullopt, std::nullopt, std::nullopt).has_value());
    // list.remove drops the first equal part, not the one at the same index.
    CHECK(DestinationFile("x/a/x/m.py", std::nullopt, std::string("y/a/x"), std::nullopt) ==
          "x/m.py");
    CHECK(DestinationFile("a/x/m.py", std::nullopt, std::string("a/y"), std::nullopt) == "x/m.py");
    CHECK_THROWS_AS(DestinationFile("a/b", std::nullopt, std::string("a/b"), std::nullopt),
                    UncaughtPythonError);
  }

  TEST_CASE("SyntaxError blocks as py_compile quotes them") {
    CompileError e;
    e.class_name = "SyntaxError";
    e.message = "invalid syntax";
    e.filename = "dir/f\xff.py";
    e.lineno = 1;
    e.offset = 7;
    e.end_lineno = 1;
    e.end_offset = 8;
    e.text = "def f(:\n";
    CHECK(PyCompileErrorMessage(e, "dir/f\xff.py") ==
          "  File \"dir/f\xff.py\", line 1\n    def f(:\n          ^\nSyntaxError: invalid syntax\n");
    CHECK(BackslashReplaceSurrogates(PyCompileErrorMessage(e, "x")).starts_with(
        "  File \"dir/f\\udcff.py\", line 1\n"));

    e.message = "'(' was never closed";
    e.offset = 5;
    e.end_offset = 0;
    e.text = "x = (1,\n";
    CHECK(FormatSyntaxError(e) ==
          "  File \"dir/f\xff.py\", line 1\n    x = (1,\n        ^\nSyntaxError: '(' was never closed\n");

    e.message = "invalid syntax";
    e.lineno = 2;
    e.offset = 6;
    e.end_offset = 7;
    e.text = "\tx = $\n";
    CHECK(FormatSyntaxError(e) ==
          "  File \"dir/f\xff.py\", line 2\n    \tx = $\n    \t    ^\nSyntaxError: invalid syntax\n");

    e.message = "Missing parentheses in call to 'print'. Did you mean print(...)?";
    e.lineno = 1;
    e.offset = 1;
    e.end_offset = 14;
    e.text = "print 'hello'\n";
    CHECK(FormatSyntaxError(e) ==
          "  File \"dir/f\xff.py\", line 1\n    print 'hello'\n    ^^^^^^^^^^^^^\n"
          "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n");

    e.text.reset();
    e.lineno.reset();
    CHECK(FormatSyntaxError(e) ==
          "SyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)? "
          "(dir/f\xff.py)\n");
  }

  TEST_CASE("other compile errors read 'Sorry: CLASS: str(exc)'") {
    CompileError e;
    e.class_name = "IndentationError";
    e.message = "unexpected indent";
    e.filename = "dir/ind.py";
    e.lineno = 3;
    CHECK(PyCompileErrorMessage(e, "dir/ind.py") ==
          "Sorry: IndentationError: unexpected indent (ind.py, line 3)");
    CompileError v;
    v.class_name = "ValueError";
    v.message = "source code string cannot contain null bytes";
    CHECK(PyCompileErrorMessage(v, "n.py") ==
          "Sorry: ValueError: source code string cannot contain null bytes");
  }

  TEST_CASE("repr of paths") {
    CHECK(xpyc::pyc::PathRepr("a/b.py") == "'a/b.py'");
    CHECK(xpyc::pyc::PathRepr("it's") == "\"it's\"");
    CHECK(xpyc::pyc::PathRepr("both'\"") == "'both\\'\"'");
    CHECK(xpyc::pyc::PathRepr("tab\there\n") == "'tab\\there\\n'");
    CHECK(xpyc::pyc::PathRepr("caf\xe9") == "'caf\\udce9'");           // surrogateescape
    CHECK(xpyc::pyc::PathRepr("caf\xc3\xa9") == "'caf\xc3\xa9'");      // printable U+00E9
    CHECK(xpyc::pyc::PathRepr("zw\xe2\x80\x8b") == "'zw\\u200b'");    // U+200B is Cf
    CHECK(xpyc::pyc::PathRepr("nb\xc2\xa0") == "'nb\\xa0'");
    CHECK(xpyc::pyc::PathRepr("\x01\x7f") == "'\\x01\\x7f'");
    CHECK(xpyc::pyc::PathRepr("\xf0\x9f\x98\x80") == "'\xf0\x9f\x98\x80'");
    CHECK(xpyc::pyc::PathRepr("\xf3\xa0\x80\x81") == "'\\U000e0001'");  // a tag character
  }

  TEST_CASE("cache paths honour PYTHONPYCACHEPREFIX and PYTHONOPTIMIZE") {
    ::unsetenv("PYTHONPYCACHEPREFIX");
    CHECK(CachePathFor("/a/b/m.py", 0) == "/a/b/__pycache__/m.cpython-310.pyc");
    CHECK(CachePathFor("/a/b/m.py", 2) == "/a/b/__pycache__/m.cpython-310.opt-2.pyc");
    ::setenv("PYTHONPYCACHEPREFIX", "/tmp/pc/", 1);
    CHECK(CachePathFor("/a/b/m.py", 1) == "/tmp/pc/a/b/m.cpython-310.opt-1.pyc");
    CHECK(CachePathFor("/m.py", 0) == "/tmp/pc/" + fsys::current_path().string().substr(1) + "/m.cpython-310.pyc");
    ::setenv("PYTHONPYCACHEPREFIX", "/", 1);
    CHECK(CachePathFor("/a/m.py", 0) == "/a/m.cpython-310.pyc");
    ::unsetenv("PYTHONPYCACHEPREFIX");
    ::setenv("PYTHONOPTIMIZE", "2", 1);
    CHECK(InterpreterOptimizeLevel() == 2);
    ::setenv("PYTHONOPTIMIZE", "yes", 1);
    CHECK(InterpreterOptimizeLevel() == 1);
    ::setenv("PYTHONOPTIMIZE", "0", 1);
    CHECK(InterpreterOptimizeLevel() == 0);
    ::unsetenv("PYTHONOPTIMIZE");
    CHECK(InterpreterOptimizeLevel() == 0);
  }

  TEST_CASE("Python int() as argparse's type=int") {
    using xpyc::driver::cli::ParsePythonInt;
    CHECK(ParsePythonInt("12") == 12);
    CHECK(ParsePythonInt(" -3 ") == -3);
    CHECK(ParsePythonInt("+1_000") == 1000);
    CHECK(ParsePythonInt("007") == 7);
    CHECK_FALSE(ParsePythonInt("1__0"));
    CHECK_FALSE(ParsePythonInt("_1"));
    CHECK_FALSE(ParsePythonInt("0x10"));
    CHECK_FALSE(ParsePythonInt(""));
    CHECK(ParsePythonInt("99999999999999999999999") == INT64_MAX);
  }

  TEST_CASE("argparse classification and errors") {
    using namespace xpyc::driver::cli;
    Parser p("prog", "");
    ArgSpec q;
    q.option_strings = {"-q"};
    q.dest = "quiet";
    q.kind = ActionKind::Count;
    const size_t qi = p.Add(q);
    ArgSpec j;
    j.option_strings = {"-j", "--workers"};
    j.dest = "workers";
    j.type = ValueType::Int;
    const size_t ji = p.Add(j);
    ArgSpec pos;
    pos.dest = "dest";
    pos.metavar = "FILE";
    const size_t pi = p.Add(pos);

    ParseResult r = p.Parse({"-qqj3", "a", "b"});
    REQUIRE(r.status == ParseResult::Status::Ok);
    CHECK(r.values[qi].count == 2);
    CHECK(r.values[ji].number == 3);
    CHECK(r.values[pi].strings == std::vector<std::string>{"a", "b"});

    r = p.Parse({"--work=-2", "--", "-q"});
    REQUIRE(r.status == ParseResult::Status::Ok);
    CHECK(r.values[ji].number == -2);
    CHECK(r.values[pi].strings == std::vector<std::string>{"-q"});

    r = p.Parse({"a", "-q", "b"});
    CHECK(r.status == ParseResult::Status::Error);
    CHECK(r.ExitStatus() == 2);
    CHECK(r.output.ends_with("prog: error: unrecognized arguments: b\n"));

    r = p.Parse({"-j", "x"});
    CHECK(r.output.ends_with("prog: error: argument -j/--workers: invalid int value: 'x'\n"));
    r = p.Parse({"-qz"});
    CHECK(r.output.ends_with("prog: error: argument -q: ignored explicit argument 'z'\n"));
    r = p.Parse({"-j"});
    CHECK(r.output.ends_with("prog: error: argument -j/--workers: expected one argument\n"));
    r = p.Parse({"-h"});
    CHECK(r.status == ParseResult::Status::Help);
    CHECK(r.ExitStatus() == 0);
  }

  TEST_CASE("help layout follows the width") {
    using namespace xpyc::driver::cli;
    Parser p("compileall.py", "Utilities to support installing Python libraries.");
    ArgSpec l;
    l.option_strings = {"-l"};
    l.dest = "maxlevels";
    l.kind = ActionKind::StoreConst;
    l.help = "don't recurse into subdirectories";
    p.Add(l);
    CHECK(p.FormatHelp(78) ==
          "usage: compileall.py [-h] [-l]\n\nUtilities to support installing Python libraries.\n\n"
          "options:\n  -h, --help  show this help message and exit\n"
          "  -l          don't recurse into subdirectories\n");
    CHECK(WrapText("compile-time tracebacks", 10) ==
          std::vector<std::string>{"compile-", "time", "tracebacks"});
  }

  TEST_CASE("compile_dir lists in code point order and skips __pycache__") {
    FakeCompilerScope fake;
    TempTree tree;
    tree.Write("d/b.py", "b = 1\n");
    tree.Write("d/a.txt", "");
    tree.Write("d/__pycache__/x.py", "");
    tree.Write("d/sub/c.py", "");
    tree.Write("d/\xc3\xa9.py", "");  // U+00E9, sorts after ASCII
    tree.Write("d/\xff.py", "");      // surrogateescaped U+DCFF, before U+E000+
    CompileOptions options;
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("d"), options, sink));
    std::vector<std::string> firsts;
    for (const std::string& line : Lines(sink.Stdout())) {
      if (line.starts_with("Listing") || line.starts_with("Compiling")) firsts.push_back(line);
    }
    const std::string d = tree.Path("d");
    CHECK(firsts == std::vector<std::string>{
                        "Listing '" + d + "'...",
                        "Compiling '" + d + "/b.py'...",
                        "Listing '" + d + "/sub'...",
                        "Compiling '" + d + "/sub/c.py'...",
                        "Compiling '" + d + "/\xc3\xa9.py'...",
                        "Compiling '" + d + "/\\udcff.py'...",
                    });
  }

  TEST_CASE("quiet levels, maxlevels, rx and missing directories") {
    FakeCompilerScope fake(UnsupportedCompiler);
    TempTree tree;
    tree.Write("d/a.py", "");
    tree.Write("d/sub/c.py", "");
    CompileOptions options;
    options.quiet = 1;
    CollectingSink quiet1;
    CHECK_FALSE(CompileDir(tree.Path("d"), options, quiet1));
    CHECK(quiet1.Stdout().starts_with("*** Error compiling '" + tree.Path("d/a.py") + "'...\n"));
    options.quiet = 2;
    CollectingSink quiet2;
    CHECK_FALSE(CompileDir(tree.Path("d"), options, quiet2));
    CHECK(quiet2.messages.empty());

    options.quiet = 0;
    options.maxlevels = 0;
    options.rx = std::make_shared<re2::RE2>("a\\.py$");
    CollectingSink listed;
    CHECK(CompileDir(tree.Path("d"), options, listed));
    CHECK(listed.Stdout() == "Listing '" + tree.Path("d") + "'...\n");

    CollectingSink missing;
    CHECK(CompileDir(tree.Path("nope"), CompileOptions{}, missing));
    CHECK(missing.Stdout() ==
          "Listing '" + tree.Path("nope") + "'...\nCan't list '" + tree.Path("nope") + "'\n");
  }

  TEST_CASE("an up-to-date pyc is not compiled again") {
    FakeCompilerScope fake(UnsupportedCompiler);
    TempTree tree;
    const std::string src = tree.Write("m.py", "x = 1\n");
    struct stat st {};
    REQUIRE(::stat(src.c_str(), &st) == 0);
    const xpyc::pyc::Header header = xpyc::pyc::TimestampHeader(
        st.st_mtim.tv_sec, st.st_mtim.tv_nsec, static_cast<uint64_t>(st.st_size));
    std::string pyc = xpyc::pyc::BuildHeader(header);
    tree.Write("__pycache__/m.cpython-310.pyc", pyc);
    CollectingSink sink;
    CHECK(CompileFile(src, CompileOptions{}, sink));
    CHECK(sink.messages.empty());

    CompileOptions forced;
    forced.force = true;
    CollectingSink forced_sink;
    CHECK_FALSE(CompileFile(src, forced, forced_sink));
    REQUIRE_FALSE(forced_sink.messages.empty());
    CHECK(forced_sink.messages[0].kind == MessageKind::Compiling);
  }

  TEST_CASE("workers print in the order of one worker") {
    FakeCompilerScope fake;
    TempTree tree;
    for (int i = 0; i < 30; ++i) {
      const char* body = i % 7 == 3 ? "boom\n" : i % 5 == 1 ? "x = 1\nwarn\n" : "";
      tree.Write("d/s" + std::to_string(i % 4) + "/f" + std::to_string(i) + ".py", body);
    }
    CompileOptions one;
    one.force = true;
    CollectingSink sequential;
    const bool sequential_ok = CompileDir(tree.Path("d"), one, sequential);
    for (const int64_t workers : {0, 2, 4, 64}) {
      CAPTURE(workers);
      CompileOptions many = one;
      many.workers = workers;
      CollectingSink parallel;
      CHECK(CompileDir(tree.Path("d"), many, parallel) == sequential_ok);
      REQUIRE(parallel.messages.size() == sequential.messages.size());
      for (size_t i = 0; i < parallel.messages.size(); ++i) {
        CHECK(parallel.messages[i].kind == sequential.messages[i].kind);
        CHECK(parallel.messages[i].to_stderr == sequential.messages[i].to_stderr);
        CHECK(parallel.messages[i].path == sequential.messages[i].path);
        CHECK(parallel.messages[i].text == sequential.messages[i].text);
      }
    }
    CHECK_FALSE(sequential_ok);
    CHECK(Lines(sequential.Stdout()).size() > 5 + 30);
    CHECK_FALSE(sequential.Stderr().empty());
  }

  TEST_CASE("argument checks raise what compileall raises") {
    TempTree tree;
    tree.Write("d/a.py", "");
    CollectingSink sink;
    CompileOptions negative;
    negative.workers = -1;
    CHECK_THROWS_WITH_AS(CompileDir(tree.Path("d"), negative, sink),
                         "workers must be greater or equal to 0", UncaughtPythonError);
    CompileOptions both;
    both.ddir = "x";
    both.stripdir = "y";
    CHECK_THROWS_AS(CompileDir(tree.Path("d"), both, sink), UncaughtPythonError);
    CHECK(sink.messages.empty());
    // The hardlink check fires per file, after the directory was listed.
    CompileOptions hardlink;
    hardlink.hardlink_dupes = true;
    hardlink.optimize = {1, 1};
    CHECK_THROWS_AS(CompileDir(tree.Path("d"), hardlink, sink), UncaughtPythonError);
    REQUIRE(sink.messages.size() == 1);
    CHECK(sink.messages[0].kind == MessageKind::Listing);
  }

  TEST_CASE("compile_path skips the current directory and stops after a failure") {
    FakeCompilerScope fake(UnsupportedCompiler);
    TempTree tree;
    tree.Write("a/x.py", "");
    tree.Write("b/y.py", "");
    CollectingSink sink;
    CHECK_FALSE(CompilePath({"", tree.Path("a"), ".", tree.Path("b")}, CompilePathOptions{}, sink));
    const std::vector<std::string> lines = Lines(sink.Stdout());
    REQUIRE(lines.size() >= 3);
    CHECK(lines[0] == "Skipping current directory");
    CHECK(lines[1] == "Listing '" + tree.Path("a") + "'...");
    CHECK(lines.back() == "Skipping current directory");
    CHECK(sink.Stdout().find(tree.Path("b")) == std::string::npos);
  }

  TEST_CASE("py_compile refuses a symlinked target and reports missing sources") {
    TempTree tree;
    const std::string src = tree.Write("m.py", "x = 1\n");
    fsys::create_directories(tree.Path("__pycache__"));
    fsys::create_symlink("/dev/null", tree.Path("__pycache__/m.cpython-310.pyc"));
    PyCompileRequest request;
    request.file = src;
    PyCompileResult result = PyCompile(request);
    CHECK(result.status == PyCompileResult::Status::OsError);
    CHECK(result.os_error.type == "FileExistsError");
    CHECK(result.os_error.message.ends_with(
        "is a symlink and will be changed into a regular file if import writes a byte-compiled "
        "file to it"));
    request.file = tree.Path("missing.py");
    result = PyCompile(request);
    CHECK(result.status == PyCompileResult::Status::OsError);
    CHECK(result.os_error.Describe() == "FileNotFoundError: [Errno 2] No such file or directory: '" +
                                            tree.Path("missing.py") + "'");
  }

  TEST_CASE("legacy pycs: SOURCE + 'c' for every level, the last one wins") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string src = tree.Write("d/m.py", "x = 1\n");
    CompileOptions options;
    options.legacy = true;
    options.optimize = {1, 0};
    options.invalidation_mode = xpyc::pyc::InvalidationMode::UncheckedHash;
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("d"), options, sink));
    CHECK(ReadAll(src + "c") ==
          xpyc::pyc::BuildHeader(xpyc::pyc::HashHeader("x = 1\n", false)) + "code:" + src + ":12");
    CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__")));
  }

  TEST_CASE("stripdir, prependdir and ddir through compile_dir and compile_file") {
    FakeCompilerScope fake;
    TempTree tree;
    tree.Write("stage/usr/lib/m.py", "");
    tree.Write("stage/usr/lib/sub/n.py", "");
    const auto code_of = [&](const std::string& rel) {
      const std::string pyc = ReadAll(tree.Path(rel));
      return pyc.size() > 16 ? pyc.substr(16) : std::string();
    };
    CompileOptions strip;
    strip.stripdir = tree.Path("stage");
    strip.prependdir = "/";
    strip.quiet = 2;
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("stage/usr/lib"), strip, sink));
    CHECK(code_of("stage/usr/lib/__pycache__/m.cpython-310.pyc") == "code:/usr/lib/m.py:0");
    CHECK(code_of("stage/usr/lib/sub/__pycache__/n.cpython-310.pyc") == "code:/usr/lib/sub/n.py:0");
    // compile_dir turns ddir into stripdir=DIR, prependdir=ddir: packages keep their path.
    CompileOptions ddir;
    ddir.ddir = "<prefix>";
    ddir.force = true;
    CHECK(CompileDir(tree.Path("stage/usr/lib"), ddir, sink));
    CHECK(code_of("stage/usr/lib/sub/__pycache__/n.cpython-310.pyc") == "code:<prefix>/sub/n.py:0");
    // compile_file joins ddir with the base name only.
    CHECK(CompileFile(tree.Path("stage/usr/lib/sub/n.py"), ddir, sink));
    CHECK(code_of("stage/usr/lib/sub/__pycache__/n.cpython-310.pyc") == "code:<prefix>/n.py:0");
    CHECK(sink.Stderr().empty());
  }

  TEST_CASE("limit_sl_dest skips symlinks that resolve outside it") {
    FakeCompilerScope fake;
    TempTree tree;
    tree.Write("d/real.py", "");
    tree.Write("outside/ext.py", "");
    fsys::create_symlink("real.py", tree.Path("d/in.py"));
    fsys::create_symlink("../outside/ext.py", tree.Path("d/out.py"));
    CompileOptions options;
    options.limit_sl_dest = tree.Path("d");
    options.quiet = 1;
    CollectingSink sink;
    CHECK(CompileDir(tree.Path("d"), options, sink));
    CHECK(fsys::exists(tree.Path("d/__pycache__/real.cpython-310.pyc")));
    CHECK(fsys::exists(tree.Path("d/__pycache__/in.cpython-310.pyc")));
    CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__/out.cpython-310.pyc")));
    CHECK(CompileFile(tree.Path("d/out.py"), options, sink));
    CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__/out.cpython-310.pyc")));
    CHECK(sink.messages.empty());
  }

  TEST_CASE("rx = '' fails like compile_file's rx.search on a str") {
    FakeCompilerScope fake;
    TempTree tree;
    tree.Write("d/a.py", "");
    CompileOptions options;
    options.rx_is_empty_string = true;
    KindSink sink;
    try {
      CompileDir(tree.Path("d"), options, sink);
      FAIL("no exception");
    } catch (const UncaughtPythonError& e) {
      CHECK(e.class_name() == "AttributeError");
      CHECK(std::string(e.what()) == "'str' object has no attribute 'search'");
    }
    REQUIRE(sink.seen.size() == 1);
    CHECK(sink.seen[0].kind == MessageKind::Listing);
  }

  TEST_CASE("the sink gets every message with its kind, path and stream") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string bad = tree.Write("d/a.py", "boom\n");
    const std::string warned = tree.Write("d/b.py", "x = 1\nwarn\n");
    tree.Write("d/c.txt", "");
    KindSink sink;
    CHECK_FALSE(CompileDir(tree.Path("d"), CompileOptions{}, sink));
    const std::vector<KindSink::Seen> expected = {
        {MessageKind::Listing, tree.Path("d"), false},
        {MessageKind::Compiling, bad, false},
        {MessageKind::CompileFailed, bad, false},
        {MessageKind::Compiling, warned, false},
        {MessageKind::Warning, warned, true},
    };
    CHECK(sink.seen == expected);
    KindSink missing;
    CHECK(CompileDir(tree.Path("nope"), CompileOptions{}, missing));
    CHECK(missing.seen == std::vector<KindSink::Seen>{{MessageKind::Listing, tree.Path("nope"), false},
                                                     {MessageKind::CantList, tree.Path("nope"), false}});
    KindSink curdir;
    CompilePathOptions path_options;
    CHECK(CompilePath({""}, path_options, curdir));
    CHECK(curdir.seen == std::vector<KindSink::Seen>{{MessageKind::SkippingCurdir, "", false}});
  }

  TEST_CASE("compile_path passes its options on") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string top = tree.Write("a/x.py", "x = 1\n");
    tree.Write("a/sub/y.py", "");
    CompilePathOptions options;
    options.quiet = 1;
    options.optimize = 2;
    options.invalidation_mode = xpyc::pyc::InvalidationMode::UncheckedHash;
    CollectingSink sink;
    CHECK(CompilePath({tree.Path("a")}, options, sink));
    CHECK(ReadAll(tree.Path("a/__pycache__/x.cpython-310.opt-2.pyc")) ==
          xpyc::pyc::BuildHeader(xpyc::pyc::HashHeader("x = 1\n", false)) + "code:" + top + ":12");
    CHECK_FALSE(fsys::exists(tree.Path("a/sub/__pycache__")));  // maxlevels 0
    options.maxlevels = 1;
    options.legacy = true;
    options.optimize = -1;
    CHECK(CompilePath({tree.Path("a")}, options, sink));
    CHECK(fsys::exists(tree.Path("a/sub/y.pyc")));
    CHECK(sink.messages.empty());
    // skip_curdir=False: '' is compiled like any directory (and cannot be listed).
    CompilePathOptions no_skip;
    no_skip.skip_curdir = false;
    CollectingSink listed;
    CHECK(CompilePath({""}, no_skip, listed));
    CHECK(listed.Stdout() == "Listing ''...\nCan't list ''\n");
  }

  TEST_CASE("py_compile: cfile, dfile, levels, invalidation modes and refusals") {
    FakeCompilerScope fake;
    TempTree tree;
    const std::string src = tree.Write("m.py", "x = 1\n");
    PyCompileRequest request;
    request.file = src;
    request.cfile = tree.Path("out/deeper/m.pyc");
    request.dfile = "/shown/m.py";
    request.optimize = 2;
    request.invalidation_mode = xpyc::pyc::InvalidationMode::UncheckedHash;
    PyCompileResult result = PyCompile(request);
    REQUIRE(result.status == PyCompileResult::Status::Ok);
    CHECK(result.cfile == tree.Path("out/deeper/m.pyc"));
    CHECK(result.written ==
          xpyc::pyc::BuildHeader(xpyc::pyc::HashHeader("x = 1\n", false)) + "code:/shown/m.py:12");
    CHECK(ReadAll(result.cfile) == result.written);

    PyCompileRequest defaults;
    defaults.file = src;
    ::setenv("SOURCE_DATE_EPOCH", "123456789", 1);
    result = PyCompile(defaults);
    ::unsetenv("SOURCE_DATE_EPOCH");
    REQUIRE(result.status == PyCompileResult::Status::Ok);
    CHECK(result.cfile == tree.Path("__pycache__/m.cpython-310.pyc"));
    CHECK(result.written.substr(0, 16) ==
          xpyc::pyc::BuildHeader(xpyc::pyc::HashHeader("x = 1\n", true)));

    PyCompileRequest bad_level;
    bad_level.file = src;
    bad_level.optimize = 3;
    result = PyCompile(bad_level);
    CHECK(result.status == PyCompileResult::Status::CompileError);
    CHECK(result.message == "Sorry: ValueError: compile(): invalid optimize value");

    PyCompileRequest devnull;
    devnull.file = src;
    devnull.cfile = "/dev/null";
    result = PyCompile(devnull);
    CHECK(result.status == PyCompileResult::Status::OsError);
    CHECK(result.os_error.type == "FileExistsError");
    CHECK(result.os_error.message ==
          "/dev/null is a non-regular file and will be changed into a regular one if import "
          "writes a byte-compiled file to it");
  }

  TEST_CASE("an interrupt stops between files and leaves no partial pyc") {
    FakeCompilerScope fake(InterruptingCompiler);
    TempTree tree;
    tree.Write("d/a.py", "a = 1\n");
    tree.Write("d/b.py", "stop\n");
    tree.Write("d/c.py", "c = 1\n");
    for (const int64_t workers : {1, 2}) {
      CAPTURE(workers);
      fsys::remove_all(tree.Path("d/__pycache__"));
      InterruptFlag().store(false);
      CompileOptions options;
      options.workers = workers;
      CollectingSink sink;
      CHECK_THROWS_AS(CompileDir(tree.Path("d"), options, sink), Interrupted);
      InterruptFlag().store(false);
      CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__/b.cpython-310.pyc")));
      if (workers == 1) {
        CHECK(fsys::exists(tree.Path("d/__pycache__/a.cpython-310.pyc")));
        CHECK_FALSE(fsys::exists(tree.Path("d/__pycache__/c.cpython-310.pyc")));
      }
      if (fsys::exists(tree.Path("d/__pycache__"))) {
        for (const auto& entry : fsys::directory_iterator(tree.Path("d/__pycache__"))) {
          CHECK(entry.path().extension() == ".pyc");  // no temporary file left behind
        }
      }
    }
  }

  TEST_CASE("RunOnLargeStack: a large stack for any caller, exceptions passed on") {
    size_t inner = 0;
    bool flagged = false;
    std::thread::id outer_id;
    std::thread::id nested_id;
    RunOnSmallStack(size_t{128} << 10, [&] {
      CHECK_FALSE(OnLargeStack());
      RunOnLargeStack([&] {
        inner = CurrentStackSize();
        flagged = OnLargeStack();
        outer_id = std::this_thread::get_id();
        RunOnLargeStack([&] { nested_id = std::this_thread::get_id(); });  // inline
      });
    });
    CHECK(inner >= kLargeStackSize);
    CHECK(flagged);
    CHECK(outer_id == nested_id);
    CHECK_THROWS_WITH_AS(RunOnLargeStack([] { throw std::runtime_error("passed on"); }),
                         "passed on", std::runtime_error);
  }

  TEST_CASE("deep inputs compile from a caller with a small stack, as CPython reports them") {
    // The real compiler: CPython's limits end these inputs, not the stack.
    TempTree tree;
    const std::string unary = tree.Write("unary.py", std::string(100000, '-') + "1\n");
    std::string sum = "1";
    for (int i = 0; i < 100000; ++i) sum += "+1";
    const std::string plus = tree.Write("plus.py", sum + "\n");
    const std::string lists =
        tree.Write("lists.py", "x = " + std::string(199, '[') + std::string(199, ']') + "\n");
    std::vector<PyCompileResult> results;
    RunOnSmallStack(size_t{256} << 10, [&] {
      for (const std::string& file : {unary, plus, lists}) {
        PyCompileRequest request;
        request.file = file;
        results.push_back(PyCompile(request));
      }
    });
    REQUIRE(results.size() == 3);
    CHECK(results[0].status == PyCompileResult::Status::CompileError);
    CHECK(results[0].message == "Sorry: MemoryError: ");
    CHECK(results[1].status == PyCompileResult::Status::CompileError);
    CHECK(results[1].message ==
          "Sorry: RecursionError: maximum recursion depth exceeded during compilation");
    CHECK(results[2].status == PyCompileResult::Status::Ok);
  }

  TEST_CASE("workers stop where one worker stops: at the first file compile_file raises for") {
    FakeCompilerScope fake;
    TempTree tree;
    for (const char* name : {"a", "b", "c", "d", "e"}) tree.Write(std::string("d/") + name + ".py", "");
    for (const int64_t workers : {1, 2, 4}) {
      CAPTURE(workers);
      fsys::remove_all(tree.Path("d/__pycache__"));
      CompileOptions options;
      options.workers = workers;
      options.stripdir = tree.Path("d/b.py");  // every part of d/b.py stripped: TypeError
      CollectingSink sink;
      CHECK_THROWS_AS(CompileDir(tree.Path("d"), options, sink), UncaughtPythonError);
      CHECK(fsys::exists(tree.Path("d/__pycache__/a.cpython-310.pyc")));
      for (const char* name : {"b", "c", "d", "e"}) {
        CHECK_FALSE(fsys::exists(tree.Path(std::string("d/__pycache__/") + name + ".cpython-310.pyc")));
      }
      CHECK(sink.Stdout() == "Listing '" + tree.Path("d") + "'...\nCompiling '" + tree.Path("d/a.py") +
                                 "'...\n");
    }
  }

  TEST_CASE("-x patterns: Python's re semantics on RE2") {
    const auto search = [](std::string_view pattern, std::string_view path) {
      const PythonRegex rx = CompilePythonRegex(pattern);
      REQUIRE(rx.failure == PythonRegex::Failure::None);
      return SearchPath(*rx.regex, path);
    };
    CHECK(search("\\w\\.py$", "caf\xc3\xa9.py"));        // U+00E9 is a word character
    CHECK(search("\\w\\.py$", "bi\xc2\xb2.py"));         // so is U+00B2 (No)
    CHECK_FALSE(search("\\d\\.py$", "bi\xc2\xb2.py"));   // but not a decimal
    CHECK(search("\\d\\.py$", "x\xd9\xa3.py"));          // U+0663 is
    CHECK(search("\\s\\.py$", "vt\x0b.py"));
    CHECK(search("\\s\\.py$", "sp\xe3\x80\x80.py"));     // U+3000
    CHECK(search("caf.\\.py$", "caf\xe9.py"));           // a lone surrogate is one character
    CHECK_FALSE(search("\\w\\.py$", "caf\xe9.py"));
    CHECK(search("[^a-z/.]\\.py$", "caf\xe9.py"));
    CHECK(search("[[:a]]", "a]"));                       // '[' is a literal inside a class
    CHECK_FALSE(search("[[:alpha:]]", "b"));
    CHECK(search("py\\Z", "m.py"));
    CHECK(search("\\u00e9|\\U0001F600", "\xc3\xa9"));
    CHECK(search("\\x41\\101[\\102]", "AAB"));
    CHECK(search("^a{,2}b$", "aab"));
    CHECK(search("(?i)MOD(?#note)", "pkg/mod.py"));
    CHECK(search("(?u:mod)", "mod"));
    CHECK(search("[\\b]", "\b"));

    const auto failure = [](std::string_view pattern) { return CompilePythonRegex(pattern); };
    PythonRegex bad = failure("\\p{L}");
    CHECK(bad.failure == PythonRegex::Failure::PythonError);
    CHECK(bad.message == "bad escape \\p at position 0");
    bad = failure("x\xc3\xa9\\q");
    CHECK(bad.message == "bad escape \\q at position 2");
    CHECK(failure("(x").failure == PythonRegex::Failure::PythonError);
    CHECK(failure("\\xZ").message == "incomplete escape \\x at position 0");
    for (const char* refused : {"(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "(a)\\1", "(?P<n>a)(?P=n)",
                                "(?(1)a|b)", "\\bmod", "a\\B", "[\\W]", "[\\S]", "\\N{BULLET}",
                                "(?x)a b", "(?a)\\w", "a{1001}"}) {
      CAPTURE(refused);
      CHECK(failure(refused).failure == PythonRegex::Failure::Unsupported);
    }
  }
}
