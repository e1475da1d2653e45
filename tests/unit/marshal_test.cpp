// The value model, repr, and the marshal writer and reader. Expected bytes
// come from the oracle (CPython 3.10.13's marshal.dumps); each case names the
// expression that produced them.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "driver/pyc_text.h"
#include "marshal/marshal.h"
#include "marshal/value.h"

namespace {

using namespace xpyc::marshal;

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

std::string Dumps(Ref v) {
  std::string out;
  Write(v, out);
  return out;
}

// CPython flags a top-level object that has other references (as every
// object passed to marshal.dumps from a variable does); our writer flags only
// objects written twice. The oracle's hex is given as printed, and its first
// byte's FLAG_REF bit is cleared here.
std::string WithoutTopFlag(std::string_view oracle_hex) {
  std::string bytes = Unhex(oracle_hex);
  if (!bytes.empty()) bytes[0] = static_cast<char>(bytes[0] & 0x7F);
  return Hex(bytes);
}

Ref MustRead(std::string_view bytes, Heap& heap) {
  std::string error;
  Ref v = Read(bytes, heap, error);
  INFO("error: " << error);
  REQUIRE(v != nullptr);
  return v;
}

std::string ReadError(std::string_view bytes) {
  Heap heap;
  std::string error;
  Ref v = Read(bytes, heap, error);
  CHECK(v == nullptr);
  return error;
}

}  // namespace

TEST_SUITE("marshal") {

TEST_CASE("ints: factories, AsInt64, decimal text") {
  Heap heap;
  CHECK(heap.Int(0)->digits.empty());
  CHECK_FALSE(heap.Int(0)->negative);
  CHECK(IntToDecimal(heap.Int(-1)) == "-1");
  CHECK(*AsInt64(heap.Int(INT64_MIN)) == INT64_MIN);
  CHECK(*AsInt64(heap.Int(INT64_MAX)) == INT64_MAX);
  CHECK(heap.Int(32768)->digits.size() == 2);  // 15-bit digits: 0, 1

  Ref big = heap.IntFromText("123456789012345678901234567890", 10);
  CHECK(IntToDecimal(big) == "123456789012345678901234567890");
  CHECK_FALSE(AsInt64(big).has_value());
  CHECK_FALSE(AsInt64(heap.IntFromText("9223372036854775808", 10)).has_value());
  CHECK(*AsInt64(heap.IntFromText("ff", 16)) == 255);
  CHECK(*AsInt64(heap.IntFromText("777", 8)) == 511);
  CHECK(*AsInt64(heap.IntFromText("101", 2)) == 5);
  CHECK(IntToDecimal(heap.IntFromText("0", 10)) == "0");
  CHECK(IntToDecimal(heap.IntFromText("-98765432109876543210", 10)) == "-98765432109876543210");

  const uint16_t digits[] = {5, 0, 0};  // trailing zero digits are dropped
  CHECK(heap.IntFromDigits(true, digits)->digits.size() == 1);
  CHECK(StructurallyEqual(heap.IntFromDigits(false, {}), heap.Int(0)));
  CHECK_FALSE(heap.IntFromDigits(true, {})->negative);  // no negative zero
}

TEST_CASE("structural equality") {
  Heap heap;
  CHECK(StructurallyEqual(heap.Float(0.0), heap.Float(0.0)));
  CHECK_FALSE(StructurallyEqual(heap.Float(0.0), heap.Float(-0.0)));
  double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(StructurallyEqual(heap.Float(nan), heap.Float(nan)));
  CHECK_FALSE(StructurallyEqual(heap.Int(1), heap.Float(1.0)));
  CHECK_FALSE(StructurallyEqual(heap.Int(1), heap.True()));
  Ref a[] = {heap.Int(1), heap.Str("x")};
  Ref b[] = {heap.Int(1), heap.Str("x")};
  CHECK(StructurallyEqual(heap.Tuple(a), heap.Tuple(b)));
  CHECK_FALSE(StructurallyEqual(heap.Tuple(a), heap.List(b)));
  CHECK_FALSE(StructurallyEqual(heap.Str("x"), heap.Bytes("x")));
}

TEST_CASE("repr of numbers matches CPython 3.10") {
  Heap heap;
  // Each expected string is repr() of the same value in the oracle.
  CHECK(Repr(heap.Float(1.0)) == "1.0");
  CHECK(Repr(heap.Float(-0.0)) == "-0.0");
  CHECK(Repr(heap.Float(0.1 + 0.2)) == "0.30000000000000004");
  CHECK(Repr(heap.Float(1e16)) == "1e+16");
  CHECK(Repr(heap.Float(9999999999999998.0)) == "9999999999999998.0");
  CHECK(Repr(heap.Float(1e22)) == "1e+22");
  CHECK(Repr(heap.Float(0.0001)) == "0.0001");
  CHECK(Repr(heap.Float(1e-5)) == "1e-05");
  CHECK(Repr(heap.Float(-1.5e-7)) == "-1.5e-07");
  CHECK(Repr(heap.Float(5e-324)) == "5e-324");
  CHECK(Repr(heap.Float(1.7976931348623157e308)) == "1.7976931348623157e+308");
  CHECK(Repr(heap.Float(HUGE_VAL)) == "inf");
  CHECK(Repr(heap.Float(-HUGE_VAL)) == "-inf");
  CHECK(Repr(heap.Float(std::nan(""))) == "nan");
  CHECK(Repr(heap.Float(-std::nan(""))) == "nan");
  CHECK(Repr(heap.Complex(0, 1)) == "1j");
  CHECK(Repr(heap.Complex(1, 2)) == "(1+2j)");
  CHECK(Repr(heap.Complex(-0.0, -1)) == "(-0-1j)");
  CHECK(Repr(heap.Complex(0, -0.0)) == "-0j");
  CHECK(Repr(heap.Complex(1.5, HUGE_VAL)) == "(1.5+infj)");
  CHECK(Repr(heap.Complex(std::nan(""), -HUGE_VAL)) == "(nan-infj)");
  CHECK(Repr(heap.Complex(std::nan(""), std::nan(""))) == "(nan+nanj)");
  CHECK(Repr(heap.Complex(1e16, 0)) == "(1e+16+0j)");
  CHECK(Repr(heap.Int(-42)) == "-42");
}

TEST_CASE("repr of str and bytes matches CPython 3.10") {
  Heap heap;
  CHECK(Repr(heap.Str("")) == "''");
  CHECK(Repr(heap.Str("it's")) == "\"it's\"");
  CHECK(Repr(heap.Str("say \"hi\"")) == "'say \"hi\"'");
  CHECK(Repr(heap.Str("both ' and \"")) == "'both \\' and \"'");
  CHECK(Repr(heap.Str("a\tb\nc\rd\\")) == "'a\\tb\\nc\\rd\\\\'");
  CHECK(Repr(heap.Str(std::string_view("\x00\x1f\x7f", 3))) == "'\\x00\\x1f\\x7f'");
  CHECK(Repr(heap.Str("caf\xc3\xa9")) == "'caf\xc3\xa9'");       // 'café' printable
  CHECK(Repr(heap.Str("\xc2\x80\xc2\xad")) == "'\\x80\\xad'");    // C1 control, soft hyphen
  CHECK(Repr(heap.Str("\xe2\x80\x8b")) == "'\\u200b'");            // zero width space
  CHECK(Repr(heap.Str("\xed\xa0\x80")) == "'\\ud800'");            // lone surrogate
  CHECK(Repr(heap.Str("\xf0\x9f\x98\x80")) == "'\xf0\x9f\x98\x80'");  // emoji is printable
  CHECK(Repr(heap.Str("\xf3\xa0\x80\x81")) == "'\\U000e0001'");    // language tag
  CHECK(Repr(heap.Bytes("")) == "b''");
  CHECK(Repr(heap.Bytes(std::string_view("\x00\xff\n'", 4))) == "b\"\\x00\\xff\\n'\"");
  CHECK(Repr(heap.Bytes("\"'")) == "b'\"\\''");
  CHECK(IsPrintable(' '));
  CHECK_FALSE(IsPrintable(0xA0));  // no-break space is a separator
  CHECK_FALSE(IsPrintable(0x10FFFF));
}

TEST_CASE("repr of containers and singletons") {
  Heap heap;
  Ref one[] = {heap.Int(1)};
  Ref two[] = {heap.Int(1), heap.Str("a")};
  CHECK(Repr(heap.Tuple({})) == "()");
  CHECK(Repr(heap.Tuple(one)) == "(1,)");
  CHECK(Repr(heap.Tuple(two)) == "(1, 'a')");
  CHECK(Repr(heap.List(two)) == "[1, 'a']");
  CHECK(Repr(heap.Dict(two)) == "{1: 'a'}");
  CHECK(Repr(heap.Set({})) == "set()");
  CHECK(Repr(heap.Set(two)) == "{1, 'a'}");
  CHECK(Repr(heap.FrozenSet({})) == "frozenset()");
  CHECK(Repr(heap.FrozenSet(one)) == "frozenset({1})");
  CHECK(Repr(heap.None()) == "None");
  CHECK(Repr(heap.True()) == "True");
  CHECK(Repr(heap.False()) == "False");
  CHECK(Repr(heap.Ellipsis()) == "Ellipsis");
}

TEST_CASE("writer: exact bytes of CPython's marshal.dumps") {
  Heap heap;
  struct Case {
    Ref value;
    const char* oracle_hex;  // marshal.dumps(<comment>).hex() in CPython 3.10.13
  };
  const uint16_t big_digits[] = {0x0115, 0x5c73, 0x26c5, 0x35f6, 0x3324, 0x7c83, 0x0009};
  Ref one_five[] = {heap.Float(1.5)};
  Ref two_floats[] = {heap.Float(0.0), heap.Float(1.0)};
  Ref two_five[] = {heap.Float(2.5)};
  Ref dict_kv[] = {heap.Float(1.5), heap.None()};
  const Case cases[] = {
      {heap.Int(-7), "e9f9ffffff"},                            // int('-7')
      {heap.Int(2147483647), "e9ffffff7f"},                    // int('2147483647')
      {heap.Int(-2147483648LL), "e900000080"},                 // int('-2147483648')
      {heap.Int(2147483648LL), "ec03000000000000000200"},      // int('2147483648')
      {heap.Int(-2147483649LL), "ecfdffffff010000000200"},     // int('-2147483649')
      {heap.Int(32768), "e900800000"},                         // int('32768')
      {heap.Int(-1099511627776LL), "ecfdffffff000000000004"},  // int('-1099511627776')
      // int('12345678901234567890123456789')
      {heap.IntFromDigits(false, big_digits), "ec070000001501735cc526f6352433837c0900"},
      {heap.IntFromText("12345678901234567890123456789", 10), "ec070000001501735cc526f6352433837c0900"},
      {heap.Float(1.5), "e7000000000000f83f"},                   // float('1.5')
      {heap.Float(-0.0), "e70000000000000080"},                  // float('-0.0')
      {heap.Float(HUGE_VAL), "e7000000000000f07f"},              // float('inf')
      {heap.Complex(1.5, -2.0), "f9000000000000f83f00000000000000c0"},  // complex(1.5, -2.0)
      {heap.Str("abc"), "fa03616263"},                           // ''.join(['ab','c'])
      {heap.Str("\xc3\xa9" "1"), "f503000000c3a931"},            // 'é'+str(1)
      {heap.Str("\xed\xa0\x80" "1"), "f504000000eda08031"},      // chr(0xd800)+str(1)
      {heap.Bytes(std::string_view("\x00\xff\n", 3)), "f30300000000ff0a"},  // bytes([0,255,10])
      {heap.Tuple(one_five), "a90167000000000000f83f"},          // (float('1.5'),)
      {heap.Tuple(two_floats), "a90267000000000000000067000000000000f03f"},  // tuple of 0.0, 1.0
      {heap.List(two_five), "db01000000670000000000000440"},     // [float('2.5')]
      {heap.Dict(dict_kv), "fb67000000000000f83f4e30"},          // {float('1.5'): None}
      {heap.Set({}), "bc00000000"},                              // set()
      {heap.FrozenSet({}), "be00000000"},                        // frozenset()
      {heap.None(), "4e"},
      {heap.True(), "54"},
      {heap.False(), "46"},
      {heap.Ellipsis(), "2e"},
      {heap.StopIteration(), "53"},
  };
  for (const Case& c : cases) {
    INFO("value: " << Repr(c.value));
    CHECK(Hex(Dumps(c.value)) == WithoutTopFlag(c.oracle_hex));
  }
}

TEST_CASE("writer: interned strings, long strings, long tuples") {
  Heap heap;
  CHECK(Hex(Dumps(heap.Str("ab", true))) == "5a026162");          // TYPE_SHORT_ASCII_INTERNED
  CHECK(Hex(Dumps(heap.Str("\xc3\xa9", true))) == "7402000000c3a9");  // TYPE_INTERNED
  // 'x'*300: TYPE_ASCII with a 4-byte length (oracle: c12c010000 7878...).
  std::string x300 = Dumps(heap.Str(std::string(300, 'x')));
  CHECK(Hex(x300.substr(0, 5)) == "612c010000");
  CHECK(Hex(Dumps(heap.Str(std::string(300, 'x'), true)).substr(0, 1)) == "41");
  std::vector<Ref> many(256, heap.None());
  CHECK(Hex(Dumps(heap.Tuple(many)).substr(0, 5)) == "2800010000");  // TYPE_TUPLE
  many.pop_back();
  CHECK(Hex(Dumps(heap.Tuple(many)).substr(0, 2)) == "29ff");  // TYPE_SMALL_TUPLE
}

TEST_CASE("writer: FLAG_REF only on objects written again") {
  Heap heap;
  Ref s = heap.Str("abc");
  Ref pair[] = {s, s};
  // s = ''.join(['ab','c']); marshal.dumps(tuple([s, s])).hex()
  CHECK(Hex(Dumps(heap.Tuple(pair))) == "2902fa036162637200000000");
  // Equal but distinct objects are not shared.
  Ref distinct[] = {heap.Str("abc"), heap.Str("abc")};
  CHECK(Hex(Dumps(heap.Tuple(distinct))) == "29027a036162637a03616263");
  // Reference indices count flagged objects in pre-order: the outer tuple
  // (index 0) holds the inner one twice (index 1) and s (index 2) inside it.
  Ref inner_items[] = {s, s};
  Ref inner = heap.Tuple(inner_items);
  Ref outer_items[] = {inner, inner};
  Ref outer = heap.Tuple(outer_items);
  Ref top_items[] = {outer, outer};
  CHECK(Hex(Dumps(heap.Tuple(top_items))) ==
        "2902" "a902" "a902" "fa03616263" "7202000000" "7201000000" "7200000000");
}

TEST_CASE("writer: set items in a canonical order") {
  Heap heap;
  Ref a[] = {heap.Str("b"), heap.Int(3), heap.Str("a"), heap.Float(1.5)};
  Ref b[] = {heap.Float(1.5), heap.Str("a"), heap.Int(3), heap.Str("b")};
  std::string fa = Dumps(heap.FrozenSet(a));
  CHECK(fa == Dumps(heap.FrozenSet(b)));
  CHECK(Dumps(heap.Set(a)) == Dumps(heap.Set(b)));
  Heap back;
  Ref read = MustRead(fa, back);
  CHECK(read->type == Type::FrozenSet);
  CHECK(read->items.size() == 4);
}

TEST_CASE("reader: CPython's code object, and a round trip through our writer") {
  Heap heap;
  // marshal.dumps(compile('def f(a):\n    return a\n', 'f.py', 'exec')).hex()
  std::string bytes = Unhex(
      "63000000000000000000000000000000000200000040000000730c0000006400640184005a006402530029036301"
      "000000000000000000000001000000010000004300000073040000007c00530029014ea9002901da016172000000"
      "007200000000fa04662e7079da0166010000007302000000040172030000004e290172030000007200000000720000"
      "000072000000007202000000da083c6d6f64756c653e0100000073020000000c00");
  Ref module = MustRead(bytes, heap);
  REQUIRE(module->type == Type::Code);
  const CodeFields& m = *module->code;
  CHECK(m.stacksize == 2);
  CHECK(m.flags == 0x40);
  CHECK(m.name->data == "<module>");
  CHECK(m.filename->data == "f.py");
  REQUIRE(m.consts->items.size() == 3);
  Ref f = m.consts->items[0];
  REQUIRE(f->type == Type::Code);
  CHECK(f->code->argcount == 1);
  CHECK(f->code->flags == 0x43);
  CHECK(f->code->name->data == "f");
  CHECK(f->code->filename == m.filename);  // a TYPE_REF resolves to the same object
  CHECK(f->code->varnames->items[0]->data == "a");
  CHECK(f->code->firstlineno == 1);
  CHECK(Hex(f->code->code->data) == "7c005300");
  CHECK(m.consts->items[1]->data == "f");
  CHECK(m.consts->items[2]->type == Type::None);
  CHECK(Hex(m.linetable->data) == "0c00");

  std::string rewritten = Dumps(module);
  Heap heap2;
  Ref again = MustRead(rewritten, heap2);
  CHECK(StructurallyEqual(module, again));
  CHECK(Dumps(again) == rewritten);  // deterministic
}

TEST_CASE("reader: every type code round-trips") {
  Heap heap;
  Ref inner[] = {heap.Int(1), heap.Float(-0.0), heap.Complex(1, -2), heap.Str("s"),
                 heap.Str("\xe6\x97\xa5", true), heap.Bytes("b"), heap.None(), heap.True(),
                 heap.False(), heap.Ellipsis(), heap.StopIteration(),
                 heap.IntFromText("-123456789012345678901234567890", 10)};
  Ref kv[] = {heap.Str("k"), heap.Tuple(inner)};
  Ref outer[] = {heap.Tuple(inner), heap.List(inner), heap.Dict(kv), heap.Set(inner),
                 heap.FrozenSet(inner), heap.Str(std::string(400, 'y'))};
  Ref root = heap.Tuple(outer);
  std::string bytes = Dumps(root);
  Heap back;
  Ref read = MustRead(bytes, back);
  // Sets come back in canonical order, so compare the rewritten bytes.
  CHECK(Dumps(read) == bytes);
  CHECK(StructurallyEqual(read->items[0], root->items[0]));
  CHECK(StructurallyEqual(read->items[2], root->items[2]));
  CHECK(read->items[0]->items[4]->interned);
}

TEST_CASE("reader: forms CPython no longer writes") {
  Heap heap;
  // TYPE_INT64
  CHECK(*AsInt64(MustRead(Unhex("490100000000000080"), heap)) == INT64_MIN + 1);
  // TYPE_FLOAT and TYPE_COMPLEX in text form
  CHECK(MustRead(std::string("f\x04" "-1.5", 6), heap)->real == -1.5);
  CHECK(std::isinf(MustRead(std::string("f\x08infinity", 10), heap)->real));
  CHECK(std::isinf(MustRead(std::string("f\x06" "1e9999", 8), heap)->real));
  Ref c = MustRead(std::string("x\x01" "1\x03" "-.5", 7), heap);
  CHECK(c->real == 1.0);
  CHECK(c->imag == -0.5);
  // TYPE_SHORT_ASCII with a non-ASCII byte reads as Latin-1.
  CHECK(MustRead(std::string("z\x01\xe9", 3), heap)->data == "\xc3\xa9");
  // A TYPE_NULL value ends a dict and drops its key, as in CPython.
  CHECK(MustRead("{N0", heap)->items.size() == 0);
  CHECK(MustRead("{NNN0", heap)->items.size() == 2);
}

TEST_CASE("reader: malformed input gives CPython's errors, never a crash") {
  CHECK(ReadError("") == "EOF read where object expected");
  CHECK(ReadError("i\x01") == "marshal data too short");
  CHECK(ReadError(std::string("r\x00\x00\x00\x00", 5)) == "bad marshal data (invalid reference)");
  CHECK(ReadError(std::string("\xa9\x01r\x00\x00\x00\x00", 7)) ==
        "bad marshal data (invalid reference)");  // a cycle: refers to its own tuple
  CHECK(ReadError("Q") == "bad marshal data (unknown type code)");
  CHECK(ReadError(std::string("l\x01\x00\x00\x00\x00\x80", 7)) ==
        "bad marshal data (digit out of range in long)");
  CHECK(ReadError(std::string("l\x02\x00\x00\x00\x01\x00\x00\x00", 9)) ==
        "bad marshal data (unnormalized long data)");
  CHECK(ReadError("s\xff\xff\xff\xff") == "bad marshal data (bytes object size out of range)");
  CHECK(ReadError("(\xff\xff\xff\x7fN") == "EOF read where object expected");
  CHECK(ReadError("0") == "NULL object in marshal data for object");
  CHECK(ReadError(std::string("[\x01\x00\x00\x00" "0", 6)) == "NULL object in marshal data for list");
  CHECK(ReadError("f\x03" "abc") == "could not convert string to float: 'abc'");
  CHECK(ReadError(std::string("u\x02\x00\x00\x00\xff\xff", 7)) ==
        "bad marshal data (str is not valid UTF-8)");
  std::string deep;
  for (int i = 0; i < 3000; ++i) deep += ")\x01";
  deep += "N";
  CHECK(ReadError(deep) == "recursion limit exceeded");
}

TEST_CASE("deep nesting up to CPython's limit reads, writes and dumps") {
  Heap heap;
  Ref v = heap.None();
  Ref fs = heap.FrozenSet({});
  for (int i = 0; i < 1998; ++i) {
    v = heap.Tuple(std::span<const Ref>(&v, 1));
    Ref items[] = {fs, heap.Int(i)};
    fs = heap.FrozenSet(items);
  }
  for (Ref root : {v, fs}) {
    std::string bytes = Dumps(root);
    Heap back;
    Ref read = MustRead(bytes, back);
    CHECK(Dumps(read) == bytes);
    std::string out, error;
    CHECK(xpyc::driver::DumpPycText(Unhex("6f0d0d0a") + std::string(12, '\0') + bytes, out, error));
  }
}

TEST_CASE("reader: code objects CPython would refuse") {
  Heap heap;
  Ref empty = heap.Tuple({});
  CodeFields c;
  c.code = heap.Bytes(std::string_view("d\x00S\x00", 4));
  c.consts = c.names = c.varnames = c.freevars = c.cellvars = empty;
  c.filename = heap.Str("f.py");
  c.name = heap.Str("f");
  c.linetable = heap.Bytes("");
  CHECK(MustRead(Dumps(heap.Code(c)), heap)->type == Type::Code);
  c.argcount = 1;  // one argument but no varnames
  CHECK(ReadError(Dumps(heap.Code(c))) == "code: varnames is too small");
  c.argcount = 0;
  c.flags = 0x4;  // CO_VARARGS needs a varname too
  CHECK(ReadError(Dumps(heap.Code(c))) == "code: varnames is too small");
  c.flags = -1;
  CHECK(ReadError(Dumps(heap.Code(c))) == "bad marshal data (code object has negative counts)");
  c.flags = 0;
  c.names = heap.Tuple(std::span<const Ref>(&c.code, 1));  // bytes among the names
  CHECK(ReadError(Dumps(heap.Code(c))) == "bad marshal data (non-string in code object co_names)");
}

TEST_CASE("reader: every truncation of a valid stream fails cleanly") {
  Heap heap;
  Ref items[] = {heap.Int(1 << 20), heap.Str("abc"), heap.IntFromText("99999999999999999999", 10),
                 heap.Complex(1, 2), heap.Bytes("xyz")};
  Ref t = heap.Tuple(items);
  Ref pair[] = {t, t};
  std::string bytes = Dumps(heap.List(pair));
  for (size_t n = 0; n < bytes.size(); ++n) {
    Heap scratch;
    std::string error;
    CHECK(Read(std::string_view(bytes).substr(0, n), scratch, error) == nullptr);
    CHECK_FALSE(error.empty());
  }
  // Flipping bytes never crashes either.
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string mutated = bytes;
      mutated[i] = static_cast<char>(mutated[i] ^ (1 << bit));
      Heap scratch;
      std::string error;
      Ref v = Read(mutated, scratch, error);
      CHECK((v != nullptr || !error.empty()));
    }
  }
}

}  // TEST_SUITE

// The pyc dumper's defining property: equal text exactly for equivalent pycs.
TEST_SUITE("pyc-dump") {

namespace {

std::string Header(uint32_t flags) {
  std::string h = Unhex("6f0d0d0a");
  for (int i = 0; i < 4; ++i) h.push_back(static_cast<char>(flags >> (8 * i)));
  h += Unhex("0102030405060708");
  return h;
}

std::string DumpText(std::string_view file) {
  std::string out, error;
  bool ok = xpyc::driver::DumpPycText(file, out, error);
  INFO("error: " << error);
  CHECK(ok);
  return out;
}

}  // namespace

TEST_CASE("ref and interned bits and set order do not show; values do") {
  // marshal.dumps of (s, s) with s = 'abc' shared (FLAG_REF + TYPE_REF) ...
  std::string shared = Header(0) + Unhex("2902fa036162637200000000");
  // ... and of two separate interned copies.
  std::string separate = Header(0) + Unhex("29025a036162635a03616263");
  CHECK(DumpText(shared) == DumpText(separate));
  CHECK(DumpText(shared) ==
        "magic 3439 6f0d0d0a\nflags 0x00000000 timestamp\nmtime 67305985\nsource_size 134678021\n"
        "root ('abc', 'abc')\n");
  // frozenset({1, 2}) in either order.
  std::string fs12 = Header(0) + Unhex("3e02000000e901000000e902000000");
  std::string fs21 = Header(0) + Unhex("3e02000000e902000000e901000000");
  CHECK(DumpText(fs12) == DumpText(fs21));
  // 0.0 and -0.0 differ, 1 and 1.0 and True differ, tuple and list differ.
  CHECK(DumpText(Header(0) + Unhex("670000000000000000")) !=
        DumpText(Header(0) + Unhex("670000000000000080")));
  CHECK(DumpText(Header(0) + Unhex("e901000000")) != DumpText(Header(0) + Unhex("54")));
  CHECK(DumpText(Header(0) + Unhex("2900")) != DumpText(Header(0) + Unhex("5b00000000")));
  // Header kinds.
  CHECK(DumpText(Header(3) + "N").find("flags 0x00000003 checked-hash\nsource_hash 0102030405060708\n") !=
        std::string::npos);
  CHECK(DumpText(Header(1) + "N").find("unchecked-hash") != std::string::npos);
}

TEST_CASE("code objects: fields, disassembly, lines, EXTENDED_ARG") {
  // marshal.dumps(compile('def f(a):\n    return a\n', 'f.py', 'exec')) from the oracle.
  std::string file = Header(0) + Unhex(
      "63000000000000000000000000000000000200000040000000730c0000006400640184005a006402530029036301"
      "000000000000000000000001000000010000004300000073040000007c00530029014ea9002901da016172000000"
      "007200000000fa04662e7079da0166010000007302000000040172030000004e290172030000007200000000720000"
      "000072000000007202000000da083c6d6f64756c653e0100000073020000000c00");
  std::string text = DumpText(file);
  CHECK(text.find("code #0 <module>\n") != std::string::npos);
  CHECK(text.find("    0 <code #1 f>\n") != std::string::npos);
  CHECK(text.find("code #1 f in #0\n") != std::string::npos);
  CHECK(text.find("  flags 0x00000043 CO_OPTIMIZED|CO_NEWLOCALS|CO_NOFREE\n") != std::string::npos);
  CHECK(text.find("       0 L1 LOAD_CONST 0 (<code #1 f>)\n") != std::string::npos);
  CHECK(text.find("       4 L1 MAKE_FUNCTION 0\n") != std::string::npos);
  CHECK(text.find("       0 L2 LOAD_FAST 0 ('a')\n") != std::string::npos);
  CHECK(text.find("  linetable (2) 0c 00\n") != std::string::npos);
}

TEST_CASE("malformed pycs are reported, not crashed on") {
  std::string out, error;
  CHECK_FALSE(xpyc::driver::DumpPycText("short", out, error));
  CHECK(error == "truncated pyc header (5 bytes, 16 expected)");
  CHECK_FALSE(xpyc::driver::DumpPycText(Unhex("610d0d0a") + std::string(12, '\0') + "N", out, error));
  CHECK(error == "bad magic number 610d0d0a (CPython 3.10 writes 6f0d0d0a)");
  CHECK_FALSE(xpyc::driver::DumpPycText(Header(0) + std::string("r\x07\x00\x00\x00", 5), out, error));
  CHECK(error == "bad marshal data (invalid reference)");
}

}  // TEST_SUITE
