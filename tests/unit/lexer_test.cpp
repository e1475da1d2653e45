// Unit tests of the lexer stage: decoding, tokens, positions and errors.
// Expected values were checked against CPython 3.10.13 (compile(), tokenize).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lexer/codecs.h"
#include "lexer/lex.h"
#include "lexer/unicode.h"

using xpyc::Diagnostics;
using xpyc::ErrorClass;
using xpyc::lex::DecodeSource;
using xpyc::lex::MakeUtf8Source;
using xpyc::lex::Source;
using xpyc::lex::Token;
using xpyc::lex::TokenKind;
using xpyc::lex::Tokenize;
using xpyc::lex::Tokens;
using K = xpyc::lex::TokenKind;
using namespace std::string_literals;

namespace {

Source Decoded(std::string_view bytes) {
  Source s;
  Diagnostics d;
  bool ok = DecodeSource(bytes, "t.py", s, d);
  REQUIRE(ok);
  return s;
}

xpyc::Diagnostic DecodeFailure(std::string_view bytes) {
  Source s;
  Diagnostics d;
  bool ok = DecodeSource(bytes, "t.py", s, d);
  REQUIRE_FALSE(ok);
  REQUIRE(d.error().has_value());
  return *d.error();
}

struct Lexed {
  Source src;
  Tokens toks;
};

Lexed Lex(std::string_view text) {
  Lexed l{MakeUtf8Source(text, "t.py"), {}};
  l.toks = Tokenize(l.src);
  return l;
}

std::vector<TokenKind> Kinds(std::string_view text) {
  Lexed l = Lex(text);
  std::vector<TokenKind> out;
  for (const Token& t : l.toks.tokens) out.push_back(t.kind);
  return out;
}

std::string TextOf(const Lexed& l, const Token& t) { return l.src.text.substr(t.offset, t.length); }

// The error a source must stop with.
xpyc::Diagnostic ErrorOf(std::string_view text) {
  Lexed l = Lex(text);
  REQUIRE(l.toks.error.has_value());
  REQUIRE(l.toks.tokens.back().kind == TokenKind::Error);
  return *l.toks.error;
}

}  // namespace

TEST_SUITE("lexer") {

TEST_CASE("decode: plain UTF-8 gets a final newline and line starts") {
  Source s = Decoded("a = 1\nb");
  CHECK(s.text == "a = 1\nb\n");
  CHECK(s.encoding == "utf-8");
  CHECK(s.line_starts == std::vector<uint32_t>{0, 6});
  CHECK(Decoded("").text == "\n");
}

TEST_CASE("decode: universal newlines") {
  CHECK(Decoded("a\r\nb\rc\n\r\n").text == "a\nb\nc\n\n");
  CHECK(Decoded("x\r").text == "x\n");
}

TEST_CASE("decode: BOM is dropped, utf-8 cookie with BOM is fine") {
  CHECK(Decoded("\xEF\xBB\xBFx = 1\n").text == "x = 1\n");
  CHECK(Decoded("\xEF\xBB\xBF# coding: utf-8\nx\n").text == "# coding: utf-8\nx\n");
  xpyc::Diagnostic d = DecodeFailure("\xEF\xBB\xBF# coding: latin-1\nx\n");
  CHECK(d.message == "encoding problem: iso-8859-1 with BOM");
  CHECK(DecodeFailure("\xEF\xBB\xBF# coding: utf8\n").message == "encoding problem: utf8 with BOM");
}

TEST_CASE("decode: latin-1 cookie on line 1 or 2") {
  Source s = Decoded("# -*- coding: latin-1 -*-\ns = '\xE9'\n");
  CHECK(s.text == "# -*- coding: latin-1 -*-\ns = '\xC3\xA9'\n");
  CHECK(s.encoding == "iso-8859-1");
  Source s2 = Decoded("#!/usr/bin/python\n# vim: fileencoding=latin1\nx = '\xFF'\n");
  CHECK(s2.text.find("\xC3\xBF") != std::string::npos);
  // line 1 holds code: line 2 is not looked at, bytes stay as they are
  Source s3 = Decoded("x = 1\n# coding: latin-1\ny = '\xE9'\n");
  CHECK(s3.encoding == "utf-8");
  CHECK(s3.text.find('\xE9') != std::string::npos);
  // a cookie after code on the same line does not count
  CHECK(Decoded("x = 1  # coding: latin-1\n").encoding == "utf-8");
}

TEST_CASE("decode: cookie names are normalised like CPython") {
  CHECK(Decoded("# coding: UTF_8\n").encoding == "utf-8");
  CHECK(Decoded("# coding: utf-8-sig\n").encoding == "utf-8");
  CHECK(Decoded("# coding: Latin-1\n").encoding == "iso-8859-1");
  CHECK(Decoded("# coding: iso_8859_1\n").encoding == "iso-8859-1");
  CHECK(Decoded("#coding=cp1252\nx = '\x80'\n").text == "#coding=cp1252\nx = '\xE2\x82\xAC'\n");
}

TEST_CASE("decode: other single-byte codecs") {
  // koi8-r: 0xF0 0xD2 is "Пр"
  CHECK(Decoded("# coding: koi8-r\n\xF0\xD2\n").text == "# coding: koi8-r\n\xD0\x9F\xD1\x80\n");
  CHECK(Decoded("# coding: iso-8859-15\n\xA4\n").text == "# coding: iso-8859-15\n\xE2\x82\xAC\n");
  CHECK(Decoded("# coding: mac-roman\n\x80\n").text == "# coding: mac-roman\n\xC3\x84\n");
  CHECK(xpyc::lex::CanonicalCodecName("KOI8_R") == "koi8_r");
  CHECK(xpyc::lex::CanonicalCodecName("latin1") == "latin_1");
  CHECK(xpyc::lex::CanonicalCodecName("no-such") == "");
}

TEST_CASE("decode: errors") {
  xpyc::Diagnostic nul = DecodeFailure("x = 1\0\n"s);
  CHECK(nul.cls == ErrorClass::ValueError);
  CHECK(nul.message == "source code string cannot contain null bytes");
  CHECK(DecodeFailure("# coding: foobar\n").message == "unknown encoding: foobar");
  CHECK(DecodeFailure("# coding: ascii\nx='\xFF'\n").message ==
        "'ascii' codec can't decode byte 0xff in position 19: ordinal not in range(128)");
  CHECK(DecodeFailure("# coding: cp1252\nx='\x81'\n").message ==
        "'charmap' codec can't decode byte 0x81 in position 20: character maps to <undefined>");
  CHECK(DecodeFailure("# coding: utf8\nx='\xFF'\n").message ==
        "'utf-8' codec can't decode byte 0xff in position 18: invalid start byte");
  CHECK(DecodeFailure("# coding: iso2022_jp\n").cls == ErrorClass::SystemError);
  CHECK(DecodeFailure("# coding: iso2022_jp\n").message ==
        "xpyc: source encoding 'iso2022_jp' is not supported");
  CHECK(DecodeFailure("# coding: base64\nx = 1\n").message ==
        "'base64' is not a text encoding; use codecs.decode() to handle arbitrary codecs");
  CHECK(DecodeFailure("# coding: undefined\nx = 1\n").message ==
        "decoding with 'undefined' codec failed (UnicodeError: undefined encoding)");
  CHECK(DecodeFailure("# coding: shift_jis\nx = '\x81'\n").message ==
        "'shift_jis' codec can't decode byte 0x81 in position 25: illegal multibyte sequence");
}

// Expected values from the oracle: bytes.decode(codec), str(UnicodeDecodeError).
TEST_CASE("decode: multibyte codecs") {
  struct Case {
    const char* codec;
    std::string_view bytes;
    std::string_view utf8;
  };
  const Case cases[] = {
      {"shift_jis", std::string_view("\x95\x5c\x22\x83\x65\x83\x58\x83\x67", 9),
       "\xe8\xa1\xa8\x22\xe3\x83\x86\xe3\x82\xb9\xe3\x83\x88"},
      {"cp932", std::string_view("\x87\x40\xed\x40", 4), "\xe2\x91\xa0\xe7\xba\x8a"},
      {"euc_jp", std::string_view("\x8f\xb0\xa1\xa4\xa2", 5), "\xe4\xb8\x82\xe3\x81\x82"},
      {"gb18030", std::string_view("\x81\x30\x81\x30\x95\x32\x82\x36\xa2\xe3", 10),
       "\xc2\x80\xf0\xa0\x80\x80\xe2\x82\xac"},
      {"big5hkscs", std::string_view("\x88\x62\xa4\x40", 4), "\xc3\x8a\xcc\x84\xe4\xb8\x80"},
      {"euc_kr", std::string_view("\xa4\xd4\xa4\xbe\xa4\xc8\xa4\xa1\xb0\xa1", 10),
       "\xed\x99\x95\xea\xb0\x80"},
      {"johab", std::string_view("\x88\x61\x5c", 3), "\xea\xb0\x80\x5c"},
      {"utf_16", std::string_view("\xff\xfe\x41\x00\x3d\xd8\x00\xde", 8), "\x41\xf0\x9f\x98\x80"},
      {"utf_16_be", std::string_view("\x00\x41\xd8\x3d\xde\x00", 6), "\x41\xf0\x9f\x98\x80"},
      {"utf_32_le", std::string_view("\x41\x00\x00\x00\x00\xf6\x01\x00", 8),
       "\x41\xf0\x9f\x98\x80"},
      {"hz", "~{VPND~}~~", "\xe4\xb8\xad\xe6\x96\x87~"},
      {"utf_7", "a+AOk-+-+2D3eAA-", "a\xc3\xa9+\xf0\x9f\x98\x80"},
      {"raw_unicode_escape", "\\u00e9\xe9\\\\u0041\\U0001F600", "\xc3\xa9\xc3\xa9\\\\u0041\xf0\x9f\x98\x80"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.codec);
    xpyc::lex::DecodeResult r = xpyc::lex::DecodeToUtf8(c.codec, c.bytes);
    CHECK(r.status == xpyc::lex::DecodeStatus::kOk);
    CHECK(r.utf8 == c.utf8);
  }
  const Case errors[] = {
      {"shift_jis", std::string_view("\x61\x62\x81", 3),
       "'shift_jis' codec can't decode byte 0x81 in position 2: incomplete multibyte sequence"},
      {"shift_jis", std::string_view("\x61\x62\x81\x20\x63", 5),
       "'shift_jis' codec can't decode byte 0x81 in position 2: illegal multibyte sequence"},
      {"euc_jp", std::string_view("\x8f\xa1", 2),
       "'euc_jp' codec can't decode bytes in position 0-1: incomplete multibyte sequence"},
      {"gb18030", std::string_view("\x78\x84\x31\xa5\x30", 5),
       "'gb18030' codec can't decode byte 0x84 in position 1: illegal multibyte sequence"},
      {"gb18030", std::string_view("\x78\x81\x30", 3),
       "'gb18030' codec can't decode bytes in position 1-2: incomplete multibyte sequence"},
      {"euc_kr", std::string_view("\xa4\xd4\xa4\xd4\xa4\xd4\xa4\xd4", 8),
       "'euc_kr' codec can't decode byte 0xa4 in position 0: illegal multibyte sequence"},
      {"big5", std::string_view("\xa1", 1),
       "'big5' codec can't decode byte 0xa1 in position 0: incomplete multibyte sequence"},
      {"utf_16", std::string_view("\x61\x62\x0a", 3),
       "'utf-16-le' codec can't decode byte 0x0a in position 2: truncated data"},
      {"utf_16_le", std::string_view("\x00\xdc", 2),
       "'utf-16-le' codec can't decode bytes in position 0-1: illegal encoding"},
      {"utf_16_le", std::string_view("\x00\xd8\x41\x00", 4),
       "'utf-16-le' codec can't decode bytes in position 0-1: illegal UTF-16 surrogate"},
      {"utf_16_le", std::string_view("\x41\x00\x00\xd8", 4),
       "'utf-16-le' codec can't decode bytes in position 2-3: unexpected end of data"},
      {"utf_7", "a+AOkA", "'utf7' codec can't decode bytes in position 1-5: unterminated shift sequence"},
      {"utf_7", "+AOkZ-", "'utf7' codec can't decode bytes in position 0-5: partial character in shift sequence"},
      {"utf_7", "\x80", "'utf7' codec can't decode byte 0x80 in position 0: unexpected special character"},
      {"utf_7", "+2D0-", "'utf-8' codec can't encode character '\\ud83d' in position 0: surrogates not allowed"},
      {"hz", "a~{!!~x", "'hz' codec can't decode byte 0x7e in position 5: illegal multibyte sequence"},
      {"raw_unicode_escape", "ab\\u12G4",
       "'rawunicodeescape' codec can't decode bytes in position 2-5: truncated \\uXXXX escape"},
      {"raw_unicode_escape", "\\U00110000",
       "'rawunicodeescape' codec can't decode bytes in position 0-9: \\Uxxxxxxxx out of range"},
      {"raw_unicode_escape", "a\\ud800",
       "'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed"},
      {"raw_unicode_escape", "\\ud800\\udc00",
       "'utf-8' codec can't encode characters in position 0-1: surrogates not allowed"},
      {"utf_32_be", std::string_view("\x00\x00\xd8\x00", 4),
       "'utf-32-be' codec can't decode bytes in position 0-3: code point in surrogate code point "
       "range(0xd800, 0xe000)"},
  };
  for (const Case& c : errors) {
    CAPTURE(c.codec);
    xpyc::lex::DecodeResult r = xpyc::lex::DecodeToUtf8(c.codec, c.bytes);
    CHECK(r.status == xpyc::lex::DecodeStatus::kDecodeError);
    CHECK(r.error == c.utf8);
  }
}

TEST_CASE("source: LineOf, ColumnOf, LineText") {
  Source s = MakeUtf8Source("ab\ncde\n\nf", "t.py");
  CHECK(s.LineOf(0) == 1);
  CHECK(s.LineOf(2) == 1);
  CHECK(s.LineOf(3) == 2);
  CHECK(s.ColumnOf(5) == 2);
  CHECK(s.LineOf(7) == 3);
  CHECK(s.LineOf(static_cast<uint32_t>(s.text.size())) == 4);
  CHECK(s.ColumnOf(static_cast<uint32_t>(s.text.size())) == 2);
  CHECK(s.LineText(2) == "cde");
  CHECK(s.LineText(3) == "");
  CHECK(s.LineText(4) == "f");
  CHECK(s.LineText(5) == "");
}

TEST_CASE("tokens: simple statement") {
  CHECK(Kinds("x = 1\n") == std::vector<K>{K::Name, K::Equal, K::Number, K::Newline, K::EndMarker});
  CHECK(Kinds("") == std::vector<K>{K::EndMarker});
  CHECK(Kinds("# only\n\n") == std::vector<K>{K::EndMarker});
}

TEST_CASE("tokens: every operator, longest match") {
  const char* ops[] = {"(", ")", "[", "]", ":", ",", ";", "+", "-", "*", "/", "|", "&", "<", ">",
                       "=", ".", "%", "{", "}", "==", "!=", "<=", ">=", "~", "^", "<<", ">>",
                       "**", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=",
                       "**=", "//", "//=", "@", "@=", "->", "...", ":="};
  for (const char* op : ops) {
    CAPTURE(op);
    // brackets must balance, so wrap each operator between names
    std::string src = std::string("a ") + op + " b\n";
    if (std::string_view(op) == "(" ) src = "a ( b )\n";
    if (std::string_view(op) == "[") src = "a [ b ]\n";
    if (std::string_view(op) == "{") src = "a { b }\n";
    if (std::string_view(op) == ")") src = "( a ) b\n";
    if (std::string_view(op) == "]") src = "[ a ] b\n";
    if (std::string_view(op) == "}") src = "{ a } b\n";
    Lexed l = Lex(src);
    REQUIRE_FALSE(l.toks.error.has_value());
    bool found = false;
    for (const Token& t : l.toks.tokens) {
      if (TextOf(l, t) == op) {
        CHECK(xpyc::lex::TokenKindText(t.kind) == op);
        found = true;
      }
    }
    CHECK(found);
  }
  CHECK(Kinds("a<>b\n")[1] == K::NotEqual);
  CHECK((Lex("a<>b\n").toks.tokens[1].flags & xpyc::lex::kNotEqualIsLtGt) != 0);
  CHECK((Lex("a!=b\n").toks.tokens[1].flags & xpyc::lex::kNotEqualIsLtGt) == 0);
  CHECK(Kinds("a**=-b\n") == std::vector<K>{K::Name, K::DoubleStarEqual, K::Minus, K::Name, K::Newline,
                                            K::EndMarker});
  CHECK(Kinds("....\n") == std::vector<K>{K::Ellipsis, K::Dot, K::Newline, K::EndMarker});
}

TEST_CASE("tokens: keywords and soft keywords") {
  CHECK(Kinds("if not x: pass\n") ==
        std::vector<K>{K::KwIf, K::KwNot, K::Name, K::Colon, K::KwPass, K::Newline, K::EndMarker});
  CHECK(Kinds("async await None True False\n") ==
        std::vector<K>{K::KwAsync, K::KwAwait, K::KwNone, K::KwTrue, K::KwFalse, K::Newline, K::EndMarker});
  CHECK(Kinds("match case _ print iff\n")[0] == K::Name);
  for (K k : Kinds("match case _ print iff\n")) CHECK((k == K::Name || k == K::Newline || k == K::EndMarker));
}

TEST_CASE("tokens: numbers") {
  const char* good[] = {"0", "00", "0_0", "123", "1_000", "0x1F", "0X_ff", "0o17", "0b1_0", "1.5",
                        ".5", "5.", "1e10", "1E-5", "1.5e+3", "09.5", "09e1", "1j", "09j", ".5J", "0e0"};
  for (const char* n : good) {
    CAPTURE(n);
    Lexed l = Lex(std::string(n) + "\n");
    REQUIRE_FALSE(l.toks.error.has_value());
    CHECK(l.toks.tokens[0].kind == K::Number);
    CHECK(TextOf(l, l.toks.tokens[0]) == n);
  }
  CHECK(Kinds("1 .real\n") == std::vector<K>{K::Number, K::Dot, K::Name, K::Newline, K::EndMarker});
  CHECK(Kinds("1..real\n") == std::vector<K>{K::Number, K::Dot, K::Name, K::Newline, K::EndMarker});
}

TEST_CASE("tokens: a keyword glued to a number warns") {
  Lexed l = Lex("x = 1if y else 2\n");
  REQUIRE_FALSE(l.toks.error.has_value());
  CHECK(TextOf(l, l.toks.tokens[2]) == "1");
  CHECK(l.toks.tokens[3].kind == K::KwIf);
  REQUIRE(l.toks.warnings.size() == 1);
  CHECK(l.toks.warnings[0].cls == ErrorClass::DeprecationWarning);
  CHECK(l.toks.warnings[0].message == "invalid decimal literal");
  Lexed h = Lex("[0x1for x in y]\n");
  CHECK(TextOf(h, h.toks.tokens[1]) == "0x1f");
  CHECK(h.toks.tokens[2].kind == K::KwOr);
}

TEST_CASE("tokens: number errors") {
  struct Case {
    const char* src;
    const char* message;
    int col;
  } cases[] = {
      {"x = 1_\n", "invalid decimal literal", 5},
      {"x = 1e\n", "invalid decimal literal", 4},
      {"x = 1abc\n", "invalid decimal literal", 4},
      {"x = 0x\n", "invalid hexadecimal literal", 5},
      {"x = 0o8\n", "invalid digit '8' in octal literal", 6},
      {"x = 0b102\n", "invalid digit '2' in binary literal", 8},
      {"x = 0b\n", "invalid binary literal", 5},
      {"x = 1jk\n", "invalid imaginary literal", 5},
  };
  for (const Case& c : cases) {
    CAPTURE(c.src);
    xpyc::Diagnostic d = ErrorOf(c.src);
    CHECK(d.cls == ErrorClass::SyntaxError);
    CHECK(d.message == c.message);
    CHECK(d.lineno == 1);
    CHECK(d.col == c.col);
  }
  xpyc::Diagnostic z = ErrorOf("x = 0777\n");
  CHECK(z.message ==
        "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
  CHECK(z.col == 4);
  CHECK(z.end_col == 5);
}

TEST_CASE("tokens: strings with prefixes, quotes and escapes") {
  const char* good[] = {"'a'", "\"a\"", "'''a\nb'''", "\"\"\"a\"\"\"", "''", "r'\\d'", "b'x'",
                        "Rb'x'", "bR'x'", "f'{x}'", "rF'x'", "U'x'", "'it\\'s'", "'a\\\nb'",
                        "''''a'''", "''''''"};
  for (const char* s : good) {
    CAPTURE(s);
    Lexed l = Lex(std::string(s) + "\n");
    REQUIRE_FALSE(l.toks.error.has_value());
    CHECK(l.toks.tokens[0].kind == K::String);
    CHECK(TextOf(l, l.toks.tokens[0]) == s);
  }
  // ur, bu, fb are not prefixes: a name followed by a string
  CHECK(Kinds("ur'x'\n") == std::vector<K>{K::Name, K::String, K::Newline, K::EndMarker});
  CHECK(Kinds("fb'x'\n") == std::vector<K>{K::Name, K::String, K::Newline, K::EndMarker});
  Lexed m = Lex("x = '''a\nb''' + y\n");
  CHECK(m.toks.tokens[2].line == 1);
  CHECK(m.toks.tokens[3].line == 2);
}

TEST_CASE("tokens: unterminated strings") {
  xpyc::Diagnostic a = ErrorOf("x = 'abc\ny\n");
  CHECK(a.message == "unterminated string literal (detected at line 1)");
  CHECK(a.lineno == 1);
  CHECK(a.col == 4);
  CHECK(a.text == std::optional<std::string>("x = 'abc"));
  xpyc::Diagnostic b = ErrorOf("a = 1\nb = Rb'''x\ny\nz\n");
  CHECK(b.message == "unterminated triple-quoted string literal (detected at line 4)");
  CHECK(b.lineno == 2);
  CHECK(b.col == 4);
}

TEST_CASE("tokens: indentation") {
  Lexed l = Lex("if a:\n    b\n    if c:\n        d\ne\n");
  std::vector<K> kinds;
  for (const Token& t : l.toks.tokens) kinds.push_back(t.kind);
  CHECK(kinds == std::vector<K>{K::KwIf, K::Name, K::Colon, K::Newline, K::Indent, K::Name, K::Newline,
                                K::KwIf, K::Name, K::Colon, K::Newline, K::Indent, K::Name, K::Newline,
                                K::Dedent, K::Dedent, K::Name, K::Newline, K::EndMarker});
  // INDENT sits on the first non-blank byte of its line, length 0
  CHECK(l.toks.tokens[4].line == 2);
  CHECK(l.src.ColumnOf(l.toks.tokens[4].offset) == 4);
  CHECK(l.toks.tokens[4].length == 0);
  CHECK(l.toks.tokens[14].line == 5);
  CHECK(l.src.ColumnOf(l.toks.tokens[14].offset) == 0);
  // blank and comment-only lines do not count, nor do lines inside brackets
  CHECK(Kinds("if a:\n\n  # c\n    b\n") ==
        std::vector<K>{K::KwIf, K::Name, K::Colon, K::Newline, K::Indent, K::Name, K::Newline, K::Dedent,
                       K::EndMarker});
  CHECK(Kinds("x = (1,\n        2)\n") ==
        std::vector<K>{K::Name, K::Equal, K::LPar, K::Number, K::Comma, K::Number, K::RPar, K::Newline,
                       K::EndMarker});
  // a form feed resets the column
  CHECK(Kinds("if a:\n  \f  b\n")[4] == K::Indent);
  CHECK(Kinds("\fx\n")[0] == K::Name);
}

TEST_CASE("tokens: positions of NEWLINE, DEDENT and ENDMARKER at end of file") {
  Lexed l = Lex("if x:\n  y  # c\n");
  const auto& t = l.toks.tokens;
  // NEWLINE starts at the trailing comment, ends before the '\n'
  CHECK(t[6].kind == K::Newline);
  CHECK(TextOf(l, t[6]) == "# c");
  CHECK(t[7].kind == K::Dedent);
  CHECK(t[7].offset == l.src.text.size());
  CHECK(t[7].line == 2);
  CHECK(t[8].kind == K::EndMarker);
  CHECK(t[8].offset == l.src.text.size());
  CHECK(l.src.ColumnOf(t[8].offset) == 9);
  // the implicit newline of a file without one is a real '\n'
  Lexed n = Lex("x");
  CHECK(n.toks.tokens[1].kind == K::Newline);
  CHECK(n.toks.tokens[1].offset == 1);
}

TEST_CASE("tokens: backslash continuation") {
  CHECK(Kinds("x = 1 + \\\n    2\n") ==
        std::vector<K>{K::Name, K::Equal, K::Number, K::Plus, K::Number, K::Newline, K::EndMarker});
  xpyc::Diagnostic d = ErrorOf("x = 1 \\ 2\n");
  CHECK(d.message == "unexpected character after line continuation character");
  CHECK(d.col == 7);
  CHECK(ErrorOf("x = 1 + \\\n").message == "unexpected EOF while parsing");
}

// CPython 3.10 measures indentation across a backslash continuation at the
// start of a line, using the column of the first backslash when it is not 0
// (the tokenize module does not; these were checked with compile()).
TEST_CASE("tokens: backslash continuation inside the indentation") {
  // a blank line after the continuation: no NEWLINE, no INDENT (compiles)
  CHECK(Kinds("x = 1\n  \\\n\ny = 2\n") ==
        std::vector<K>{K::Name, K::Equal, K::Number, K::Newline, K::Name, K::Equal, K::Number, K::Newline,
                       K::EndMarker});
  // the indentation is the one before the first backslash
  Lexed l = Lex("if a:\n  \\\n  \\\n  b\nc\n");
  std::vector<K> kinds;
  for (const Token& t : l.toks.tokens) kinds.push_back(t.kind);
  CHECK(kinds == std::vector<K>{K::KwIf, K::Name, K::Colon, K::Newline, K::Indent, K::Name, K::Newline,
                                K::Dedent, K::Name, K::Newline, K::EndMarker});
  CHECK(l.toks.tokens[4].line == 4);
  CHECK(l.src.ColumnOf(l.toks.tokens[4].offset) == 2);
  // a backslash in column 0 does not fix the indentation: "unexpected indent"
  // comes from the parser, on this INDENT
  CHECK(Kinds("x = 1\n\\\n    y = 2\n")[4] == K::Indent);
  xpyc::Diagnostic d = ErrorOf("if a:\n    b\n  \\\n    c\n");
  CHECK(d.message == "unindent does not match any outer indentation level");
  CHECK(d.lineno == 4);
  CHECK(d.col == 5);
  CHECK(ErrorOf("if a:\n      \\  b\n").message == "unexpected character after line continuation character");
}

TEST_CASE("tokens: indentation errors") {
  xpyc::Diagnostic a = ErrorOf("if x:\n    a\n  b\n");
  CHECK(a.cls == ErrorClass::IndentationError);
  CHECK(a.message == "unindent does not match any outer indentation level");
  CHECK(a.lineno == 3);
  CHECK(a.col == 3);
  xpyc::Diagnostic b = ErrorOf("if x:\n\ta\n        b\n");
  CHECK(b.cls == ErrorClass::TabError);
  CHECK(b.message == "inconsistent use of tabs and spaces in indentation");
  CHECK(b.lineno == 3);
  std::string deep;
  for (int i = 0; i < 101; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "if 1:\n";
  xpyc::Diagnostic c = ErrorOf(deep);
  CHECK(c.cls == ErrorClass::IndentationError);
  CHECK(c.message == "too many levels of indentation");
  CHECK(c.lineno == 101);
}

TEST_CASE("tokens: bracket errors") {
  CHECK(ErrorOf("x = 1)\n").message == "unmatched ')'");
  CHECK(ErrorOf("x = (1]\n").message == "closing parenthesis ']' does not match opening parenthesis '('");
  CHECK(ErrorOf("x = (1,\n2]\n").message ==
        "closing parenthesis ']' does not match opening parenthesis '(' on line 1");
  Lexed l = Lex("x = [(1,\n{2\n");
  REQUIRE(l.toks.error.has_value());
  CHECK(l.toks.error->message == "'{' was never closed");
  CHECK(l.toks.error->lineno == 2);
  CHECK(l.toks.error->col == 0);
  CHECK(l.toks.open_bracket == '{');
  CHECK(l.toks.open_bracket_line == 2);
  xpyc::Diagnostic many = ErrorOf("x = " + std::string(201, '[') + "\n");
  CHECK(many.message == "too many nested parentheses");
  CHECK(many.col == 204);
}

TEST_CASE("tokens: 100,000 nested brackets are an error, not a crash") {
  std::string src = "x = " + std::string(100000, '(') + std::string(100000, ')') + "\n";
  CHECK(ErrorOf(src).message == "too many nested parentheses");
}

TEST_CASE("tokens: non-ASCII names") {
  Lexed l = Lex("caf\xC3\xA9 = \xEF\xAC\x81le\n");
  REQUIRE_FALSE(l.toks.error.has_value());
  CHECK(l.toks.tokens[0].kind == K::Name);
  CHECK((l.toks.tokens[0].flags & xpyc::lex::kNonAsciiName) != 0);
  CHECK((l.toks.tokens[1].flags & xpyc::lex::kNonAsciiName) == 0);
  CHECK(xpyc::lex::NormalizeIdentifier(TextOf(l, l.toks.tokens[2])) == "file");
  CHECK(xpyc::lex::NormalizeIdentifier("A\xCC\x8A") == "\xC3\x85");       // A + ring -> Å
  CHECK(xpyc::lex::NormalizeIdentifier("\xE2\x85\xA3") == "IV");          // Roman numeral four
  CHECK(xpyc::lex::NormalizeIdentifier("\xE1\x84\x80\xE1\x85\xA1") == "\xEA\xB0\x80");  // Hangul LV
}

TEST_CASE("tokens: invalid characters") {
  xpyc::Diagnostic a = ErrorOf("x = a\xE2\x82\xAC" "b\n");
  CHECK(a.message == "invalid character '\xE2\x82\xAC' (U+20AC)");
  CHECK(a.col == 5);
  CHECK(ErrorOf("x = \xC2\xA0\n").message == "invalid non-printable character U+00A0");
  CHECK(ErrorOf("x = a\xE2\x80\x8B" "b\n").message == "invalid non-printable character U+200B");
  xpyc::Diagnostic u = ErrorOf("x = a\xFF" "b\n");
  CHECK(u.message == "(unicode error) 'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
  Lexed d = Lex("x = $\n");
  REQUIRE(d.toks.error.has_value());
  CHECK(d.toks.error->message == "invalid syntax");
  CHECK(d.toks.error->col == 4);
  CHECK(d.toks.error->end_col == 5);
  CHECK((d.toks.tokens.back().flags & xpyc::lex::kUnknownCharacter) != 0);
}

TEST_CASE("decode: declared_encoding tells whether CPython converts parser offsets") {
  CHECK_FALSE(Decoded("x = 1\n").declared_encoding);
  CHECK(Decoded("\xEF\xBB\xBFx = 1\n").declared_encoding);
  CHECK(Decoded("# coding: utf-8\nx = 1\n").declared_encoding);
  CHECK(Decoded("\n# coding: latin-1\n").declared_encoding);
}

TEST_CASE("tokens: error origins and the error after an unknown character") {
  CHECK(Lex("x = 'a\n").toks.error_origin == xpyc::lex::ErrorOrigin::kException);
  CHECK(Lex("if x:\n  a\n b\n").toks.error_origin == xpyc::lex::ErrorOrigin::kDoneCode);
  CHECK(Lex("x = a\xFF\n").toks.error_origin == xpyc::lex::ErrorOrigin::kDecodeError);
  Lexed l = Lex("cl$0oass X:\n");
  CHECK(l.toks.error_origin == xpyc::lex::ErrorOrigin::kNotAnError);
  REQUIRE(l.toks.error_after_unknown_character.has_value());
  CHECK(l.toks.error_after_unknown_character->diag.message == "invalid octal literal");
  Lexed b = Lex("x = $ + (1,\n");
  REQUIRE(b.toks.error_after_unknown_character.has_value());
  CHECK(b.toks.error_after_unknown_character->diag.message == "'(' was never closed");
  CHECK(b.toks.error_after_unknown_character->open_bracket == '(');
  CHECK_FALSE(Lex("x = $ + ?\n").toks.error_after_unknown_character.has_value());
}

TEST_CASE("unicode: identifier classes and UTF-8 decoding") {
  using namespace xpyc::lex::unicode;
  CHECK(IsIdentifierStart(U'\u00E9'));
  CHECK_FALSE(IsIdentifierStart(U'\u0301'));
  CHECK(IsIdentifierContinue(U'\u0301'));
  CHECK(IsIdentifierContinue(U'\U000E0100'));
  CHECK_FALSE(IsIdentifierContinue(U'\u2075'));
  CHECK(IsPrintable(U'\u20AC'));
  CHECK_FALSE(IsPrintable(U'\u00A0'));
  CHECK(Utf8ErrorMessage("ok \xC3\xA9") == "");
  CHECK(Utf8ErrorMessage("a\xE2\x82") == "'utf-8' codec can't decode bytes in position 1-2: unexpected end of data");
  CHECK(Utf8ErrorMessage("\xED\xA0\x80") == "'utf-8' codec can't decode byte 0xed in position 0: invalid continuation byte");
  CHECK(Utf8ErrorMessage("\xE2\x82x") == "'utf-8' codec can't decode bytes in position 0-1: invalid continuation byte");
}

}  // TEST_SUITE
