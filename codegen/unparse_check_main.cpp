// Developer check (not built by default), fed by tools/check_unparse.py and
// run by the golden stage testdata/unparse:
//   xpyc_unparse_check FILE...
// For each file prints "FILE <path>" and then one line per annotation (of a
// parameter, a return, an annotated assignment), ordered by position:
//   "<line>:<col> <repr of UnparseAnnotation>"
// or "<line>:<col> ERROR ValueError" where CPython's unparse raises; or the
// single line "ERROR <class>: <message>" when the file does not parse.
#include <algorithm>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "codegen/unparse.h"
#include "parser/parse.h"

namespace {

using namespace xpyc;
using namespace xpyc::ast;

std::string ReadFile(const char* path, bool& ok) {
  std::string bytes;
  FILE* f = std::fopen(path, "rb");
  ok = f != nullptr;
  if (!f) return bytes;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
  std::fclose(f);
  return bytes;
}

// Every annotation expression of a tree, found by walking the statements.
class AnnotationFinder {
 public:
  explicit AnnotationFinder(const Ast& tree) : tree_(tree) {}

  std::vector<ExprId> Find() {
    Body(tree_[tree_.root].Module.body);
    std::sort(found_.begin(), found_.end(), [&](ExprId a, ExprId b) {
      const Pos& pa = tree_[a].pos;
      const Pos& pb = tree_[b].pos;
      return std::tie(pa.lineno, pa.col_offset) < std::tie(pb.lineno, pb.col_offset);
    });
    return found_;
  }

 private:
  void Body(Seq<StmtId> body) {
    for (StmtId id : tree_[body]) Stmt(id);
  }
  void Add(ExprId id) {
    if (id) found_.push_back(id);
  }
  void Arg(ArgId id) {
    if (id) Add(tree_[id].annotation);
  }
  void Arguments(ArgumentsId id) {
    const ArgumentsNode& args = tree_[id];
    for (ArgId a : tree_[args.posonlyargs]) Arg(a);
    for (ArgId a : tree_[args.args]) Arg(a);
    Arg(args.vararg);
    for (ArgId a : tree_[args.kwonlyargs]) Arg(a);
    Arg(args.kwarg);
  }
  void Stmt(StmtId id) {
    const StmtNode& s = tree_[id];
    switch (s.kind) {
      case StmtKind::FunctionDef:
        Arguments(s.FunctionDef.args);
        Add(s.FunctionDef.returns);
        return Body(s.FunctionDef.body);
      case StmtKind::AsyncFunctionDef:
        Arguments(s.AsyncFunctionDef.args);
        Add(s.AsyncFunctionDef.returns);
        return Body(s.AsyncFunctionDef.body);
      case StmtKind::ClassDef: return Body(s.ClassDef.body);
      case StmtKind::AnnAssign: return Add(s.AnnAssign.annotation);
      case StmtKind::For:
        Body(s.For.body);
        return Body(s.For.orelse);
      case StmtKind::AsyncFor:
        Body(s.AsyncFor.body);
        return Body(s.AsyncFor.orelse);
      case StmtKind::While:
        Body(s.While.body);
        return Body(s.While.orelse);
      case StmtKind::If:
        Body(s.If.body);
        return Body(s.If.orelse);
      case StmtKind::With: return Body(s.With.body);
      case StmtKind::AsyncWith: return Body(s.AsyncWith.body);
      case StmtKind::Match:
        for (MatchCaseId c : tree_[s.Match.cases]) Body(tree_[c].body);
        return;
      case StmtKind::Try:
        Body(s.Try.body);
        for (ExceptHandlerId h : tree_[s.Try.handlers]) Body(tree_[h].ExceptHandler.body);
        Body(s.Try.orelse);
        return Body(s.Try.finalbody);
      case StmtKind::Return:
      case StmtKind::Delete:
      case StmtKind::Assign:
      case StmtKind::AugAssign:
      case StmtKind::Raise:
      case StmtKind::Assert:
      case StmtKind::Import:
      case StmtKind::ImportFrom:
      case StmtKind::Global:
      case StmtKind::Nonlocal:
      case StmtKind::Expr:
      case StmtKind::Pass:
      case StmtKind::Break:
      case StmtKind::Continue:
        return;
    }
  }

  const Ast& tree_;
  std::vector<ExprId> found_;
};

std::string Report(const Ast& tree) {
  std::string out;
  for (ExprId id : AnnotationFinder(tree).Find()) {
    const Pos& pos = tree[id].pos;
    auto text = codegen::TryUnparseAnnotation(tree, id);
    out += fmt::format("{}:{} {}\n", pos.lineno, pos.col_offset,
                       text ? marshal::StrRepr(*text) : std::string("ERROR ValueError"));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string out = fmt::format("FILE {}\n", argv[i]);
    bool ok = false;
    std::string bytes = ReadFile(argv[i], ok);
    Diagnostics diag;
    auto tree = ok ? parse::ParseBytes(bytes, argv[i], diag) : nullptr;
    if (!tree) {
      const auto& error = diag.error();
      out += fmt::format("ERROR {}: {}\n", error ? ErrorClassName(error->cls) : "IOError",
                         error ? error->message : "unreadable");
    } else {
      out += Report(*tree);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
  }
  return 0;
}
