// importlib's cache_from_source / source_from_cache for POSIX paths, with
// sys.pycache_prefix unset (compileall's default).
#include <algorithm>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "pyc/pyc.h"

namespace xpyc::pyc {
namespace {

constexpr std::string_view kPycache = "__pycache__";
constexpr std::string_view kOptPrefix = "opt-";

struct Split {
  std::string_view head;
  std::string_view tail;
};

// importlib's _path_split: around the last separator, dropping it.
Split SplitAtLastSeparator(std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {{}, path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

std::string_view StripTrailingSeparators(std::string_view part) {
  while (!part.empty() && part.back() == '/') part.remove_suffix(1);
  return part;
}

// importlib's POSIX _path_join: non-empty parts, each stripped of trailing
// separators, joined with '/'.
std::string JoinParts(std::initializer_list<std::string_view> parts) {
  std::string out;
  bool first = true;
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    if (!first) out.push_back('/');
    out.append(StripTrailingSeparators(part));
    first = false;
  }
  return out;
}

bool IsAsciiAlnum(std::string_view text) {
  if (text.empty()) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  });
}

std::string BuildCachePath(std::string_view source_path, std::string_view optimization) {
  const Split split = SplitAtLastSeparator(source_path);
  // tail.rpartition('.'): with no dot the whole name is `rest` and sep is empty.
  const size_t dot = split.tail.rfind('.');
  std::string_view base;
  std::string_view sep;
  std::string_view rest = split.tail;
  if (dot != std::string_view::npos) {
    base = split.tail.substr(0, dot);
    sep = split.tail.substr(dot, 1);
    rest = split.tail.substr(dot + 1);
  }
  std::string filename(base.empty() ? rest : base);
  filename.append(sep);
  filename.append(kCacheTag);
  if (!optimization.empty()) {
    filename.push_back('.');
    filename.append(kOptPrefix);
    filename.append(optimization);
  }
  filename.append(".pyc");
  return JoinParts({split.head, kPycache, filename});
}

}  // namespace

std::string CacheFromSource(std::string_view source_path, int optimization_level) {
  if (optimization_level <= 0) return BuildCachePath(source_path, {});
  return BuildCachePath(source_path, fmt::format("{}", optimization_level));
}

std::optional<std::string> CacheFromSourceTag(std::string_view source_path,
                                              std::string_view optimization) {
  if (!optimization.empty() && !IsAsciiAlnum(optimization)) return std::nullopt;
  return BuildCachePath(source_path, optimization);
}

std::string LegacyCachePath(std::string_view source_path) {
  std::string out(source_path);
  out.push_back('c');
  return out;
}

std::optional<std::string> SourceFromCache(std::string_view cache_path) {
  const Split outer = SplitAtLastSeparator(cache_path);
  const Split inner = SplitAtLastSeparator(outer.head);
  if (inner.tail != kPycache) return std::nullopt;
  const std::string_view filename = outer.tail;
  const auto dots = std::count(filename.begin(), filename.end(), '.');
  if (dots != 2 && dots != 3) return std::nullopt;
  if (dots == 3) {
    // rsplit('.', 2)[-2]: the part between the last two dots.
    const size_t last = filename.rfind('.');
    const size_t before = filename.rfind('.', last - 1);
    const std::string_view optimization = filename.substr(before + 1, last - before - 1);
    if (!optimization.starts_with(kOptPrefix)) return std::nullopt;
    if (!IsAsciiAlnum(optimization.substr(kOptPrefix.size()))) return std::nullopt;
  }
  const std::string base(filename.substr(0, filename.find('.')));
  return JoinParts({inner.head, base + ".py"});
}

}  // namespace xpyc::pyc
