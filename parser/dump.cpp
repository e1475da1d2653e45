// ast.dump(tree, include_attributes=True) as CPython 3.10 prints it, driven by
// the node table in parser/ast.def. Iterative (an explicit stack), so any
// depth the parser accepts can be dumped.
#include <cstddef>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "parser/parse.h"

namespace xpyc::parse {

using namespace xpyc::ast;

namespace {

enum class FieldType : uint8_t {
  Mod, Stmt, Expr, Pattern, ExceptHandler, TypeIgnore, Arguments, Arg, Keyword, Alias,
  WithItem, Comprehension, MatchCase,
  Identifier, String, Int, Constant, ExprContext, BoolOp, Operator, UnaryOp, CmpOp,
};
enum class Mult : uint8_t { One, Opt, Seq };

struct FieldDesc {
  const char* name;
  FieldType type;
  Mult mult;
  size_t offset;  // within the payload struct
};

struct NodeDesc {
  const char* name;
  std::span<const FieldDesc> fields;
  bool has_attributes;
};

#define XPYC_FT_mod FieldType::Mod
#define XPYC_FT_stmt FieldType::Stmt
#define XPYC_FT_expr FieldType::Expr
#define XPYC_FT_pattern FieldType::Pattern
#define XPYC_FT_excepthandler FieldType::ExceptHandler
#define XPYC_FT_type_ignore FieldType::TypeIgnore
#define XPYC_FT_arguments FieldType::Arguments
#define XPYC_FT_arg FieldType::Arg
#define XPYC_FT_keyword FieldType::Keyword
#define XPYC_FT_alias FieldType::Alias
#define XPYC_FT_withitem FieldType::WithItem
#define XPYC_FT_comprehension FieldType::Comprehension
#define XPYC_FT_match_case FieldType::MatchCase
#define XPYC_FT_identifier FieldType::Identifier
#define XPYC_FT_string FieldType::String
#define XPYC_FT_int FieldType::Int
#define XPYC_FT_constant FieldType::Constant
#define XPYC_FT_expr_context FieldType::ExprContext
#define XPYC_FT_boolop FieldType::BoolOp
#define XPYC_FT_operator FieldType::Operator
#define XPYC_FT_unaryop FieldType::UnaryOp
#define XPYC_FT_cmpop FieldType::CmpOp

// Field tables of sum constructors: k<Name>Fields.
#define XPYC_SUM_FIELD(owner, name, t, mult) \
  FieldDesc{#name, XPYC_FT_##t, Mult::mult, offsetof(owner##Fields, name)},
#define XPYC_SUM_TABLE(Name, fields) \
  [[maybe_unused]] constexpr FieldDesc k##Name##Fields[] = {fields FieldDesc{nullptr, FieldType::Int, Mult::One, 0}};
XPYC_AST_mod(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
XPYC_AST_stmt(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
XPYC_AST_expr(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
XPYC_AST_pattern(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
XPYC_AST_excepthandler(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
XPYC_AST_type_ignore(XPYC_SUM_TABLE, XPYC_SUM_FIELD)
#undef XPYC_SUM_TABLE
#undef XPYC_SUM_FIELD

// The tables end with a sentinel (so that field-less constructors compile);
// FieldsOf drops it.
template <size_t N>
constexpr std::span<const FieldDesc> FieldsOf(const FieldDesc (&table)[N]) {
  return {table, N - 1};
}

#define XPYC_SUM_DESC(Name, fields) NodeDesc{#Name, FieldsOf(k##Name##Fields), kAttrs},
constexpr bool kModAttrs = XPYC_AST_HAS_ATTRIBUTES_mod;
constexpr bool kStmtAttrs = XPYC_AST_HAS_ATTRIBUTES_stmt;
constexpr bool kExprAttrs = XPYC_AST_HAS_ATTRIBUTES_expr;
constexpr bool kPatternAttrs = XPYC_AST_HAS_ATTRIBUTES_pattern;
constexpr bool kHandlerAttrs = XPYC_AST_HAS_ATTRIBUTES_excepthandler;
constexpr bool kTypeIgnoreAttrs = XPYC_AST_HAS_ATTRIBUTES_type_ignore;
#define kAttrs kModAttrs
constexpr NodeDesc kModDescs[] = {XPYC_AST_mod(XPYC_SUM_DESC, )};
#undef kAttrs
#define kAttrs kStmtAttrs
constexpr NodeDesc kStmtDescs[] = {XPYC_AST_stmt(XPYC_SUM_DESC, )};
#undef kAttrs
#define kAttrs kExprAttrs
constexpr NodeDesc kExprDescs[] = {XPYC_AST_expr(XPYC_SUM_DESC, )};
#undef kAttrs
#define kAttrs kPatternAttrs
constexpr NodeDesc kPatternDescs[] = {XPYC_AST_pattern(XPYC_SUM_DESC, )};
#undef kAttrs
#define kAttrs kHandlerAttrs
constexpr NodeDesc kHandlerDescs[] = {XPYC_AST_excepthandler(XPYC_SUM_DESC, )};
#undef kAttrs
#define kAttrs kTypeIgnoreAttrs
constexpr NodeDesc kTypeIgnoreDescs[] = {XPYC_AST_type_ignore(XPYC_SUM_DESC, )};
#undef kAttrs
#undef XPYC_SUM_DESC

// Product types: fields are members of the record itself.
#define XPYC_PRODUCT_FIELD(owner, name, t, mult) \
  FieldDesc{#name, XPYC_FT_##t, Mult::mult, offsetof(Record, name)},
#define XPYC_PRODUCT_DESC(asdl, RecordType)                                                 \
  struct asdl##_table {                                                                     \
    using Record = RecordType;                                                              \
    static constexpr FieldDesc fields[] = {XPYC_AST_PRODUCT_##asdl(XPYC_PRODUCT_FIELD)};    \
    static constexpr NodeDesc desc{#asdl, fields, XPYC_AST_HAS_ATTRIBUTES_##asdl};          \
  };
XPYC_PRODUCT_DESC(arguments, ArgumentsNode)
XPYC_PRODUCT_DESC(arg, ArgNode)
XPYC_PRODUCT_DESC(keyword, KeywordNode)
XPYC_PRODUCT_DESC(alias, AliasNode)
XPYC_PRODUCT_DESC(withitem, WithItemNode)
XPYC_PRODUCT_DESC(comprehension, ComprehensionNode)
XPYC_PRODUCT_DESC(match_case, MatchCaseNode)
#undef XPYC_PRODUCT_DESC
#undef XPYC_PRODUCT_FIELD

#define XPYC_ENUM_NAME(name) #name "()",
constexpr const char* kExprContextNames[] = {XPYC_AST_ENUM_expr_context(XPYC_ENUM_NAME)};
constexpr const char* kBoolOpNames[] = {XPYC_AST_ENUM_boolop(XPYC_ENUM_NAME)};
constexpr const char* kOperatorNames[] = {XPYC_AST_ENUM_operator(XPYC_ENUM_NAME)};
constexpr const char* kUnaryOpNames[] = {XPYC_AST_ENUM_unaryop(XPYC_ENUM_NAME)};
constexpr const char* kCmpOpNames[] = {XPYC_AST_ENUM_cmpop(XPYC_ENUM_NAME)};
#undef XPYC_ENUM_NAME

// One node to print: its descriptor, the address of its fields and its
// positions (if any).
struct NodeView {
  const NodeDesc* desc = nullptr;
  const char* base = nullptr;
  const Pos* pos = nullptr;
};

template <class T>
T ReadAt(const char* base, size_t offset) {
  T value;
  std::memcpy(&value, base + offset, sizeof(T));
  return value;
}

class Dumper {
 public:
  explicit Dumper(const Ast& tree) : tree_(tree) {}

  std::string Run(ModId root) {
    OpenNode(FieldType::Mod, root.index);
    while (!stack_.empty()) Step();
    return std::move(out_);
  }

 private:
  struct Frame {
    bool is_list = false;
    FieldType type = FieldType::Mod;
    NodeView node;          // node frames
    uint32_t next = 0;      // next field (node) or item (list)
    uint32_t printed = 0;   // fields printed so far (node)
    Seq<uint32_t> items;    // list frames: range in the list array of `type`
  };

  NodeView View(FieldType type, uint32_t index) const {
    auto sum = [](const auto& node, const NodeDesc* descs) {
      return NodeView{&descs[static_cast<size_t>(node.kind)],
                      reinterpret_cast<const char*>(&node.first_), nullptr};
    };
    auto product = [](const auto& node, const NodeDesc& desc, const Pos* pos) {
      return NodeView{&desc, reinterpret_cast<const char*>(&node), pos};
    };
    switch (type) {
      case FieldType::Mod: return sum(tree_[ModId{index}], kModDescs);
      case FieldType::Stmt: {
        const auto& n = tree_[StmtId{index}];
        NodeView v = sum(n, kStmtDescs);
        v.pos = &n.pos;
        return v;
      }
      case FieldType::Expr: {
        const auto& n = tree_[ExprId{index}];
        NodeView v = sum(n, kExprDescs);
        v.pos = &n.pos;
        return v;
      }
      case FieldType::Pattern: {
        const auto& n = tree_[PatternId{index}];
        NodeView v = sum(n, kPatternDescs);
        v.pos = &n.pos;
        return v;
      }
      case FieldType::ExceptHandler: {
        const auto& n = tree_[ExceptHandlerId{index}];
        NodeView v = sum(n, kHandlerDescs);
        v.pos = &n.pos;
        return v;
      }
      case FieldType::TypeIgnore: return sum(tree_[TypeIgnoreId{index}], kTypeIgnoreDescs);
      case FieldType::Arguments:
        return product(tree_[ArgumentsId{index}], arguments_table::desc, nullptr);
      case FieldType::Arg: {
        const auto& n = tree_[ArgId{index}];
        return product(n, arg_table::desc, &n.pos);
      }
      case FieldType::Keyword: {
        const auto& n = tree_[KeywordId{index}];
        return product(n, keyword_table::desc, &n.pos);
      }
      case FieldType::Alias: {
        const auto& n = tree_[AliasId{index}];
        return product(n, alias_table::desc, &n.pos);
      }
      case FieldType::WithItem:
        return product(tree_[WithItemId{index}], withitem_table::desc, nullptr);
      case FieldType::Comprehension:
        return product(tree_[ComprehensionId{index}], comprehension_table::desc, nullptr);
      case FieldType::MatchCase:
        return product(tree_[MatchCaseId{index}], match_case_table::desc, nullptr);
      case FieldType::Identifier:
      case FieldType::String:
      case FieldType::Int:
      case FieldType::Constant:
      case FieldType::ExprContext:
      case FieldType::BoolOp:
      case FieldType::Operator:
      case FieldType::UnaryOp:
      case FieldType::CmpOp:
        break;
    }
    return NodeView{};
  }

  static bool IsNodeType(FieldType t) { return t <= FieldType::MatchCase; }

  // The raw 32-bit item `i` of a list of `type`.
  uint32_t ListItem(FieldType type, Seq<uint32_t> items, uint32_t i) const {
    auto get = [&](auto tag) {
      using T = decltype(tag);
      Seq<T> seq{items.begin, items.count};
      return tree_[seq][i];
    };
    switch (type) {
      case FieldType::Stmt: return get(StmtId{}).index;
      case FieldType::Expr: return get(ExprId{}).index;
      case FieldType::Pattern: return get(PatternId{}).index;
      case FieldType::ExceptHandler: return get(ExceptHandlerId{}).index;
      case FieldType::TypeIgnore: return get(TypeIgnoreId{}).index;
      case FieldType::Arg: return get(ArgId{}).index;
      case FieldType::Keyword: return get(KeywordId{}).index;
      case FieldType::Alias: return get(AliasId{}).index;
      case FieldType::WithItem: return get(WithItemId{}).index;
      case FieldType::Comprehension: return get(ComprehensionId{}).index;
      case FieldType::MatchCase: return get(MatchCaseId{}).index;
      case FieldType::Identifier:
      case FieldType::String: return get(NameId{}).index;
      case FieldType::CmpOp: return static_cast<uint32_t>(get(CmpOperator{}));
      case FieldType::Mod:
      case FieldType::Arguments:
      case FieldType::Int:
      case FieldType::Constant:
      case FieldType::ExprContext:
      case FieldType::BoolOp:
      case FieldType::Operator:
      case FieldType::UnaryOp:
        break;
    }
    return 0;
  }

  void OpenNode(FieldType type, uint32_t index) {
    Frame f;
    f.type = type;
    f.node = View(type, index);
    out_ += f.node.desc->name;
    out_ += '(';
    stack_.push_back(f);
  }

  void PrintName(NameId id) { out_ += marshal::StrRepr(tree_.Spelling(id)); }

  // Prints a scalar field value, or opens the node / list it holds.
  void PrintValue(FieldType type, Mult mult, const char* base, size_t offset) {
    if (mult == Mult::Seq) {
      auto seq = ReadAt<Seq<uint32_t>>(base, offset);
      if (seq.count == 0) {
        out_ += "[]";
        return;
      }
      out_ += '[';
      Frame f;
      f.is_list = true;
      f.type = type;
      f.items = seq;
      stack_.push_back(f);
      return;
    }
    switch (type) {
      case FieldType::Identifier:
      case FieldType::String: PrintName(ReadAt<NameId>(base, offset)); return;
      case FieldType::Int: fmt::format_to(std::back_inserter(out_), "{}", ReadAt<int32_t>(base, offset)); return;
      case FieldType::Constant: out_ += marshal::Repr(ReadAt<marshal::Ref>(base, offset)); return;
      case FieldType::ExprContext:
        out_ += kExprContextNames[ReadAt<uint8_t>(base, offset)];
        return;
      case FieldType::BoolOp: out_ += kBoolOpNames[ReadAt<uint8_t>(base, offset)]; return;
      case FieldType::Operator: out_ += kOperatorNames[ReadAt<uint8_t>(base, offset)]; return;
      case FieldType::UnaryOp: out_ += kUnaryOpNames[ReadAt<uint8_t>(base, offset)]; return;
      case FieldType::CmpOp: out_ += kCmpOpNames[ReadAt<uint8_t>(base, offset)]; return;
      case FieldType::Mod:
      case FieldType::Stmt:
      case FieldType::Expr:
      case FieldType::Pattern:
      case FieldType::ExceptHandler:
      case FieldType::TypeIgnore:
      case FieldType::Arguments:
      case FieldType::Arg:
      case FieldType::Keyword:
      case FieldType::Alias:
      case FieldType::WithItem:
      case FieldType::Comprehension:
      case FieldType::MatchCase: {
        uint32_t index = ReadAt<uint32_t>(base, offset);
        if (index == 0) {
          out_ += "None";
          return;
        }
        OpenNode(type, index);
        return;
      }
    }
  }

  static bool IsAbsent(const FieldDesc& f, const char* base) {
    if (f.mult != Mult::Opt) return false;
    switch (f.type) {
      case FieldType::Identifier:
      case FieldType::String: return ReadAt<NameId>(base, f.offset).IsNone();
      case FieldType::Int: return false;
      case FieldType::Constant: return ReadAt<marshal::Ref>(base, f.offset) == nullptr;
      default: return IsNodeType(f.type) && ReadAt<uint32_t>(base, f.offset) == 0;
    }
  }

  void Step() {
    size_t top = stack_.size() - 1;
    if (stack_[top].is_list) {
      Frame& f = stack_[top];
      if (f.next == f.items.count) {
        out_ += ']';
        stack_.pop_back();
        return;
      }
      if (f.next > 0) out_ += ", ";
      uint32_t item = ListItem(f.type, f.items, f.next++);
      if (IsNodeType(f.type)) {
        if (item == 0) {
          out_ += "None";
        } else {
          OpenNode(f.type, item);
        }
      } else if (f.type == FieldType::CmpOp) {
        out_ += kCmpOpNames[item];
      } else {
        PrintName(NameId{item});
      }
      return;
    }
    Frame& f = stack_[top];
    const NodeView node = f.node;
    while (f.next < node.desc->fields.size()) {
      const FieldDesc& field = node.desc->fields[f.next++];
      if (IsAbsent(field, node.base)) continue;
      if (f.printed++ > 0) out_ += ", ";
      out_ += field.name;
      out_ += '=';
      // May push a frame: `f` is not used after this.
      PrintValue(field.type, field.mult, node.base, field.offset);
      return;
    }
    if (node.desc->has_attributes && node.pos) {
      const Pos& p = *node.pos;
      fmt::format_to(std::back_inserter(out_),
                     "{}lineno={}, col_offset={}, end_lineno={}, end_col_offset={}",
                     f.printed > 0 ? ", " : "", p.lineno, p.col_offset, p.end_lineno,
                     p.end_col_offset);
    }
    out_ += ')';
    stack_.pop_back();
  }

  const Ast& tree_;
  std::string out_;
  std::vector<Frame> stack_;
};

}  // namespace

std::string DumpAst(const ast::Ast& tree) { return Dumper(tree).Run(tree.root); }

}  // namespace xpyc::parse
