#include "parser/ast.h"

namespace xpyc::ast {

Ast::Ast()
    : names_(std::make_unique<Interner>()), heap_(std::make_unique<marshal::Heap>()) {
  // Index 0 of every node vector is the None id.
  Add(ModNode{});
  Add(StmtNode{});
  Add(ExprNode{});
  Add(PatternNode{});
  Add(ExceptHandlerNode{});
  Add(TypeIgnoreNode{});
  Add(ArgumentsNode{});
  Add(ArgNode{});
  Add(KeywordNode{});
  Add(AliasNode{});
  Add(WithItemNode{});
  Add(ComprehensionNode{});
  Add(MatchCaseNode{});
}

namespace {
template <class T, class Stores>
void ReserveAtLeast(Stores& stores, size_t n) {
  auto& v = static_cast<detail::Store<T>&>(stores).items;
  if (v.capacity() < n) v.reserve(n);
}
}  // namespace

void Ast::Reserve(uint32_t tokens) {
  // Typical ratios in the stdlib: about one expression per two tokens, one
  // statement per ten.
  ReserveAtLeast<ExprNode>(nodes_, tokens / 2);
  ReserveAtLeast<StmtNode>(nodes_, tokens / 10);
  ReserveAtLeast<ExprId>(lists_, tokens / 4);
  ReserveAtLeast<StmtId>(lists_, tokens / 10);
}

}  // namespace xpyc::ast
