#pragma once
// The Python 3.10 AST, built from the table in parser/ast.def (generated from
// the oracle's ast module by tools/gen_ast_def.py).
//
// Shape:
//  - Every ASDL type `t` has a record `<T>Node` stored in a flat vector of the
//    Ast, addressed by a typed 32-bit id `<T>Id` (`ExprId`, `StmtId`, ...).
//    Index 0 of every vector is a dummy, so a default id is None.
//  - A sum type's record (StmtNode, ExprNode, PatternNode, ...) holds `kind`,
//    the positions `pos` when the type has attributes, and a union with one
//    member per constructor, named like the constructor:
//        const ExprNode& e = ast[id];
//        if (e.kind == ExprKind::Call) use(e.Call.func, ast[e.Call.args]);
//  - A product type's record (ArgNode, KeywordNode, AliasNode, ...) holds its
//    fields directly (and `pos` when it has attributes).
//  - Field types: expr -> ExprId, identifier/string -> NameId (interned,
//    kNone when absent), int -> int32_t, constant -> marshal::Ref (from the
//    Ast's heap), simple sums -> small enums, `t*` -> Seq<TId>, a range into a
//    shared per-type array; read it with `ast[seq]` (a span).
//  - Positions are CPython's: 1-based lines, 0-based UTF-8 byte columns.
// Nothing in a node owns memory; the Ast owns everything.
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "lexer/interner.h"
#include "marshal/value.h"
#include "parser/ast.def"

namespace xpyc::ast {

template <class Node>
struct NodeId {
  uint32_t index = 0;  // 0 means None
  bool IsNone() const { return index == 0; }
  explicit operator bool() const { return index != 0; }
  friend bool operator==(NodeId, NodeId) = default;
};

// A list field: `count` items starting at `begin` in the Ast's array of T.
template <class T>
struct Seq {
  uint32_t begin = 0;
  uint32_t count = 0;
  uint32_t size() const { return count; }
  bool empty() const { return count == 0; }
};

struct Pos {
  int32_t lineno = 0;
  int32_t col_offset = 0;
  int32_t end_lineno = 0;
  int32_t end_col_offset = 0;
};

// Simple sums.
#define XPYC_AST_ENUMERATOR(name) name,
enum class ExprContext : uint8_t { XPYC_AST_ENUM_expr_context(XPYC_AST_ENUMERATOR) };
enum class BoolOperator : uint8_t { XPYC_AST_ENUM_boolop(XPYC_AST_ENUMERATOR) };
enum class Operator : uint8_t { XPYC_AST_ENUM_operator(XPYC_AST_ENUMERATOR) };
enum class UnaryOperator : uint8_t { XPYC_AST_ENUM_unaryop(XPYC_AST_ENUMERATOR) };
enum class CmpOperator : uint8_t { XPYC_AST_ENUM_cmpop(XPYC_AST_ENUMERATOR) };
#undef XPYC_AST_ENUMERATOR

struct ModNode;
struct StmtNode;
struct ExprNode;
struct PatternNode;
struct ExceptHandlerNode;
struct TypeIgnoreNode;
struct ArgumentsNode;
struct ArgNode;
struct KeywordNode;
struct AliasNode;
struct WithItemNode;
struct ComprehensionNode;
struct MatchCaseNode;

using ModId = NodeId<ModNode>;
using StmtId = NodeId<StmtNode>;
using ExprId = NodeId<ExprNode>;
using PatternId = NodeId<PatternNode>;
using ExceptHandlerId = NodeId<ExceptHandlerNode>;
using TypeIgnoreId = NodeId<TypeIgnoreNode>;
using ArgumentsId = NodeId<ArgumentsNode>;
using ArgId = NodeId<ArgNode>;
using KeywordId = NodeId<KeywordNode>;
using AliasId = NodeId<AliasNode>;
using WithItemId = NodeId<WithItemNode>;
using ComprehensionId = NodeId<ComprehensionNode>;
using MatchCaseId = NodeId<MatchCaseNode>;

// ASDL type name -> C++ type of a field holding one value.
#define XPYC_AST_T_mod ::xpyc::ast::ModId
#define XPYC_AST_T_stmt ::xpyc::ast::StmtId
#define XPYC_AST_T_expr ::xpyc::ast::ExprId
#define XPYC_AST_T_pattern ::xpyc::ast::PatternId
#define XPYC_AST_T_excepthandler ::xpyc::ast::ExceptHandlerId
#define XPYC_AST_T_type_ignore ::xpyc::ast::TypeIgnoreId
#define XPYC_AST_T_arguments ::xpyc::ast::ArgumentsId
#define XPYC_AST_T_arg ::xpyc::ast::ArgId
#define XPYC_AST_T_keyword ::xpyc::ast::KeywordId
#define XPYC_AST_T_alias ::xpyc::ast::AliasId
#define XPYC_AST_T_withitem ::xpyc::ast::WithItemId
#define XPYC_AST_T_comprehension ::xpyc::ast::ComprehensionId
#define XPYC_AST_T_match_case ::xpyc::ast::MatchCaseId
#define XPYC_AST_T_identifier ::xpyc::NameId
#define XPYC_AST_T_string ::xpyc::NameId
#define XPYC_AST_T_int int32_t
#define XPYC_AST_T_constant ::xpyc::marshal::Ref
#define XPYC_AST_T_expr_context ::xpyc::ast::ExprContext
#define XPYC_AST_T_boolop ::xpyc::ast::BoolOperator
#define XPYC_AST_T_operator ::xpyc::ast::Operator
#define XPYC_AST_T_unaryop ::xpyc::ast::UnaryOperator
#define XPYC_AST_T_cmpop ::xpyc::ast::CmpOperator

#define XPYC_AST_FIELD_TYPE_One(t) XPYC_AST_T_##t
#define XPYC_AST_FIELD_TYPE_Opt(t) XPYC_AST_T_##t
#define XPYC_AST_FIELD_TYPE_Seq(t) ::xpyc::ast::Seq<XPYC_AST_T_##t>
#define XPYC_AST_MEMBER(owner, name, t, mult) XPYC_AST_FIELD_TYPE_##mult(t) name{};

// Payload structs, one per constructor: CallFields, FunctionDefFields, ...
#define XPYC_AST_PAYLOAD(Name, fields) \
  struct Name##Fields {                \
    fields                             \
  };
XPYC_AST_mod(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
XPYC_AST_stmt(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
XPYC_AST_expr(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
XPYC_AST_pattern(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
XPYC_AST_excepthandler(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
XPYC_AST_type_ignore(XPYC_AST_PAYLOAD, XPYC_AST_MEMBER)
#undef XPYC_AST_PAYLOAD

// Kind enums of the sums: ExprKind::Call, StmtKind::If, ...
#define XPYC_AST_KIND(Name, fields) Name,
enum class ModKind : uint8_t { XPYC_AST_mod(XPYC_AST_KIND, XPYC_AST_MEMBER) };
enum class StmtKind : uint8_t { XPYC_AST_stmt(XPYC_AST_KIND, XPYC_AST_MEMBER) };
enum class ExprKind : uint8_t { XPYC_AST_expr(XPYC_AST_KIND, XPYC_AST_MEMBER) };
enum class PatternKind : uint8_t { XPYC_AST_pattern(XPYC_AST_KIND, XPYC_AST_MEMBER) };
enum class ExceptHandlerKind : uint8_t {
  XPYC_AST_excepthandler(XPYC_AST_KIND, XPYC_AST_MEMBER)
};
enum class TypeIgnoreKind : uint8_t { XPYC_AST_type_ignore(XPYC_AST_KIND, XPYC_AST_MEMBER) };
#undef XPYC_AST_KIND

// The records of sum types. The constructor value-initialises the first union
// member, so a default record is a zeroed first constructor.
#define XPYC_AST_UNION_MEMBER(Name, fields) Name##Fields Name;
#define XPYC_AST_SUM_RECORD(Record, Kind, table, FirstCtor, positions) \
  struct Record {                                                      \
    Record() : first_{} {}                                             \
    Kind kind{};                                                       \
    positions                                                          \
    union {                                                            \
      FirstCtor##Fields first_;                                        \
      table(XPYC_AST_UNION_MEMBER, XPYC_AST_MEMBER)                    \
    };                                                                 \
  };
XPYC_AST_SUM_RECORD(ModNode, ModKind, XPYC_AST_mod, Module, )
XPYC_AST_SUM_RECORD(StmtNode, StmtKind, XPYC_AST_stmt, Pass, Pos pos;)
XPYC_AST_SUM_RECORD(ExprNode, ExprKind, XPYC_AST_expr, Name, Pos pos;)
XPYC_AST_SUM_RECORD(PatternNode, PatternKind, XPYC_AST_pattern, MatchStar, Pos pos;)
XPYC_AST_SUM_RECORD(ExceptHandlerNode, ExceptHandlerKind, XPYC_AST_excepthandler,
                    ExceptHandler, Pos pos;)
XPYC_AST_SUM_RECORD(TypeIgnoreNode, TypeIgnoreKind, XPYC_AST_type_ignore, TypeIgnore, )
#undef XPYC_AST_SUM_RECORD
#undef XPYC_AST_UNION_MEMBER

// The records of product types.
struct ArgumentsNode { XPYC_AST_PRODUCT_arguments(XPYC_AST_MEMBER) };
struct ArgNode { XPYC_AST_PRODUCT_arg(XPYC_AST_MEMBER) Pos pos; };
struct KeywordNode { XPYC_AST_PRODUCT_keyword(XPYC_AST_MEMBER) Pos pos; };
struct AliasNode { XPYC_AST_PRODUCT_alias(XPYC_AST_MEMBER) Pos pos; };
struct WithItemNode { XPYC_AST_PRODUCT_withitem(XPYC_AST_MEMBER) };
struct ComprehensionNode { XPYC_AST_PRODUCT_comprehension(XPYC_AST_MEMBER) };
struct MatchCaseNode { XPYC_AST_PRODUCT_match_case(XPYC_AST_MEMBER) };
static_assert(XPYC_AST_HAS_ATTRIBUTES_arg && XPYC_AST_HAS_ATTRIBUTES_keyword &&
              XPYC_AST_HAS_ATTRIBUTES_alias && !XPYC_AST_HAS_ATTRIBUTES_arguments &&
              !XPYC_AST_HAS_ATTRIBUTES_withitem && !XPYC_AST_HAS_ATTRIBUTES_comprehension &&
              !XPYC_AST_HAS_ATTRIBUTES_match_case);

namespace detail {
template <class T>
struct Store {
  std::vector<T> items;
};
template <class... Ts>
struct Stores : Store<Ts>... {};
}  // namespace detail

// One parsed file: all nodes, all lists, the names and the constants.
class Ast {
 public:
  Ast();
  Ast(const Ast&) = delete;
  Ast& operator=(const Ast&) = delete;

  template <class N>
  const N& operator[](NodeId<N> id) const {
    return static_cast<const detail::Store<N>&>(nodes_).items[id.index];
  }
  template <class N>
  N& operator[](NodeId<N> id) {
    return static_cast<detail::Store<N>&>(nodes_).items[id.index];
  }
  template <class T>
  std::span<const T> operator[](Seq<T> seq) const {
    const auto& v = static_cast<const detail::Store<T>&>(lists_).items;
    return {v.data() + seq.begin, seq.count};
  }

  // Appends a node and returns its id.
  template <class N>
  NodeId<N> Add(const N& node) {
    auto& v = static_cast<detail::Store<N>&>(nodes_).items;
    v.push_back(node);
    return NodeId<N>{static_cast<uint32_t>(v.size() - 1)};
  }
  // Appends a list and returns its range.
  template <class T>
  Seq<T> AddList(std::span<const T> items) {
    auto& v = static_cast<detail::Store<T>&>(lists_).items;
    Seq<T> seq{static_cast<uint32_t>(v.size()), static_cast<uint32_t>(items.size())};
    v.insert(v.end(), items.begin(), items.end());
    return seq;
  }
  template <class N>
  uint32_t NodeCount() const {
    return static_cast<uint32_t>(
        static_cast<const detail::Store<N>&>(nodes_).items.size());
  }

  // Capacity hint from the token count (avoids regrowing the big vectors).
  void Reserve(uint32_t tokens);

  Interner& names() { return *names_; }
  const Interner& names() const { return *names_; }
  std::string_view Spelling(NameId id) const { return names_->Spelling(id); }
  marshal::Heap& heap() { return *heap_; }

  ModId root;  // the Module

 private:
  detail::Stores<ModNode, StmtNode, ExprNode, PatternNode, ExceptHandlerNode,
                 TypeIgnoreNode, ArgumentsNode, ArgNode, KeywordNode, AliasNode,
                 WithItemNode, ComprehensionNode, MatchCaseNode>
      nodes_;
  detail::Stores<StmtId, ExprId, PatternId, ExceptHandlerId, TypeIgnoreId, ArgId,
                 KeywordId, AliasId, WithItemId, ComprehensionId, MatchCaseId,
                 NameId, CmpOperator>
      lists_;
  std::unique_ptr<Interner> names_;
  std::unique_ptr<marshal::Heap> heap_;
};

}  // namespace xpyc::ast
