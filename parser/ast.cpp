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

}  // namespace xpyc::ast
