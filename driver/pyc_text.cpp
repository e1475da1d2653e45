#include "driver/pyc_text.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <deque>
#include <iterator>
#include <vector>

#include <fmt/format.h>

#include "codegen/opcodes.h"
#include "marshal/marshal.h"
#include "marshal/value.h"

namespace xpyc::driver {

namespace {

using marshal::Ref;
using marshal::Type;

constexpr std::string_view kMagic310 = "\x6f\x0d\x0d\x0a";
constexpr uint64_t kCanonicalNanBits = 0x7ff8000000000000ULL;
// Shared references can make a small file expand into a huge tree; stop
// rather than print forever.
constexpr size_t kMaxRenderedValues = 50'000'000;
constexpr uint8_t kExtendedArg = 144;
constexpr uint8_t kHaveArgument = 90;

struct DumpError {
  std::string message;
};

struct FlagName {
  uint32_t bit;
  const char* name;
};

constexpr FlagName kCodeFlags[] = {
    {0x1, "CO_OPTIMIZED"},
    {0x2, "CO_NEWLOCALS"},
    {0x4, "CO_VARARGS"},
    {0x8, "CO_VARKEYWORDS"},
    {0x10, "CO_NESTED"},
    {0x20, "CO_GENERATOR"},
    {0x40, "CO_NOFREE"},
    {0x80, "CO_COROUTINE"},
    {0x100, "CO_ITERABLE_COROUTINE"},
    {0x200, "CO_ASYNC_GENERATOR"},
    {0x20000, "CO_FUTURE_DIVISION"},
    {0x40000, "CO_FUTURE_ABSOLUTE_IMPORT"},
    {0x80000, "CO_FUTURE_WITH_STATEMENT"},
    {0x100000, "CO_FUTURE_PRINT_FUNCTION"},
    {0x200000, "CO_FUTURE_UNICODE_LITERALS"},
    {0x400000, "CO_FUTURE_BARRY_AS_BDFL"},
    {0x800000, "CO_FUTURE_GENERATOR_STOP"},
    {0x1000000, "CO_FUTURE_ANNOTATIONS"},
};

constexpr std::string_view kCompareOps[] = {"<", "<=", "==", "!=", ">", ">="};

uint32_t ReadLE32(std::string_view b) {
  uint32_t u = 0;
  for (int i = 3; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(b[i]);
  return u;
}

void AppendHex(std::string& out, std::string_view bytes, bool spaced) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (spaced && i) out.push_back(' ');
    auto c = static_cast<unsigned char>(bytes[i]);
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
}

bool IsOddNan(double d) {
  return std::isnan(d) && std::bit_cast<uint64_t>(d) != kCanonicalNanBits;
}

std::string FloatText(double d) {
  if (IsOddNan(d)) return fmt::format("nan[0x{:016x}]", std::bit_cast<uint64_t>(d));
  return marshal::FloatRepr(d);
}

std::string ComplexText(double re, double im) {
  std::string text = marshal::ComplexRepr(re, im);
  if (IsOddNan(re) || IsOddNan(im)) {
    text += fmt::format("[0x{:016x} 0x{:016x}]", std::bit_cast<uint64_t>(re),
                        std::bit_cast<uint64_t>(im));
  }
  return text;
}

// Line numbers per bytecode offset, from a 3.10 co_linetable: pairs of
// (unsigned offset delta, signed line delta), -128 meaning "no line".
class LineTable {
 public:
  LineTable(std::string_view table, int32_t firstlineno)
      : table_(table), line_(firstlineno) {}

  // Offsets must be asked in increasing order. Empty when there is no line.
  std::optional<int64_t> LineAt(uint64_t offset) {
    while (offset >= range_end_) {
      if (next_ + 2 > table_.size()) return std::nullopt;
      auto delta = static_cast<unsigned char>(table_[next_]);
      auto ldelta = static_cast<signed char>(table_[next_ + 1]);
      next_ += 2;
      range_start_ = range_end_;
      range_end_ += delta;
      if (ldelta == -128) {
        has_line_ = false;
      } else {
        line_ += ldelta;
        has_line_ = true;
      }
    }
    if (offset < range_start_ || !has_line_) return std::nullopt;
    return line_;
  }

 private:
  std::string_view table_;
  size_t next_ = 0;
  uint64_t range_start_ = 0;
  uint64_t range_end_ = 0;
  bool has_line_ = false;
  int64_t line_;
};

class PycPrinter {
 public:
  explicit PycPrinter(std::string& out) : out_(out) {}

  void DumpHeader(std::string_view header) {
    uint32_t flags = ReadLE32(header.substr(4, 4));
    fmt::format_to(std::back_inserter(out_), "magic {} ", ReadLE32(header) & 0xFFFF);
    AppendHex(out_, header.substr(0, 4), false);
    const char* kind = (flags & 1) == 0 ? "timestamp" : (flags & 2) ? "checked-hash" : "unchecked-hash";
    fmt::format_to(std::back_inserter(out_), "\nflags 0x{:08x} {}\n", flags, kind);
    if ((flags & 1) == 0) {
      fmt::format_to(std::back_inserter(out_), "mtime {}\nsource_size {}\n",
                     ReadLE32(header.substr(8, 4)), ReadLE32(header.substr(12, 4)));
    } else {
      out_ += "source_hash ";
      AppendHex(out_, header.substr(8, 8), false);
      out_ += "\n";
    }
  }

  void DumpRoot(Ref root) {
    if (root->type == Type::Code) {
      pending_.push_back({root, next_code_number_++, -1});
    } else {
      out_ += "root " + ValueText(root, true, -1) + "\n";
    }
    while (!pending_.empty()) {
      Pending p = pending_.front();
      pending_.pop_front();
      DumpCode(p);
    }
  }

 private:
  struct Pending {
    Ref code;
    int number;
    int parent;
  };

  // `numbered`: code objects get numbers and are queued for dumping;
  // otherwise (sort keys) they print by name only. The helpers append to
  // `out` and keep small frames: values may nest 2000 deep.
  std::string ValueText(Ref v, bool numbered, int parent) {
    std::string s;
    AppendValue(v, numbered, parent, s);
    return s;
  }

  [[gnu::noinline]] void AppendValue(Ref v, bool numbered, int parent, std::string& out) {
    if (++rendered_ > kMaxRenderedValues) TooManyValues();
    switch (v->type) {
      case Type::Null:
      case Type::None:
      case Type::True:
      case Type::False:
      case Type::Ellipsis:
      case Type::StopIteration:
      case Type::Int:
      case Type::Str:
      case Type::Bytes:
      case Type::Float:
      case Type::Complex:
        AppendLeaf(v, out);
        return;
      case Type::Tuple:
        out += "(";
        AppendItems(v->items, numbered, parent, out);
        out += v->items.size() == 1 ? ",)" : ")";
        return;
      case Type::List:
        out += "[";
        AppendItems(v->items, numbered, parent, out);
        out += "]";
        return;
      case Type::Dict:
        AppendDict(v->items, numbered, parent, out);
        return;
      case Type::Set:
        if (v->items.empty()) {
          out += "set()";
          return;
        }
        out += "{";
        AppendSortedItems(v->items, numbered, parent, out);
        out += "}";
        return;
      case Type::FrozenSet:
        if (v->items.empty()) {
          out += "frozenset()";
          return;
        }
        out += "frozenset({";
        AppendSortedItems(v->items, numbered, parent, out);
        out += "})";
        return;
      case Type::Code:
        AppendCodeReference(v, numbered, parent, out);
        return;
    }
  }

  [[noreturn, gnu::noinline]] static void TooManyValues() {
    throw DumpError{"shared references expand into too many values to dump"};
  }

  [[gnu::noinline]] static void AppendLeaf(Ref v, std::string& out) {
    if (v->type == Type::Float) {
      out += FloatText(v->real);
    } else if (v->type == Type::Complex) {
      out += ComplexText(v->real, v->imag);
    } else if (v->type == Type::Null) {
      out += "<NULL>";
    } else {
      out += marshal::Repr(v);
    }
  }

  [[gnu::noinline]] void AppendCodeReference(Ref v, bool numbered, int parent, std::string& out) {
    std::string_view name = v->code->name->data;
    if (!numbered) {
      fmt::format_to(std::back_inserter(out), "<code {}>", name);
      return;
    }
    int number = next_code_number_++;
    pending_.push_back({v, number, parent});
    fmt::format_to(std::back_inserter(out), "<code #{} {}>", number, name);
  }

  void AppendItems(std::span<const Ref> items, bool numbered, int parent, std::string& out) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      AppendValue(items[i], numbered, parent, out);
    }
  }

  void AppendDict(std::span<const Ref> kv, bool numbered, int parent, std::string& out) {
    out += "{";
    for (size_t i = 0; i + 1 < kv.size(); i += 2) {
      if (i) out += ", ";
      AppendValue(kv[i], numbered, parent, out);
      out += ": ";
      AppendValue(kv[i + 1], numbered, parent, out);
    }
    out += "}";
  }

  // Items sorted by their unnumbered text (byte order of UTF-8 equals code
  // point order, which is what the Python side sorts by).
  [[gnu::noinline]] void AppendSortedItems(std::span<const Ref> items, bool numbered, int parent,
                                           std::string& out) {
    std::vector<std::pair<std::string, Ref>> keyed(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      keyed[i].second = items[i];
      AppendValue(items[i], false, parent, keyed[i].first);
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < keyed.size(); ++i) {
      if (i) out += ", ";
      if (numbered) {
        AppendValue(keyed[i].second, true, parent, out);
      } else {
        out += keyed[i].first;
      }
    }
  }

  void Field(std::string_view name, int64_t value) {
    fmt::format_to(std::back_inserter(out_), "  {} {}\n", name, value);
  }

  void StrList(std::string_view name, Ref tuple) {
    fmt::format_to(std::back_inserter(out_), "  {} ({})\n", name, tuple->items.size());
    for (size_t i = 0; i < tuple->items.size(); ++i) {
      fmt::format_to(std::back_inserter(out_), "    {} {}\n", i, marshal::Repr(tuple->items[i]));
    }
  }

  void Flags(uint32_t flags) {
    fmt::format_to(std::back_inserter(out_), "  flags 0x{:08x}", flags);
    uint32_t rest = flags;
    char sep = ' ';
    for (const FlagName& f : kCodeFlags) {
      if (flags & f.bit) {
        out_.push_back(sep);
        out_ += f.name;
        sep = '|';
        rest &= ~f.bit;
      }
    }
    if (rest) fmt::format_to(std::back_inserter(out_), "{}0x{:x}", sep, rest);
    out_ += "\n";
  }

  void DumpCode(const Pending& p) {
    const marshal::CodeFields& c = *p.code->code;
    fmt::format_to(std::back_inserter(out_), "code #{} {}", p.number, c.name->data);
    if (p.parent >= 0) fmt::format_to(std::back_inserter(out_), " in #{}", p.parent);
    out_ += "\n";
    out_ += "  name " + marshal::Repr(c.name) + "\n";
    out_ += "  filename " + marshal::Repr(c.filename) + "\n";
    Field("firstlineno", c.firstlineno);
    Field("argcount", c.argcount);
    Field("posonlyargcount", c.posonlyargcount);
    Field("kwonlyargcount", c.kwonlyargcount);
    Field("nlocals", c.nlocals);
    Field("stacksize", c.stacksize);
    Flags(static_cast<uint32_t>(c.flags));
    std::vector<std::string> const_texts;
    const_texts.reserve(c.consts->items.size());
    fmt::format_to(std::back_inserter(out_), "  consts ({})\n", c.consts->items.size());
    for (size_t i = 0; i < c.consts->items.size(); ++i) {
      const_texts.push_back(ValueText(c.consts->items[i], true, p.number));
      fmt::format_to(std::back_inserter(out_), "    {} {}\n", i, const_texts.back());
    }
    StrList("names", c.names);
    StrList("varnames", c.varnames);
    StrList("freevars", c.freevars);
    StrList("cellvars", c.cellvars);
    fmt::format_to(std::back_inserter(out_), "  linetable ({}) ", c.linetable->data.size());
    AppendHex(out_, c.linetable->data, true);
    out_ += "\n";
    Disassemble(c, const_texts);
  }

  static std::string NameAt(Ref tuple, uint64_t index) {
    if (index >= tuple->items.size()) return "?";
    return marshal::Repr(tuple->items[index]);
  }

  std::string ResolveArg(const marshal::CodeFields& c, uint8_t op, uint32_t arg, uint64_t offset,
                         const std::vector<std::string>& const_texts) {
    uint16_t flags = codegen::OpcodeFlags(op);
    if (flags & codegen::kHasConst) return arg < const_texts.size() ? const_texts[arg] : "?";
    if (flags & codegen::kHasName) return NameAt(c.names, arg);
    if (flags & codegen::kHasLocal) return NameAt(c.varnames, arg);
    if (flags & codegen::kHasFree) {
      size_t ncell = c.cellvars->items.size();
      return arg < ncell ? NameAt(c.cellvars, arg) : NameAt(c.freevars, arg - ncell);
    }
    if (flags & codegen::kHasCompare) return arg < 6 ? std::string(kCompareOps[arg]) : "?";
    if (flags & codegen::kJumpRelative) return fmt::format("to {}", offset + 2 + uint64_t{arg} * 2);
    if (flags & codegen::kJumpAbsolute) return fmt::format("to {}", uint64_t{arg} * 2);
    return {};
  }

  void Disassemble(const marshal::CodeFields& c, const std::vector<std::string>& const_texts) {
    std::string_view code = c.code->data;
    fmt::format_to(std::back_inserter(out_), "  code ({})\n", code.size());
    LineTable lines(c.linetable->data, c.firstlineno);
    uint32_t carried = 0;  // argument prefix from preceding EXTENDED_ARGs
    size_t offset = 0;
    for (; offset + 2 <= code.size(); offset += 2) {
      auto op = static_cast<uint8_t>(code[offset]);
      auto raw = static_cast<uint8_t>(code[offset + 1]);
      uint32_t arg = raw | (carried << 8);
      carried = op == kExtendedArg ? arg : 0;
      std::optional<int64_t> line = lines.LineAt(offset);
      auto it = std::back_inserter(out_);
      fmt::format_to(it, "  {:6} L", offset);
      if (line) {
        fmt::format_to(it, "{}", *line);
      } else {
        out_.push_back('-');
      }
      std::string_view name = codegen::OpcodeName(op);
      if (name.empty()) {
        fmt::format_to(it, " <{}>", op);
      } else {
        fmt::format_to(it, " {}", name);
      }
      if (op < kHaveArgument) {
        if (raw != 0) fmt::format_to(it, " {}", raw);
        out_ += "\n";
        continue;
      }
      fmt::format_to(it, " {}", raw);
      if (arg != raw) fmt::format_to(it, " [{}]", arg);
      std::string resolved = ResolveArg(c, op, arg, offset, const_texts);
      if (!resolved.empty()) fmt::format_to(it, " ({})", resolved);
      out_ += "\n";
    }
    if (offset < code.size()) {
      fmt::format_to(std::back_inserter(out_), "  {:6} <trailing byte {:02x}>\n", offset,
                     static_cast<unsigned char>(code[offset]));
    }
  }

  std::string& out_;
  std::deque<Pending> pending_;
  int next_code_number_ = 0;
  size_t rendered_ = 0;
};

}  // namespace

bool DumpPycText(std::string_view file_bytes, std::string& out, std::string& error) {
  if (file_bytes.size() < 16) {
    error = fmt::format("truncated pyc header ({} bytes, 16 expected)", file_bytes.size());
    return false;
  }
  if (file_bytes.substr(0, 4) != kMagic310) {
    std::string found;
    AppendHex(found, file_bytes.substr(0, 4), false);
    error = fmt::format("bad magic number {} (CPython 3.10 writes 6f0d0d0a)", found);
    return false;
  }
  marshal::Heap heap;
  Ref root = marshal::Read(file_bytes.substr(16), heap, error);
  if (root == nullptr) return false;
  try {
    PycPrinter printer(out);
    printer.DumpHeader(file_bytes.substr(0, 16));
    printer.DumpRoot(root);
  } catch (const DumpError& e) {
    error = e.message;
    return false;
  }
  return true;
}

}  // namespace xpyc::driver
