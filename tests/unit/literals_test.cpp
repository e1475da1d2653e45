// Unit tests for parser/literals.h. Every expected value was produced by the
// oracle, CPython 3.10.13; the comment beside each says how (ast.parse(...)
// or compile(...) of the quoted source). Coordinates in the sources below:
// `x = <literal>` on line 1, so the literal starts at byte column 4.
#include <doctest/doctest.h>

#include <bit>
#include <string>
#include <vector>

#include "lexer/diagnostics.h"
#include "marshal/value.h"
#include "parser/literals.h"

namespace {

using xpyc::Diagnostics;
using xpyc::literals::ConcatenateStrings;
using xpyc::literals::ExpressionText;
using xpyc::literals::JoinedString;
using xpyc::literals::LookupUnicodeName;
using xpyc::literals::ParseNumber;
using xpyc::literals::StringsResult;
using xpyc::literals::StringToken;
using xpyc::literals::TokenSpan;
namespace marshal = xpyc::marshal;

// Tokens laid out as in `x = A B C` on line 1.
std::vector<StringToken> Layout(const std::vector<std::string_view>& texts) {
  std::vector<StringToken> out;
  int32_t col = 4;
  for (auto t : texts) {
    const int32_t end = col + static_cast<int32_t>(t.size());
    out.push_back(StringToken{t, TokenSpan{1, col, 1, end}});
    col = end + 1;
  }
  return out;
}

struct Outcome {
  bool ok = false;
  StringsResult result;
  std::string error;      // message
  int32_t error_col = -2;
  std::vector<std::string> warnings;
};

Outcome Run(marshal::Heap& heap, const std::vector<std::string_view>& texts,
            xpyc::literals::ExpressionCompiler* compiler = nullptr) {
  auto tokens = Layout(texts);
  Diagnostics diag;
  Outcome out;
  const TokenSpan after{1, tokens.back().span.end_col + 1, 1, tokens.back().span.end_col + 1};
  out.ok = ConcatenateStrings(tokens, after, compiler, heap, diag, out.result);
  if (diag.HasError()) {
    out.error = diag.error()->message;
    out.error_col = diag.error()->col;
  }
  for (const auto& w : diag.warnings()) out.warnings.push_back(w.message);
  return out;
}

// The str value of a one-token (or several-token) constant; "ERR: msg" on error.
std::string StrOf(const std::vector<std::string_view>& texts) {
  marshal::Heap heap;
  Outcome o = Run(heap, texts);
  if (!o.ok) return "ERR: " + o.error;
  REQUIRE(o.result.kind == StringsResult::Kind::Constant);
  return std::string(o.result.constant->data);
}

std::string ErrorOf(const std::vector<std::string_view>& texts) {
  marshal::Heap heap;
  Outcome o = Run(heap, texts);
  CHECK_FALSE(o.ok);
  return o.error;
}

std::string Decimal(std::string_view text) {
  marshal::Heap heap;
  Diagnostics diag;
  auto v = ParseNumber(text, TokenSpan{1, 4, 1, 4 + static_cast<int32_t>(text.size())}, heap, diag);
  REQUIRE(v != nullptr);
  REQUIRE(v->type == marshal::Type::Int);
  return marshal::IntToDecimal(v);
}

uint64_t FloatBits(std::string_view text) {
  marshal::Heap heap;
  Diagnostics diag;
  auto v = ParseNumber(text, TokenSpan{1, 4, 1, 4}, heap, diag);
  REQUIRE(v != nullptr);
  REQUIRE(v->type == marshal::Type::Float);
  return std::bit_cast<uint64_t>(v->real);
}

// Renders a joined string compactly: L'text' for literals, {expr!c:spec}.
std::string Render(const JoinedString& j) {
  std::string out;
  for (const auto& part : j.parts) {
    if (part.literal != nullptr) {
      out += "L'" + std::string(part.literal->data) + "'";
      continue;
    }
    const auto& f = *part.value;
    out += "{" + std::string(f.expr.text);
    if (f.conversion != -1) out += std::string("!") + static_cast<char>(f.conversion);
    if (f.format_spec != nullptr) out += ":" + Render(*f.format_spec);
    out += "}";
  }
  return out;
}

std::string Joined(const std::vector<std::string_view>& texts) {
  marshal::Heap heap;
  Outcome o = Run(heap, texts);
  if (!o.ok) return "ERR: " + o.error;
  if (o.result.kind != StringsResult::Kind::Joined) return "CONSTANT";
  return Render(o.result.joined);
}

}  // namespace

TEST_SUITE("literals") {

TEST_CASE("integers of every base, underscores and any size") {
  CHECK(Decimal("0") == "0");
  CHECK(Decimal("00") == "0");                       // ast.parse('00')
  CHECK(Decimal("0_0") == "0");
  CHECK(Decimal("1_000_000") == "1000000");
  CHECK(Decimal("0xdead_BEEF") == "3735928559");     // 0xdead_BEEF
  CHECK(Decimal("0o17") == "15");
  CHECK(Decimal("0B101") == "5");
  CHECK(Decimal("9223372036854775808") == "9223372036854775808");
  CHECK(Decimal("0xffffffffffffffffffff") == "1208925819614629174706175");  // int('f'*20, 16)
  CHECK(Decimal("123456789012345678901234567890") == "123456789012345678901234567890");
}

TEST_CASE("decimal int literals over 4300 digits are a SyntaxError without columns") {
  marshal::Heap heap;
  Diagnostics diag;
  const std::string ok_digits = "1" + std::string(4299, '0');
  CHECK(ParseNumber(ok_digits, TokenSpan{3, 4, 3, 4304}, heap, diag) != nullptr);
  const std::string too_long = "1" + std::string(4300, '0');
  CHECK(ParseNumber(too_long, TokenSpan{3, 4, 3, 4305}, heap, diag) == nullptr);
  REQUIRE(diag.HasError());
  // compile('x = 1' + '0'*4300, 's', 'exec'): SyntaxError, lineno 1, offset 0, end_offset 0
  CHECK(diag.error()->message ==
        "Exceeds the limit (4300) for integer string conversion: value has 4301 digits; use "
        "sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge "
        "integer literals to avoid decimal conversion limits.");
  CHECK(diag.error()->lineno == 3);
  CHECK(diag.error()->col == -1);
  CHECK(diag.error()->end_col == -1);

  // Underscores do not count; other bases have no limit; floats neither.
  Diagnostics diag2;
  std::string underscored = "1";
  for (int i = 0; i < 4299; ++i) underscored += "_1";
  CHECK(ParseNumber(underscored, TokenSpan{1, 4, 1, 4}, heap, diag2) != nullptr);
  CHECK(ParseNumber("0x" + std::string(5000, 'f'), TokenSpan{1, 4, 1, 4}, heap, diag2) != nullptr);
  CHECK(ParseNumber(too_long + ".5", TokenSpan{1, 4, 1, 4}, heap, diag2) != nullptr);
  CHECK(ParseNumber(std::string(5000, '0'), TokenSpan{1, 4, 1, 4}, heap, diag2) != nullptr);
  CHECK_FALSE(diag2.HasError());
}

TEST_CASE("floats are correctly rounded; overflow is inf") {
  // struct.pack('<d', float(...)).hex() of each oracle value, read as an integer
  CHECK(FloatBits("1_000.5") == 0x408f440000000000ULL);  // 1000.5
  CHECK(FloatBits(".5") == 0x3fe0000000000000ULL);
  CHECK(FloatBits("5.") == 0x4014000000000000ULL);
  CHECK(FloatBits("1e400") == 0x7ff0000000000000ULL);      // inf
  CHECK(FloatBits("1e-400") == 0x0000000000000000ULL);     // 0.0
  CHECK(FloatBits("4.9e-324") == 0x0000000000000001ULL);   // 5e-324
  CHECK(FloatBits("2.4703282292062328e-324") == 1);        // rounds up to 5e-324
  CHECK(FloatBits("2.4703282292062327e-324") == 0);        // rounds down to 0.0
  CHECK(FloatBits("1.7976931348623158e308") == 0x7fefffffffffffffULL);
  CHECK(FloatBits("1.7976931348623159e308") == 0x7ff0000000000000ULL);  // inf
  CHECK(FloatBits("0.1") == 0x3fb999999999999aULL);
  CHECK(FloatBits("1_0.0_1e1_0") == std::bit_cast<uint64_t>(100100000000.0));
  CHECK(FloatBits("0e5") == 0);
}

TEST_CASE("imaginary literals are Complex with real part 0.0") {
  marshal::Heap heap;
  Diagnostics diag;
  auto v = ParseNumber("1.5e3J", TokenSpan{1, 0, 1, 6}, heap, diag);  // ast.parse('1.5e3J')
  REQUIRE(v != nullptr);
  CHECK(v->type == marshal::Type::Complex);
  CHECK(v->real == 0.0);
  CHECK(v->imag == 1500.0);
  auto w = ParseNumber("1_0j", TokenSpan{1, 0, 1, 4}, heap, diag);
  REQUIRE(w != nullptr);
  CHECK(w->imag == 10.0);
  auto big = ParseNumber("1e400j", TokenSpan{1, 0, 1, 6}, heap, diag);  // infj
  REQUIRE(big != nullptr);
  CHECK(std::bit_cast<uint64_t>(big->imag) == 0x7ff0000000000000ULL);
}

TEST_CASE("prefixes and quotes") {
  CHECK(StrOf({"'a'"}) == "a");
  CHECK(StrOf({"\"\""}) == "");
  CHECK(StrOf({"'''a\"b'''"}) == "a\"b");
  CHECK(StrOf({"\"\"\"\"\"\""}) == "");
  CHECK(StrOf({"R'\\n'"}) == "\\n");
  CHECK(StrOf({"u'\\n'"}) == "\n");
  marshal::Heap heap;
  Outcome u = Run(heap, {"u'a'", "'b'"});  // ast.parse('u"a" "b"'): Constant('ab', kind='u')
  CHECK(u.result.kind_u);
  CHECK(u.result.constant->data == "ab");
  Outcome upper = Run(heap, {"U'a'"});  // ast.parse('U"a"'): no kind
  CHECK_FALSE(upper.result.kind_u);
  Outcome second = Run(heap, {"'a'", "u'b'"});  // only the first token counts
  CHECK_FALSE(second.result.kind_u);
  Outcome bytes = Run(heap, {"Rb'\\x'", "B'y'"});
  REQUIRE(bytes.ok);
  CHECK(bytes.result.constant->type == marshal::Type::Bytes);
  CHECK(bytes.result.constant->data == "\\xy");
}

TEST_CASE("every escape of str literals") {
  // ast.parse(r'"\\ \' \" \a \b \f \n \r \t \v"').body[0].value.value
  CHECK(StrOf({R"('\\ \' \" \a \b \f \n \r \t \v')"}) == "\\ ' \" \a \b \f \n \r \t \v");
  CHECK(StrOf({R"('\101\0\7777')"}) == std::string("A\0\u01ff7", 5));  // '\777' == 'ǿ'
  CHECK(StrOf({R"('\x41\u00e9\U0001F600')"}) == "A\u00e9\U0001F600");
  CHECK(StrOf({"'a\\\nb'"}) == "ab");  // backslash-newline
  // Lone surrogates are kept, each as 3 UTF-8 bytes (surrogatepass).
  CHECK(StrOf({R"('\ud800')", R"('\udc00')"}) == "\xed\xa0\x80\xed\xb0\x80");
  // A backslash before a non-ASCII character stays (no warning).
  CHECK(StrOf({"'\\\u00e9'"}) == "\\\u00e9");
}

TEST_CASE("invalid escapes are kept and warned about once per literal") {
  marshal::Heap heap;
  Outcome o = Run(heap, {R"('\d\q')", R"(b'\8')"});
  CHECK_FALSE(o.ok);  // mixing bytes: the warnings of the first token still come
  Outcome s = Run(heap, {R"('\d\q')", R"('\8')"});
  REQUIRE(s.ok);
  CHECK(s.result.constant->data == "\\d\\q\\8");
  // warnings.catch_warnings on compile('"\\d\\q" "\\8"'): two DeprecationWarnings
  REQUIRE(s.warnings.size() == 2);
  CHECK(s.warnings[0] == "invalid escape sequence '\\d'");
  CHECK(s.warnings[1] == "invalid escape sequence '\\8'");
}

TEST_CASE("unicode-escape errors, with positions in the rewritten text") {
  // compile('x = "\\x1"', ...).msg
  CHECK(ErrorOf({R"("\x1")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated "
        "\\xXX escape");
  CHECK(ErrorOf({R"("\u12")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-3: truncated "
        "\\uXXXX escape");
  CHECK(ErrorOf({R"("\U0011FFFF")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal "
        "Unicode character");
  CHECK(ErrorOf({R"("\N")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-1: malformed "
        "\\N character escape");
  CHECK(ErrorOf({R"("\N{}")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: malformed "
        "\\N character escape");
  CHECK(ErrorOf({R"("\N{DASH}")"}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 0-7: unknown "
        "Unicode character name");
  // "é\x": the é became \U000000e9 (10 bytes) before decoding.
  CHECK(ErrorOf({"\"\u00e9\\x\""}) ==
        "(unicode error) 'unicodeescape' codec can't decode bytes in position 10-11: "
        "truncated \\xXX escape");
  // The error sits at the token after the run.
  marshal::Heap heap;
  Outcome o = Run(heap, {R"("\x1")"});
  CHECK(o.error_col == 10);  // compile('x = "\\x1"'): offset 11, i.e. byte column 10
}

TEST_CASE("invalid UTF-8 in str literals: whole text, or each non-ASCII run") {
  // compile(b'print("b\xf6se")', 'f', 'exec'): no backslash, the whole body is decoded.
  CHECK(ErrorOf({"\"b\xf6se\""}) ==
        "(unicode error) 'utf-8' codec can't decode byte 0xf6 in position 1: invalid start byte");
  // compile(b'x = "a\\n\xc3("', ...): with escapes, the run "\xc3" alone.
  CHECK(ErrorOf({"\"a\\n\xc3(\""}) ==
        "(unicode error) 'utf-8' codec can't decode byte 0xc3 in position 0: unexpected end "
        "of data");
  // compile(b'x = r"ab\xe4\xb8"', ...): raw text is decoded whole.
  CHECK(ErrorOf({"r\"ab\xe4\xb8\""}) ==
        "(unicode error) 'utf-8' codec can't decode bytes in position 2-3: unexpected end of "
        "data");
  // compile(b'x = f"{1}\xff"', ...): an f-string's literal piece.
  CHECK(ErrorOf({"f\"{1}\xff\""}) ==
        "(unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
}

TEST_CASE("\\N{} names, aliases, Hangul syllables and CJK ideographs") {
  CHECK(StrOf({R"('\N{EM DASH}')"}) == "\u2014");
  CHECK(StrOf({R"('\N{latin small letter a}')"}) == "a");      // case-insensitive
  CHECK(StrOf({R"('\N{LINE FEED}\N{BEL}\N{NBSP}')"}) == "\n\a\u00a0");  // aliases
  CHECK(StrOf({R"('\N{BYTE ORDER MARK}')"}) == "\ufeff");
  CHECK(StrOf({R"('\N{HANGUL SYLLABLE GAGG}')"}) == "\uac02");  // '갂'
  CHECK(StrOf({R"('\N{HANGUL SYLLABLE A}')"}) == "\uc544");     // '아'
  CHECK(StrOf({R"('\N{CJK UNIFIED IDEOGRAPH-4E00}')"}) == "\u4e00");
  CHECK(StrOf({R"('\N{CJK UNIFIED IDEOGRAPH-2A6DD}')"}) == "\U0002a6dd");
  CHECK(LookupUnicodeName("CJK UNIFIED IDEOGRAPH-9FFC") == 0x9FFC);
  CHECK(LookupUnicodeName("CJK UNIFIED IDEOGRAPH-9FFD") == -1);  // not in Unicode 13.0
  CHECK(LookupUnicodeName("CJK UNIFIED IDEOGRAPH-4e00") == -1);  // hex must be upper case
  CHECK(LookupUnicodeName("cjk unified ideograph-4E00") == -1);  // prefix is case-sensitive
  CHECK(LookupUnicodeName("hangul syllable GA") == -1);
  CHECK(LookupUnicodeName("HANGUL SYLLABLE ga") == -1);
  CHECK(LookupUnicodeName("HANGUL SYLLABLE ") == -1);
  CHECK(LookupUnicodeName("HANGUL SYLLABLE GAX") == -1);
  // Named sequences are refused by \N{} although unicodedata.lookup takes them.
  CHECK(LookupUnicodeName("LATIN CAPITAL LETTER A WITH MACRON AND GRAVE") == -1);
  CHECK(LookupUnicodeName("SPACE") == 0x20);
  CHECK(LookupUnicodeName("space") == 0x20);
  CHECK(LookupUnicodeName(" SPACE") == -1);
  CHECK(LookupUnicodeName("LATIN  SMALL LETTER A") == -1);
  CHECK(LookupUnicodeName("ZERO WIDTH NO-BREAK SPACE") == 0xFEFF);
  CHECK(LookupUnicodeName("") == -1);
  CHECK(LookupUnicodeName("A") == -1);
  CHECK(LookupUnicodeName("ZZZZZZZZZZZZZZZZZZZZZZZZZ") == -1);
  CHECK(LookupUnicodeName("CUNEIFORM SIGN ZUM") == 0x1236E);  // unicodedata.lookup
}

TEST_CASE("bytes literals") {
  marshal::Heap heap;
  Outcome o = Run(heap, {R"(b'\x41\777\q\
z')"});
  REQUIRE(o.ok);
  CHECK(o.result.constant->data == "A\xff\\qz");  // ast.parse(...) b'A\xff\\qz'
  REQUIRE(o.warnings.size() == 1);
  CHECK(o.warnings[0] == "invalid escape sequence '\\q'");
  // compile('x = b"\\x1"').msg
  CHECK(ErrorOf({R"(b"\x1")"}) == "(value error) invalid \\x escape at position 0");
  CHECK(ErrorOf({R"(b"ab\xg0")"}) == "(value error) invalid \\x escape at position 2");
  CHECK(ErrorOf({"b\"\u00e9\""}) == "bytes can only contain ASCII literal characters");
  CHECK(ErrorOf({"rb\"\u00e9\""}) == "bytes can only contain ASCII literal characters");
  CHECK(ErrorOf({"b'a'", "'b'"}) == "cannot mix bytes and nonbytes literals");
  CHECK(ErrorOf({"'a'", "b'b'"}) == "cannot mix bytes and nonbytes literals");
  CHECK(ErrorOf({"f'a'", "b'b'"}) == "cannot mix bytes and nonbytes literals");
}

TEST_CASE("f-string scanning") {
  // ast.dump(ast.parse('f"a{{b}}c{x!r:>{w}} {y=}"'))
  CHECK(Joined({"f'a{{b}}c{x!r:>{w}} {y=}'"}) == "L'a{b}c'{(x)!r:L'>'{(w)}}L' y='{(y)!r}");
  CHECK(Joined({"f'{x=!s}'"}) == "L'x='{(x)!s}");
  CHECK(Joined({"f'{x=:>10}'"}) == "L'x='{(x):L'>10'}");   // a spec: no default !r
  CHECK(Joined({"f'{ x = }'"}) == "L' x = '{( x )!r}");
  CHECK(Joined({"f'{x:}'"}) == "{(x):}");                  // empty spec: JoinedStr([])
  CHECK(Joined({"f''"}) == "");                            // JoinedStr(values=[])
  CHECK(Joined({"'a'", "f''", "'b'"}) == "L'ab'");
  CHECK(Joined({"f'{a!=b}'"}) == "{(a!=b)}");
  CHECK(Joined({"f'{a<b}'"}) == "{(a<b)}");
  CHECK(Joined({"f'{d[\"}\"]}'"}) == "{(d[\"}\"])}");
  CHECK(Joined({"f'{x:{{}}}'"}) == "{(x):{({})}}");  // no brace doubling inside a spec
  CHECK(Joined({R"(f'\N{EM DASH}{x}')"}) == "L'\u2014'{(x)}");
  CHECK(Joined({R"(rf'\N{x}')"}) == "L'\\N'{(x)}");
  CHECK(Joined({R"(f'\{x}')"}) == "L'\\'{(x)}");  // and a warning for '\{'
  CHECK(Joined({"f'''{\"\"\"a\"\"\"}'''"}) == "{(\"\"\"a\"\"\")}");
}

TEST_CASE("f-string errors, with 3.10's messages") {
  // compile('x = ' + src, ...).msg for each src
  CHECK(Joined({"f'{}'"}) == "ERR: f-string: empty expression not allowed");
  CHECK(Joined({"f'{ }'"}) == "ERR: f-string: empty expression not allowed");
  CHECK(Joined({"f'{!r}'"}) == "ERR: f-string: empty expression not allowed");
  CHECK(Joined({"f'{x'"}) == "ERR: f-string: expecting '}'");
  CHECK(Joined({"f'{x<'"}) == "ERR: f-string: expecting '}'");
  CHECK(Joined({"f'{x:'"}) == "ERR: f-string: expecting '}'");
  CHECK(Joined({"f'}'"}) == "ERR: f-string: single '}' is not allowed");
  CHECK(Joined({"f'{x}}'"}) == "ERR: f-string: single '}' is not allowed");
  CHECK(Joined({"f'{x!z}'"}) ==
        "ERR: f-string: invalid conversion character: expected 's', 'r', or 'a'");
  CHECK(Joined({"f'{x!}'"}) ==
        "ERR: f-string: invalid conversion character: expected 's', 'r', or 'a'");
  CHECK(Joined({"f'{(}'"}) ==
        "ERR: f-string: closing parenthesis '}' does not match opening parenthesis '('");
  CHECK(Joined({"f'{x)}'"}) == "ERR: f-string: unmatched ')'");
  CHECK(Joined({"f'{[x'"}) == "ERR: f-string: unmatched '['");
  CHECK(Joined({"f'{\"a}'"}) == "ERR: f-string: unterminated string");
  CHECK(Joined({"f'{a:{b:{c}}}'"}) == "ERR: f-string: expressions nested too deeply");
  CHECK(Joined({R"(f'{\n}')"}) == "ERR: f-string expression part cannot include a backslash");
  CHECK(Joined({"f'{#}'"}) == "ERR: f-string expression part cannot include '#'");
  CHECK(Joined({R"(f'\N{BAD NAME}{x}')"}).starts_with("ERR: (unicode error)"));
  std::string deep = "f'{" + std::string(201, '(') + "'";
  CHECK(Joined({deep}) == "ERR: f-string: too many nested parenthesis");
}

namespace {

// Records what the parser would be asked to compile.
class RecordingCompiler final : public xpyc::literals::ExpressionCompiler {
 public:
  std::vector<ExpressionText> seen;
  bool fail = false;
  Diagnostics* diag = nullptr;

  void* CompileExpression(const ExpressionText& expr) override {
    seen.push_back(expr);
    if (fail) {
      diag->Error(xpyc::Diagnostic{xpyc::ErrorClass::SyntaxError, "f-string: invalid syntax",
                                   1, 0, 1, 0, std::nullopt});
      return nullptr;
    }
    return &seen;  // any non-null handle
  }
};

}  // namespace

TEST_CASE("f-string expression texts and their starting positions") {
  marshal::Heap heap;
  Diagnostics diag;
  RecordingCompiler compiler;
  compiler.diag = &diag;
  // x = "a" f"{a:>{w}}" f"b{c}"   (ast.dump(..., include_attributes=True): a at col 11,
  // w at col 15, c at col 24; each is start_col + its column in "(a)" / "(w)" / "(c)")
  auto tokens = Layout({"\"a\"", "f\"{a:>{w}}\"", "f\"b{c}\""});
  StringsResult result;
  REQUIRE(ConcatenateStrings(tokens, TokenSpan{1, 27, 1, 27}, &compiler, heap, diag, result));
  REQUIRE(compiler.seen.size() == 3);
  CHECK(compiler.seen[0].text == "(a)");
  CHECK(compiler.seen[0].start_lineno == 1);
  CHECK(compiler.seen[0].start_col + 1 == 11);
  CHECK(compiler.seen[1].text == "(w)");
  CHECK(compiler.seen[1].start_col + 1 == 15);
  CHECK(compiler.seen[1].token_index == 1);
  CHECK(compiler.seen[2].start_col + 1 == 24);
  CHECK(compiler.seen[2].token_index == 2);
  // The spec's trailing literal is placed at its own token; others at the run.
  REQUIRE(result.joined.parts.size() == 4);
  const auto* spec = result.joined.parts[1].value->format_spec;
  REQUIRE(spec != nullptr);
  CHECK(spec->parts[0].token_index == -1);  // '>' before {w}: first..last token

  // x = (f"""ab\n  {  a}""") : a at line 2, col 5 = start_col 2 + 3
  Diagnostics diag2;
  RecordingCompiler c2;
  c2.diag = &diag2;
  std::vector<StringToken> ml{{"f\"\"\"ab\n  {  a}\"\"\"", TokenSpan{1, 5, 2, 10}}};
  REQUIRE(ConcatenateStrings(ml, TokenSpan{2, 10, 2, 11}, &c2, heap, diag2, result));
  REQUIRE(c2.seen.size() == 1);
  CHECK(c2.seen[0].start_lineno == 2);
  CHECK(c2.seen[0].start_col == 2);
  // x = (f"""\n  {\n a}""") : '{' then a newline: start_col 0, a at line 3 col 1
  std::vector<StringToken> nl{{"f\"\"\"\n  {\n a}\"\"\"", TokenSpan{1, 5, 3, 6}}};
  REQUIRE(ConcatenateStrings(nl, TokenSpan{3, 6, 3, 7}, &c2, heap, diag2, result));
  CHECK(c2.seen[1].start_lineno == 2);
  CHECK(c2.seen[1].start_col == 0);
  // f"{x}{x}": 3.10.13 places the second x at its own column (6), not the first's.
  std::vector<StringToken> twice{{"f\"{x}{x}\"", TokenSpan{1, 0, 1, 9}}};
  REQUIRE(ConcatenateStrings(twice, TokenSpan{1, 9, 1, 9}, &c2, heap, diag2, result));
  CHECK(c2.seen[2].start_col + 1 == 3);
  CHECK(c2.seen[3].start_col + 1 == 6);
}

TEST_CASE("an expression's error comes before later f-string errors") {
  marshal::Heap heap;
  Diagnostics diag;
  RecordingCompiler compiler;
  compiler.diag = &diag;
  compiler.fail = true;
  auto tokens = Layout({"f'{a b!z}'"});
  StringsResult result;
  CHECK_FALSE(ConcatenateStrings(tokens, TokenSpan{1, 14, 1, 14}, &compiler, heap, diag, result));
  // compile('x = f"{a b!z}"').msg == 'f-string: invalid syntax'
  REQUIRE(diag.HasError());
  CHECK(diag.error()->message == "f-string: invalid syntax");
}

TEST_CASE("malformed token text never crashes") {
  marshal::Heap heap;
  const std::vector<std::string_view> weird = {"", "'", "f", "b'\\", "f'{", "f'{'", "'\\N{",
                                               "rb", "f'{x!", "\xff\xfe'", "'\\U0001'"};
  for (auto w : weird) {
    Diagnostics diag;
    StringsResult result;
    std::vector<StringToken> tokens{{w, TokenSpan{1, 0, 1, 0}}};
    (void)ConcatenateStrings(tokens, TokenSpan{1, 0, 1, 0}, nullptr, heap, diag, result);
    Diagnostics d2;
    (void)ParseNumber(w, TokenSpan{1, 0, 1, 0}, heap, d2);
  }
  // Reaching here (under the sanitizers too) is the test.
}

}  // TEST_SUITE
