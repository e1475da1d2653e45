// marshal version 4 reader. Accepts everything CPython 3.10 writes and
// reports malformed input with the messages CPython's marshal uses where
// there is one. Every read is bounds-checked and nesting is limited.
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>

#include "marshal/marshal.h"
#include "marshal/type_codes.h"
#include "marshal/utf8.h"
#include "lexer/unicode.h"

namespace xpyc::marshal {

namespace {

constexpr int kMaxDepth = 2000;  // CPython's MAX_MARSHAL_STACK_DEPTH
constexpr int64_t kSize32Max = 0x7FFFFFFF;

// Thrown only inside this file and caught in Read().
struct MarshalError {
  std::string message;
};

// Kept out of line (like the per-kind readers below) so that the frames on
// the recursive path stay small: 2000 nested levels must fit in the stack
// even in sanitizer builds.
[[noreturn, gnu::noinline]] void Fail(const char* message) { throw MarshalError{message}; }
[[noreturn, gnu::noinline]] void Fail(const char* format, const char* what) {
  throw MarshalError{fmt::format(fmt::runtime(format), what)};
}

std::string Latin1ToUtf8(std::string_view latin1) {
  std::string out;
  out.reserve(latin1.size() * 2);
  for (char c : latin1) lex::unicode::AppendUtf8(out, static_cast<unsigned char>(c));
  return out;
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// The float text PyOS_string_to_double accepts: an optional sign, then a
// decimal literal, "inf", "infinity" or "nan" (any case). Overflow gives inf.
std::optional<double> ParseFloatText(std::string_view text) {
  std::string_view body = text;
  bool negative = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  double magnitude = 0;
  if (EqualsIgnoreCase(body, "inf") || EqualsIgnoreCase(body, "infinity")) {
    magnitude = HUGE_VAL;
  } else if (EqualsIgnoreCase(body, "nan")) {
    magnitude = std::nan("");
  } else {
    if (body.empty() || !(std::isdigit(static_cast<unsigned char>(body[0])) || body[0] == '.')) {
      return std::nullopt;
    }
    auto res = std::from_chars(body.data(), body.data() + body.size(), magnitude,
                               std::chars_format::general);
    if (res.ptr != body.data() + body.size()) return std::nullopt;
    if (res.ec == std::errc::result_out_of_range) {
      std::string copy(body);
      magnitude = std::strtod(copy.c_str(), nullptr);
    } else if (res.ec != std::errc()) {
      return std::nullopt;
    }
  }
  return negative ? -magnitude : magnitude;
}

class Reader {
 public:
  Reader(std::string_view bytes, Heap& heap) : data_(bytes), heap_(heap) {}

  Ref ReadRoot() {
    Ref v = ReadObject();
    if (v == nullptr) Fail("NULL object in marshal data for object");
    return v;
  }

 private:
  // --- primitive reads ------------------------------------------------
  std::string_view Take(size_t n) {
    if (n > data_.size() - pos_) Fail("marshal data too short");
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }

  uint8_t Byte() { return static_cast<uint8_t>(Take(1)[0]); }

  int32_t Int32() {
    std::string_view b = Take(4);
    uint32_t u = 0;
    for (int i = 3; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(b[i]);
    return static_cast<int32_t>(u);
  }

  int64_t Int64() {
    std::string_view b = Take(8);
    uint64_t u = 0;
    for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(b[i]);
    return static_cast<int64_t>(u);
  }

  double Double() {
    std::string_view b = Take(8);
    uint64_t u = 0;
    for (int i = 7; i >= 0; --i) u = (u << 8) | static_cast<unsigned char>(b[i]);
    return std::bit_cast<double>(u);
  }

  size_t Size(const char* what) {
    int32_t n = Int32();
    if (n < 0) Fail("bad marshal data ({} size out of range)", what);
    return static_cast<size_t>(n);
  }

  double TextFloat() {
    std::string_view text = Take(Byte());
    auto d = ParseFloatText(text);
    if (!d) Fail("could not convert string to float: {}", StrRepr(Latin1ToUtf8(text)).c_str());
    return *d;
  }

  // --- references -----------------------------------------------------
  // A flagged object gets its index when reading of it starts; the slot is
  // empty until the object is complete, and a reference to an incomplete
  // object (a cycle) is rejected.
  [[gnu::noinline]] size_t Reserve(bool flagged) {
    if (!flagged) return SIZE_MAX;
    refs_.push_back(nullptr);
    return refs_.size() - 1;
  }

  Ref Complete(size_t slot, Ref v) {
    if (slot != SIZE_MAX) refs_[slot] = v;
    return v;
  }

  [[gnu::noinline]] Ref Reference() {
    int32_t index = Int32();
    if (index < 0 || static_cast<size_t>(index) >= refs_.size() || refs_[index] == nullptr) {
      Fail("bad marshal data (invalid reference)");
    }
    return refs_[index];
  }

  // --- objects --------------------------------------------------------
  // Returns nullptr for TYPE_NULL. On failure the depth count is left as it
  // is: the whole read is abandoned.
  [[gnu::noinline]] Ref ReadObject() {
    if (pos_ >= data_.size()) Fail("EOF read where object expected");
    if (++depth_ > kMaxDepth) Fail("recursion limit exceeded");
    Ref v = ReadTyped(static_cast<uint8_t>(data_[pos_++]));
    --depth_;
    return v;
  }

  Ref ReadTyped(uint8_t code_byte) {
    bool flagged = (code_byte & code::kFlagRef) != 0;
    uint8_t type = code_byte & static_cast<uint8_t>(~code::kFlagRef);
    switch (type) {
      case code::kNull:
        return nullptr;
      case code::kNone:
        return heap_.None();
      case code::kTrue:
        return heap_.True();
      case code::kFalse:
        return heap_.False();
      case code::kEllipsis:
        return heap_.Ellipsis();
      case code::kStopIteration:
        return heap_.StopIteration();
      case code::kRef:
        return Reference();
      default:
        break;
    }
    size_t slot = Reserve(flagged);
    return Complete(slot, ReadBody(type));
  }

  Ref ReadBody(uint8_t type) {
    switch (type) {
      case code::kSmallTuple:
      case code::kTuple:
      case code::kList:
      case code::kSet:
      case code::kFrozenSet:
        return ReadContainer(type);
      case code::kDict:
        return ReadDict();
      case code::kCode:
        return ReadCode();
      default:
        return ReadLeaf(type);
    }
  }

  [[gnu::noinline]] Ref ReadLeaf(uint8_t type) {
    switch (type) {
      case code::kInt:
        return heap_.Int(Int32());
      case code::kInt64:
        return heap_.Int(Int64());
      case code::kLong:
        return ReadLong();
      case code::kBinaryFloat:
        return heap_.Float(Double());
      case code::kFloat:
        return ReadTextFloat();
      case code::kBinaryComplex:
      case code::kComplex:
        return ReadComplex(type == code::kComplex);
      case code::kString:
        return ReadBytes();
      case code::kUnicode:
        return ReadUtf8(Size("string"), false);
      case code::kInterned:
        return ReadUtf8(Size("string"), true);
      case code::kAscii:
        return ReadLatin1(Size("string"), false);
      case code::kAsciiInterned:
        return ReadLatin1(Size("string"), true);
      case code::kShortAscii:
        return ReadLatin1(Byte(), false);
      case code::kShortAsciiInterned:
        return ReadLatin1(Byte(), true);
      default:
        Fail("bad marshal data (unknown type code)");
    }
  }

  [[gnu::noinline]] Ref ReadBytes() { return heap_.Bytes(Take(Size("bytes object"))); }

  [[gnu::noinline]] Ref ReadTextFloat() { return heap_.Float(TextFloat()); }

  [[gnu::noinline]] Ref ReadComplex(bool text) {
    double re = text ? TextFloat() : Double();
    double im = text ? TextFloat() : Double();
    return heap_.Complex(re, im);
  }

  [[gnu::noinline]] Ref ReadLong() {
    int32_t n = Int32();
    if (n < -kSize32Max) Fail("bad marshal data (long size out of range)");
    bool negative = n < 0;
    size_t count = negative ? static_cast<size_t>(-static_cast<int64_t>(n)) : static_cast<size_t>(n);
    std::vector<uint16_t> digits;
    for (size_t i = 0; i < count; ++i) {
      std::string_view b = Take(2);
      auto d = static_cast<uint16_t>(static_cast<unsigned char>(b[0]) |
                                     (static_cast<unsigned char>(b[1]) << 8));
      if (d >= 0x8000) Fail("bad marshal data (digit out of range in long)");
      digits.push_back(d);
    }
    if (!digits.empty() && digits.back() == 0) Fail("bad marshal data (unnormalized long data)");
    return heap_.IntFromDigits(negative, digits);
  }

  [[gnu::noinline]] Ref ReadUtf8(size_t n, bool interned) {
    std::string_view raw = Take(n);
    if (!IsValidUtf8Surrogatepass(raw)) Fail("bad marshal data (str is not valid UTF-8)");
    return heap_.Str(raw, interned);
  }

  // TYPE_ASCII data is taken as Latin-1, as CPython does.
  [[gnu::noinline]] Ref ReadLatin1(size_t n, bool interned) {
    std::string_view raw = Take(n);
    if (IsAscii(raw)) return heap_.Str(raw, interned);
    return heap_.Str(Latin1ToUtf8(raw), interned);
  }

  [[gnu::noinline]] Ref ReadContainer(uint8_t type) {
    const char* what = type == code::kList ? "list"
                       : type == code::kSet || type == code::kFrozenSet ? "set"
                                                                        : "tuple";
    size_t n = type == code::kSmallTuple ? Byte() : Size(what);
    std::vector<Ref> items;
    for (size_t i = 0; i < n; ++i) {
      Ref item = ReadObject();
      if (item == nullptr) Fail("NULL object in marshal data for {}", what);
      items.push_back(item);
    }
    return MakeContainer(type, items);
  }

  [[gnu::noinline]] Ref MakeContainer(uint8_t type, std::span<const Ref> items) {
    switch (type) {
      case code::kSmallTuple:
      case code::kTuple:
        return heap_.Tuple(items);
      case code::kList:
        return heap_.List(items);
      case code::kSet:
        return heap_.Set(items);
      default:
        return heap_.FrozenSet(items);
    }
  }

  // Pairs until a TYPE_NULL key; a TYPE_NULL value also ends the dict and
  // drops its key, as in CPython.
  [[gnu::noinline]] Ref ReadDict() {
    std::vector<Ref> kv;
    for (;;) {
      Ref key = ReadObject();
      if (key == nullptr) break;
      Ref value = ReadObject();
      if (value == nullptr) break;
      kv.push_back(key);
      kv.push_back(value);
    }
    return heap_.Dict(kv);
  }

  [[gnu::noinline]] Ref CodeField(Type expected, const char* field) {
    Ref v = ReadObject();
    if (v == nullptr) Fail("NULL object in marshal data for code object");
    if (v->type != expected) Fail("bad marshal data (code object {} has the wrong type)", field);
    return v;
  }

  Ref NameTuple(const char* field) {
    Ref v = CodeField(Type::Tuple, field);
    for (Ref item : v->items) {
      if (item->type != Type::Str) Fail("bad marshal data (non-string in code object {})", field);
    }
    return v;
  }

  // CPython refuses a code object whose varnames cannot hold its arguments.
  static bool VarnamesHoldArguments(const CodeFields& c) {
    constexpr int32_t kVarargs = 0x4;
    constexpr int32_t kVarkeywords = 0x8;
    auto n = static_cast<int64_t>(c.varnames->items.size());
    if (c.argcount > n || c.kwonlyargcount > n) return false;
    int64_t total = int64_t{c.argcount} + c.kwonlyargcount + ((c.flags & kVarargs) != 0) +
                    ((c.flags & kVarkeywords) != 0);
    return total <= n;
  }

  [[gnu::noinline]] Ref ReadCode() {
    CodeFields c;
    c.argcount = Int32();
    c.posonlyargcount = Int32();
    c.kwonlyargcount = Int32();
    c.nlocals = Int32();
    c.stacksize = Int32();
    c.flags = Int32();
    c.code = CodeField(Type::Bytes, "co_code");
    c.consts = CodeField(Type::Tuple, "co_consts");
    c.names = NameTuple("co_names");
    c.varnames = NameTuple("co_varnames");
    c.freevars = NameTuple("co_freevars");
    c.cellvars = NameTuple("co_cellvars");
    c.filename = CodeField(Type::Str, "co_filename");
    c.name = CodeField(Type::Str, "co_name");
    c.firstlineno = Int32();
    c.linetable = CodeField(Type::Bytes, "co_linetable");
    if (c.argcount < c.posonlyargcount || c.posonlyargcount < 0 || c.kwonlyargcount < 0 ||
        c.nlocals < 0 || c.stacksize < 0 || c.flags < 0) {
      Fail("bad marshal data (code object has negative counts)");
    }
    if (!VarnamesHoldArguments(c)) Fail("code: varnames is too small");
    return heap_.Code(c);
  }

  std::string_view data_;
  size_t pos_ = 0;
  Heap& heap_;
  std::vector<Ref> refs_;
  int depth_ = 0;
};

}  // namespace

Ref Read(std::string_view bytes, Heap& heap, std::string& error) {
  try {
    Reader reader(bytes, heap);
    return reader.ReadRoot();
  } catch (const MarshalError& e) {
    error = e.message;
    return nullptr;
  }
}

}  // namespace xpyc::marshal
