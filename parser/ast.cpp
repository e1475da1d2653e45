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

void Ast::Reserve(uint32_t tokens) {
  auto& exprs = static_cast<detail::Store<ExprNode>&>(nodes_).items;
  if (exprs.capacity() < tokens / 2) exprs.reserve(tokens / 2);
  auto& expr_lists = static_cast<detail::Store<ExprId>&>(lists_).items;
  if (expr_lists.capacity() < tokens / 4) expr_lists.reserve(tokens / 4);
}

}  // namespace xpyc::ast
