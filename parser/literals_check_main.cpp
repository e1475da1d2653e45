// xpyc_literals_check: runs the literal functions over a case file written by
// tools/check_literals.py and prints one result line per case, which that
// script compares with the oracle. Not part of xpyc itself.
//
// Case file: for each case a header line
//   <N|S> <token count> <error lineno> <col> <end lineno> <end col>
// then per token a line "<lineno> <col> <end lineno> <end col> <byte length>",
// the token's bytes and a newline.
//
// Result line: the value (I<decimal>, F<bits hex>, C<bits hex>,<bits hex>,
// S<utf8 hex>, B<hex>, J(<parts>)), or E<error class>|<line>|<col>|<end line>|
// <end col>|<message hex>; then " u" if the kind is "u", then " W<line>:<hex>"
// per warning. Joined parts: L<token index>,<kind u 0/1>,<utf8 hex>; or V<conversion>,<start line>,
// <start col>,<token index>,<expression text hex>,<spec J(...) or ->;
#include <bit>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lexer/diagnostics.h"
#include "marshal/value.h"
#include "parser/literals.h"

namespace {

using xpyc::literals::JoinedString;

std::string Hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

std::string DoubleBits(double d) { return fmt::format("{:016x}", std::bit_cast<uint64_t>(d)); }

std::string ValueText(xpyc::marshal::Ref v) {
  using xpyc::marshal::Type;
  switch (v->type) {
    case Type::Int: return "I" + xpyc::marshal::IntToDecimal(v);
    case Type::Float: return "F" + DoubleBits(v->real);
    case Type::Complex: return "C" + DoubleBits(v->real) + "," + DoubleBits(v->imag);
    case Type::Str: return "S" + Hex(v->data);
    case Type::Bytes: return "B" + Hex(v->data);
    case Type::Null: case Type::None: case Type::True: case Type::False:
    case Type::Ellipsis: case Type::StopIteration: case Type::Tuple: case Type::List:
    case Type::Dict: case Type::Set: case Type::FrozenSet: case Type::Code:
      return "?";
  }
  return "?";
}

std::string JoinedText(const JoinedString& joined) {
  std::string out = "J(";
  for (const auto& part : joined.parts) {
    if (part.literal != nullptr) {
      out += fmt::format("L{},{},{};", part.token_index, part.kind_u ? 1 : 0,
                         Hex(part.literal->data));
      continue;
    }
    const auto& f = *part.value;
    out += fmt::format("V{},{},{},{},{},", f.conversion, f.expr.start_lineno, f.expr.start_col,
                       f.expr.token_index, Hex(f.expr.text));
    out += f.format_spec != nullptr ? JoinedText(*f.format_spec) : std::string("-");
    out += ";";
  }
  return out + ")";
}

struct Reader {
  std::string data;
  std::size_t pos = 0;

  bool Line(std::string& line) {
    if (pos >= data.size()) return false;
    const std::size_t nl = data.find('\n', pos);
    const std::size_t end = nl == std::string::npos ? data.size() : nl;
    line.assign(data, pos, end - pos);
    pos = end + 1;
    return true;
  }

  std::string_view Bytes(std::size_t n) {
    if (pos + n > data.size()) n = data.size() - pos;
    std::string_view out(data.data() + pos, n);
    pos += n + 1;  // and the newline after them
    return out;
  }
};

std::string RunCase(char kind, const std::vector<xpyc::literals::StringToken>& tokens,
                    const xpyc::literals::TokenSpan& error_token) {
  xpyc::marshal::Heap heap;
  xpyc::Diagnostics diag;
  std::string out;
  bool u = false;
  if (kind == 'N') {
    auto v = xpyc::literals::ParseNumber(tokens[0].text, tokens[0].span, heap, diag);
    if (v != nullptr) out = ValueText(v);
  } else {
    xpyc::literals::StringsResult result;
    if (xpyc::literals::ConcatenateStrings(tokens, error_token, nullptr, heap, diag, result)) {
      out = result.kind == xpyc::literals::StringsResult::Kind::Constant
                ? ValueText(result.constant)
                : JoinedText(result.joined);
      u = result.kind_u;
    }
  }
  if (diag.HasError()) {
    const auto& e = *diag.error();
    out = fmt::format("E{}|{}|{}|{}|{}|{}", xpyc::ErrorClassName(e.cls), e.lineno, e.col,
                      e.end_lineno, e.end_col, Hex(e.message));
  }
  if (u) out += " u";
  for (const auto& w : diag.warnings()) out += fmt::format(" W{}:{}", w.lineno, Hex(w.message));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CASES\n", argv[0]);
    return 2;
  }
  std::FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  Reader reader;
  char buf[65536];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) reader.data.append(buf, n);
  std::fclose(f);

  std::string header;
  std::string out;
  while (reader.Line(header)) {
    char kind = 0;
    int count = 0;
    xpyc::literals::TokenSpan err;
    if (std::sscanf(header.c_str(), "%c %d %d %d %d %d", &kind, &count, &err.lineno, &err.col,
                    &err.end_lineno, &err.end_col) != 6 || count <= 0) {
      std::fprintf(stderr, "bad case header: %s\n", header.c_str());
      return 2;
    }
    std::vector<xpyc::literals::StringToken> tokens(static_cast<std::size_t>(count));
    for (auto& token : tokens) {
      std::string line;
      std::size_t length = 0;
      reader.Line(line);
      if (std::sscanf(line.c_str(), "%d %d %d %d %zu", &token.span.lineno, &token.span.col,
                      &token.span.end_lineno, &token.span.end_col, &length) != 5) {
        std::fprintf(stderr, "bad token line: %s\n", line.c_str());
        return 2;
      }
      token.text = reader.Bytes(length);
    }
    out += RunCase(kind, tokens, err);
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
