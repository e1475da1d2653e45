#include "driver/argparse.h"

#include <fmt/format.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>

#include "driver/compileall.h"

namespace xpyc::driver::cli {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsWordChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || std::isalnum(u) != 0 || c == '_';
}
// textwrap's "letter": [^\d\W]
bool IsLetter(char c) { return IsWordChar(c) && !(c >= '0' && c <= '9'); }
// textwrap's word punctuation: [\w!"'&.,?]
bool IsWordPunct(char c) {
  return IsWordChar(c) || c == '!' || c == '"' || c == '\'' || c == '&' || c == '.' ||
         c == ',' || c == '?';
}

// argparse first collapses every run of ASCII whitespace to one space.
std::string NormaliseWhitespace(std::string_view text) {
  std::string out;
  bool in_space = false;
  for (char c : text) {
    if (IsAsciiSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space && !out.empty()) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

// True when text[at..] is two or more hyphens followed by a word character.
bool EmDashAt(std::string_view text, size_t at) {
  size_t k = at;
  while (k < text.size() && text[k] == '-') ++k;
  return k - at >= 2 && k < text.size() && IsWordChar(text[k]);
}

// Where a hyphenated word may break: after text[k] == '-'.
bool HyphenBreakAfter(std::string_view text, size_t k) {
  if (text[k] != '-') return false;
  const auto at = [&](size_t i) { return i < text.size() ? text[i] : ' '; };
  const bool two_letters = k >= 2 && IsLetter(text[k - 2]) && IsLetter(text[k - 1]);
  const bool letter_dash_letter =
      k >= 3 && IsLetter(text[k - 3]) && text[k - 2] == '-' && IsLetter(text[k - 1]);
  if (!two_letters && !letter_dash_letter) return false;
  if (!IsLetter(at(k + 1))) return false;
  return IsLetter(at(k + 2)) || (at(k + 2) == '-' && IsLetter(at(k + 3)));
}

// textwrap.TextWrapper._split with break_on_hyphens.
std::vector<std::string> SplitChunks(std::string_view text) {
  std::vector<std::string> chunks;
  size_t pos = 0;
  while (pos < text.size()) {
    if (text[pos] == ' ') {
      size_t end = pos;
      while (end < text.size() && text[end] == ' ') ++end;
      chunks.emplace_back(text.substr(pos, end - pos));
      pos = end;
      continue;
    }
    if (pos > 0 && IsWordPunct(text[pos - 1]) && EmDashAt(text, pos)) {
      size_t end = pos;
      while (end < text.size() && text[end] == '-') ++end;
      chunks.emplace_back(text.substr(pos, end - pos));
      pos = end;
      continue;
    }
    size_t k = pos + 1;
    for (;; ++k) {
      if (k >= text.size() || text[k] == ' ') break;
      if (HyphenBreakAfter(text, k)) {
        ++k;
        break;
      }
      if (IsWordPunct(text[k - 1]) && EmDashAt(text, k)) break;
    }
    chunks.emplace_back(text.substr(pos, k - pos));
    pos = k;
  }
  return chunks;
}

bool IsBlank(const std::string& chunk) {
  return std::all_of(chunk.begin(), chunk.end(), [](char c) { return c == ' '; });
}

// textwrap's _handle_long_word with break_long_words and break_on_hyphens.
void HandleLongWord(std::vector<std::string>& reversed, std::vector<std::string>& line,
                    size_t cur_len, int width) {
  const size_t space_left = width < 1 ? 1 : static_cast<size_t>(width) - cur_len;
  std::string& chunk = reversed.back();
  size_t end = space_left;
  if (chunk.size() > space_left) {
    const size_t hyphen = chunk.rfind('-', space_left == 0 ? 0 : space_left - 1);
    if (hyphen != std::string::npos && hyphen > 0 && hyphen < space_left &&
        chunk.find_first_not_of('-') < hyphen) {
      end = hyphen + 1;
    }
  }
  line.push_back(chunk.substr(0, end));
  chunk.erase(0, end);
}

std::vector<std::string> WrapChunks(std::vector<std::string> chunks, int width) {
  std::vector<std::string> lines;
  std::reverse(chunks.begin(), chunks.end());
  while (!chunks.empty()) {
    std::vector<std::string> line;
    size_t cur_len = 0;
    if (IsBlank(chunks.back()) && !lines.empty()) chunks.pop_back();
    while (!chunks.empty()) {
      const size_t l = chunks.back().size();
      if (static_cast<int64_t>(cur_len + l) > width) break;
      line.push_back(std::move(chunks.back()));
      chunks.pop_back();
      cur_len += l;
    }
    if (!chunks.empty() && static_cast<int64_t>(chunks.back().size()) > width) {
      HandleLongWord(chunks, line, cur_len, width);
      if (chunks.back().empty()) chunks.pop_back();
    }
    if (!line.empty() && IsBlank(line.back())) line.pop_back();
    if (!line.empty()) {
      std::string joined;
      for (const std::string& piece : line) joined += piece;
      lines.push_back(std::move(joined));
    }
  }
  return lines;
}

// The parts argparse's usage wrapper splits on: "[...]" groups or words.
std::vector<std::string> UsageParts(const std::vector<std::string>& items) {
  std::vector<std::string> parts;
  for (const std::string& item : items) {
    size_t pos = 0;
    while (pos < item.size()) {
      if (item[pos] == ' ') {
        ++pos;
        continue;
      }
      size_t end = item.find(' ', pos);
      if (end == std::string::npos) end = item.size();
      if (item[pos] == '[') {
        // "\[.*?\]+(?=\s|$)": the shortest run ending in ']' before a space.
        size_t k = pos + 1;
        while (k < item.size()) {
          if (item[k] == ']' && (k + 1 == item.size() || item[k + 1] == ' ')) break;
          ++k;
        }
        if (k < item.size()) end = k + 1;
      }
      parts.push_back(item.substr(pos, end - pos));
      pos = end;
    }
  }
  return parts;
}

std::string JoinStrings(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool LooksLikeNegativeNumber(std::string_view arg) {
  // '^-\d+$|^-\d*\.\d+$'
  if (arg.size() < 2 || arg[0] != '-') return false;
  const std::string_view rest = arg.substr(1);
  const size_t dot = rest.find('.');
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (dot == std::string_view::npos) return digits(rest);
  return digits(rest.substr(0, dot)) && dot + 1 < rest.size() && digits(rest.substr(dot + 1));
}

struct OptionTuple {
  int action = -1;  // -1: not an option this parser knows
  std::string option_string;
  std::optional<std::string> explicit_arg;
};

class ArgumentError {
 public:
  std::string message;
};

}  // namespace

int ParseResult::ExitStatus() const {
  switch (status) {
    case Status::Ok:
    case Status::Help: return 0;
    case Status::Error: return 2;
  }
  return 2;
}

std::optional<int64_t> ParsePythonInt(std::string_view text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && IsAsciiSpace(text[begin])) ++begin;
  while (end > begin && IsAsciiSpace(text[end - 1])) --end;
  text = text.substr(begin, end - begin);
  bool negative = false;
  if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.front() == '_' || text.back() == '_') return std::nullopt;
  __int128 value = 0;
  constexpr __int128 kCap = static_cast<__int128>(std::numeric_limits<int64_t>::max()) + 1;
  char previous = 0;
  for (char c : text) {
    if (c == '_') {
      if (previous == '_') return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      value = std::min<__int128>(value * 10 + (c - '0'), kCap);
    } else {
      return std::nullopt;
    }
    previous = c;
  }
  if (negative) return static_cast<int64_t>(-value);
  return static_cast<int64_t>(std::min<__int128>(value, kCap - 1));
}

std::vector<std::string> WrapText(std::string_view text, int width) {
  const std::string normal = NormaliseWhitespace(text);
  return WrapChunks(SplitChunks(normal), width);
}

Parser::Parser(std::string prog, std::string description)
    : prog_(std::move(prog)), description_(std::move(description)) {
  ArgSpec help;
  help.option_strings = {"-h", "--help"};
  help.dest = "help";
  help.kind = ActionKind::Help;
  help.help = "show this help message and exit";
  specs_.push_back(std::move(help));
}

size_t Parser::Add(ArgSpec spec) {
  specs_.push_back(std::move(spec));
  return specs_.size() - 1;
}

int Parser::DefaultWidth() {
  int columns = 0;
  if (const char* env = std::getenv("COLUMNS"); env != nullptr && *env != '\0') {
    // shutil.get_terminal_size: int($COLUMNS), ignored when not a number.
    if (auto n = ParsePythonInt(env); n && *n > 0 && *n < 100000) columns = static_cast<int>(*n);
  }
  if (columns <= 0) {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
      columns = size.ws_col;
    } else {
      columns = 80;
    }
  }
  return columns - 2;
}

std::string Parser::Metavar(const ArgSpec& spec) const {
  if (!spec.metavar.empty()) return spec.metavar;
  if (!spec.choices.empty()) return "{" + JoinStrings(spec.choices, ",") + "}";
  return spec.option_strings.empty() ? spec.dest : Upper(spec.dest);
}

namespace {
bool TakesNoValue(ActionKind kind) {
  switch (kind) {
    case ActionKind::Help:
    case ActionKind::StoreTrue:
    case ActionKind::StoreConst:
    case ActionKind::Count: return true;
    case ActionKind::Store:
    case ActionKind::Append: return false;
  }
  return false;
}
}  // namespace

std::string Parser::ActionUsage(const ArgSpec& spec) const {
  if (spec.option_strings.empty()) {
    const std::string metavar = Metavar(spec);
    if (spec.positional_plus) return fmt::format("{} [{} ...]", metavar, metavar);
    return fmt::format("[{} ...]", metavar);
  }
  if (TakesNoValue(spec.kind)) return fmt::format("[{}]", spec.option_strings[0]);
  return fmt::format("[{} {}]", spec.option_strings[0], Metavar(spec));
}

std::string Parser::Invocation(const ArgSpec& spec) const {
  if (spec.option_strings.empty()) return Metavar(spec);
  std::vector<std::string> parts;
  for (const std::string& option : spec.option_strings) {
    parts.push_back(TakesNoValue(spec.kind) ? option
                                            : fmt::format("{} {}", option, Metavar(spec)));
  }
  return JoinStrings(parts, ", ");
}

std::string Parser::UsageBody(int width, size_t prefix_length) const {
  std::vector<std::string> optionals;
  std::vector<std::string> positionals;
  for (const ArgSpec& spec : specs_) {
    (spec.option_strings.empty() ? positionals : optionals).push_back(ActionUsage(spec));
  }
  std::vector<std::string> all = optionals;
  all.insert(all.end(), positionals.begin(), positionals.end());
  const std::string usage = prog_ + (all.empty() ? "" : " " + JoinStrings(all, " "));
  const int64_t text_width = width;
  if (static_cast<int64_t>(prefix_length + usage.size()) <= text_width) return usage;

  const std::vector<std::string> opt_parts = UsageParts(optionals);
  const std::vector<std::string> pos_parts = UsageParts(positionals);
  const auto get_lines = [&](const std::vector<std::string>& parts, size_t indent,
                             std::optional<size_t> prefix) {
    std::vector<std::string> lines;
    std::vector<std::string> line;
    int64_t line_len = static_cast<int64_t>(prefix ? *prefix : indent) - 1;
    const std::string pad(indent, ' ');
    for (const std::string& part : parts) {
      if (line_len + 1 + static_cast<int64_t>(part.size()) > text_width && !line.empty()) {
        lines.push_back(pad + JoinStrings(line, " "));
        line.clear();
        line_len = static_cast<int64_t>(indent) - 1;
      }
      line.push_back(part);
      line_len += static_cast<int64_t>(part.size()) + 1;
    }
    if (!line.empty()) lines.push_back(pad + JoinStrings(line, " "));
    if (prefix && !lines.empty()) lines[0] = lines[0].substr(indent);
    return lines;
  };

  std::vector<std::string> lines;
  if (static_cast<double>(prefix_length + prog_.size()) <= 0.75 * static_cast<double>(text_width)) {
    const size_t indent = prefix_length + prog_.size() + 1;
    if (!opt_parts.empty()) {
      std::vector<std::string> first = {prog_};
      first.insert(first.end(), opt_parts.begin(), opt_parts.end());
      lines = get_lines(first, indent, prefix_length);
      for (std::string& l : get_lines(pos_parts, indent, std::nullopt)) lines.push_back(std::move(l));
    } else if (!pos_parts.empty()) {
      std::vector<std::string> first = {prog_};
      first.insert(first.end(), pos_parts.begin(), pos_parts.end());
      lines = get_lines(first, indent, prefix_length);
    } else {
      lines = {prog_};
    }
  } else {
    const size_t indent = prefix_length;
    std::vector<std::string> parts = opt_parts;
    parts.insert(parts.end(), pos_parts.begin(), pos_parts.end());
    lines = get_lines(parts, indent, std::nullopt);
    if (lines.size() > 1) {
      lines = get_lines(opt_parts, indent, std::nullopt);
      for (std::string& l : get_lines(pos_parts, indent, std::nullopt)) lines.push_back(std::move(l));
    }
    lines.insert(lines.begin(), prog_);
  }
  return JoinStrings(lines, "\n");
}

std::string Parser::FormatUsage(int width) const {
  constexpr std::string_view kPrefix = "usage: ";
  return fmt::format("{}{}\n", kPrefix, UsageBody(width, kPrefix.size()));
}

std::string Parser::FormatError(std::string_view message, int width) const {
  return fmt::format("{}{}: error: {}\n", FormatUsage(width), prog_, message);
}

std::string Parser::FormatHelp(int width) const {
  std::string out = FormatUsage(width) + "\n";
  if (!description_.empty()) {
    const int text_width = std::max(width, 11);
    out += JoinStrings(WrapText(description_, text_width), "\n") + "\n\n";
  }
  constexpr int kIndent = 2;
  size_t max_length = 0;
  for (const ArgSpec& spec : specs_) {
    max_length = std::max(max_length, Invocation(spec).size() + kIndent);
  }
  const int max_help_position = std::min(24, std::max(width - 20, 2 * kIndent));
  const int help_position = std::min(static_cast<int>(max_length) + 2, max_help_position);
  const int help_width = std::max(width - help_position, 11);
  const int action_width = help_position - kIndent - 2;

  const auto format_action = [&](const ArgSpec& spec) {
    std::string text;
    const std::string header = Invocation(spec);
    int indent_first = 0;
    if (static_cast<int>(header.size()) <= action_width) {
      text = fmt::format("{:{}}{:<{}}  ", "", kIndent, header, action_width);
    } else {
      text = fmt::format("{:{}}{}\n", "", kIndent, header);
      indent_first = help_position;
    }
    const std::vector<std::string> lines = WrapText(spec.help, help_width);
    for (size_t i = 0; i < lines.size(); ++i) {
      text += fmt::format("{:{}}{}\n", "", i == 0 ? indent_first : help_position, lines[i]);
    }
    if (lines.empty() && text.back() != '\n') text += "\n";
    return text;
  };
  const auto section = [&](std::string_view heading, bool positional) {
    std::string items;
    for (const ArgSpec& spec : specs_) {
      if (spec.option_strings.empty() == positional) items += format_action(spec);
    }
    if (items.empty()) return;
    out += fmt::format("\n{}:\n{}\n", heading, items);
  };
  section("positional arguments", true);
  section("options", false);
  // argparse collapses runs of blank lines and ends with exactly one newline.
  std::string collapsed;
  for (char c : out) {
    if (c == '\n' && collapsed.size() >= 2 && collapsed[collapsed.size() - 1] == '\n' &&
        collapsed[collapsed.size() - 2] == '\n') {
      continue;
    }
    collapsed.push_back(c);
  }
  while (!collapsed.empty() && collapsed.back() == '\n') collapsed.pop_back();
  size_t start = collapsed.find_first_not_of('\n');
  return (start == std::string::npos ? std::string() : collapsed.substr(start)) + "\n";
}

ParseResult Parser::Parse(const std::vector<std::string>& args) const {
  ParseResult result;
  result.values.resize(specs_.size());
  const int width = DefaultWidth();
  const auto fail = [&](std::string_view message) {
    result.status = ParseResult::Status::Error;
    result.output = FormatError(message, width);
    return result;
  };
  const auto action_name = [&](int index) {
    const ArgSpec& spec = specs_[static_cast<size_t>(index)];
    if (!spec.option_strings.empty()) return JoinStrings(spec.option_strings, "/");
    return Metavar(spec);
  };
  std::map<std::string, int> option_map;
  for (size_t i = 0; i < specs_.size(); ++i) {
    for (const std::string& option : specs_[i].option_strings) option_map[option] = static_cast<int>(i);
  }
  // Option strings in the order they were added (prefix matches list them so).
  std::vector<std::pair<std::string, int>> option_order;
  for (size_t i = 0; i < specs_.size(); ++i) {
    for (const std::string& option : specs_[i].option_strings) option_order.emplace_back(option, static_cast<int>(i));
  }

  // --- classify every argument: 'O' option, 'A' argument, '-' for "--" ---
  std::string pattern;
  std::map<size_t, OptionTuple> options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      pattern += '-';
      for (++i; i < args.size(); ++i) pattern += 'A';
      break;
    }
    if (arg.empty() || arg[0] != '-') {
      pattern += 'A';
      continue;
    }
    if (auto it = option_map.find(arg); it != option_map.end()) {
      options[i] = {it->second, arg, std::nullopt};
      pattern += 'O';
      continue;
    }
    if (arg.size() == 1) {
      pattern += 'A';
      continue;
    }
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      if (auto it = option_map.find(arg.substr(0, eq)); it != option_map.end()) {
        options[i] = {it->second, arg.substr(0, eq), arg.substr(eq + 1)};
        pattern += 'O';
        continue;
      }
    }
    std::vector<OptionTuple> matches;
    if (arg[1] == '-') {
      const size_t eq = arg.find('=');
      const std::string prefix = arg.substr(0, eq);
      std::optional<std::string> explicit_arg;
      if (eq != std::string::npos) explicit_arg = arg.substr(eq + 1);
      for (const auto& [option, index] : option_order) {
        if (option.starts_with(prefix)) matches.push_back({index, option, explicit_arg});
      }
    } else {
      const std::string short_prefix = arg.substr(0, 2);
      for (const auto& [option, index] : option_order) {
        if (option == short_prefix) {
          matches.push_back({index, option, arg.substr(2)});
        } else if (option.starts_with(arg)) {
          matches.push_back({index, option, std::nullopt});
        }
      }
    }
    if (matches.size() > 1) {
      std::vector<std::string> names;
      for (const OptionTuple& m : matches) names.push_back(m.option_string);
      return fail(fmt::format("ambiguous option: {} could match {}", arg, JoinStrings(names, ", ")));
    }
    if (matches.size() == 1) {
      options[i] = matches[0];
      pattern += 'O';
      continue;
    }
    if (LooksLikeNegativeNumber(arg) || arg.find(' ') != std::string::npos) {
      pattern += 'A';
      continue;
    }
    options[i] = {-1, arg, std::nullopt};
    pattern += 'O';
  }

  std::vector<std::string> extras;
  std::vector<int> positionals;
  for (size_t i = 0; i < specs_.size(); ++i) {
    if (specs_[i].option_strings.empty()) positionals.push_back(static_cast<int>(i));
  }

  try {
    const auto convert = [&](int index, const std::string& text) -> std::pair<std::string, int64_t> {
      const ArgSpec& spec = specs_[static_cast<size_t>(index)];
      int64_t number = 0;
      if (spec.type == ValueType::Int) {
        auto n = ParsePythonInt(text);
        if (!n) {
          throw ArgumentError{fmt::format("argument {}: invalid int value: {}", action_name(index),
                                          pyc::PathRepr(text))};
        }
        number = *n;
      }
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        std::vector<std::string> quoted;
        for (const std::string& choice : spec.choices) quoted.push_back(pyc::PathRepr(choice));
        throw ArgumentError{fmt::format("argument {}: invalid choice: {} (choose from {})",
                                        action_name(index), pyc::PathRepr(text),
                                        JoinStrings(quoted, ", "))};
      }
      return {text, number};
    };
    // Returns true when the action asks to stop (help).
    const auto take_action = [&](int index, std::vector<std::string> strings) {
      const ArgSpec& spec = specs_[static_cast<size_t>(index)];
      Value& value = result.values[static_cast<size_t>(index)];
      if (spec.option_strings.empty()) {
        if (auto dd = std::find(strings.begin(), strings.end(), "--"); dd != strings.end()) strings.erase(dd);
      }
      value.seen = true;
      switch (spec.kind) {
        case ActionKind::Help:
          result.status = ParseResult::Status::Help;
          result.output = FormatHelp(width);
          return true;
        case ActionKind::StoreTrue: value.flag = true; break;
        case ActionKind::StoreConst: value.number = spec.const_value; break;
        case ActionKind::Count: ++value.count; break;
        case ActionKind::Store: {
          if (spec.option_strings.empty()) {
            for (const std::string& s : strings) value.strings.push_back(convert(index, s).first);
            break;
          }
          auto [text, number] = convert(index, strings.at(0));
          if (spec.type == ValueType::Int) {
            value.number = number;
          } else {
            value.text = text;
          }
          break;
        }
        case ActionKind::Append: {
          auto [text, number] = convert(index, strings.at(0));
          if (spec.type == ValueType::Int) {
            value.numbers.push_back(number);
          } else {
            value.strings.push_back(text);
          }
          break;
        }
      }
      return false;
    };
    // Number of strings an option takes from `selected` ('A's), or error.
    const auto match_option = [&](int index, std::string_view selected) -> size_t {
      if (TakesNoValue(specs_[static_cast<size_t>(index)].kind)) return 0;
      if (!selected.empty() && selected[0] == 'A') return 1;
      throw ArgumentError{fmt::format("argument {}: expected one argument", action_name(index))};
    };
    bool stop = false;
    const auto consume_optional = [&](size_t start) -> size_t {
      OptionTuple tuple = options.at(start);
      std::vector<std::pair<int, std::vector<std::string>>> actions;
      size_t next = start + 1;
      while (true) {
        if (tuple.action < 0) {
          extras.push_back(args[start]);
          return start + 1;
        }
        if (tuple.explicit_arg) {
          const size_t count = match_option(tuple.action, "A");
          if (count == 0 && tuple.option_string[1] != '-' && !tuple.explicit_arg->empty()) {
            actions.push_back({tuple.action, {}});
            const std::string flag = std::string("-") + (*tuple.explicit_arg)[0];
            std::optional<std::string> rest;
            if (tuple.explicit_arg->size() > 1) rest = tuple.explicit_arg->substr(1);
            if (auto it = option_map.find(flag); it != option_map.end()) {
              tuple = {it->second, flag, rest};
              continue;
            }
            throw ArgumentError{fmt::format("argument {}: ignored explicit argument {}",
                                            action_name(tuple.action), pyc::PathRepr(*tuple.explicit_arg))};
          }
          if (count == 1) {
            actions.push_back({tuple.action, {*tuple.explicit_arg}});
            next = start + 1;
            break;
          }
          throw ArgumentError{fmt::format("argument {}: ignored explicit argument {}",
                                          action_name(tuple.action), pyc::PathRepr(*tuple.explicit_arg))};
        }
        const size_t first = start + 1;
        const size_t count = match_option(tuple.action, std::string_view(pattern).substr(first));
        actions.push_back({tuple.action, std::vector<std::string>(args.begin() + static_cast<ptrdiff_t>(first),
                                                                  args.begin() + static_cast<ptrdiff_t>(first + count))});
        next = first + count;
        break;
      }
      for (auto& [index, strings] : actions) {
        if (take_action(index, std::move(strings))) {
          stop = true;
          break;
        }
      }
      return next;
    };
    const auto consume_positionals = [&](size_t start) -> size_t {
      if (positionals.empty()) return start;
      const int index = positionals.front();
      const ArgSpec& spec = specs_[static_cast<size_t>(index)];
      // '-*[A-]*' for '*', '-*A[A-]*' for '+'
      size_t k = start;
      while (k < pattern.size() && pattern[k] == '-') ++k;
      if (spec.positional_plus) {
        if (k >= pattern.size() || pattern[k] != 'A') return start;
        ++k;
      }
      while (k < pattern.size() && (pattern[k] == 'A' || pattern[k] == '-')) ++k;
      positionals.erase(positionals.begin());
      take_action(index, std::vector<std::string>(args.begin() + static_cast<ptrdiff_t>(start),
                                                  args.begin() + static_cast<ptrdiff_t>(k)));
      return k;
    };

    size_t start = 0;
    const size_t max_option = options.empty() ? 0 : options.rbegin()->first;
    while (!options.empty() && start <= max_option && !stop) {
      const size_t next_option = options.lower_bound(start)->first;
      if (start != next_option) {
        const size_t end = consume_positionals(start);
        if (end > start) {
          start = end;
          continue;
        }
        start = end;
      }
      if (!options.contains(start)) {
        for (size_t i = start; i < next_option; ++i) extras.push_back(args[i]);
        start = next_option;
      }
      start = consume_optional(start);
    }
    if (stop) return result;
    const size_t stop_index = consume_positionals(start);
    for (size_t i = stop_index; i < args.size(); ++i) extras.push_back(args[i]);
    std::vector<std::string> missing;
    for (int index : positionals) {
      if (specs_[static_cast<size_t>(index)].positional_plus) missing.push_back(action_name(index));
    }
    if (!missing.empty()) {
      return fail(fmt::format("the following arguments are required: {}", JoinStrings(missing, ", ")));
    }
  } catch (const ArgumentError& e) {
    return fail(e.message);
  }
  if (!extras.empty()) return fail(fmt::format("unrecognized arguments: {}", JoinStrings(extras, " ")));
  return result;
}

}  // namespace xpyc::driver::cli
