// sys.path as `python3.10 -m compileall` sees it on the target system.
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "driver/compileall.h"
#include "driver/fs_util.h"

#ifndef XPYC_TARGET_PREFIX
#define XPYC_TARGET_PREFIX "/usr"
#endif

namespace xpyc::driver {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::vector<std::string> SplitOn(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t at = text.find(separator, start);
    parts.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return parts;
    start = at + 1;
  }
}

// os.path.normpath for POSIX.
std::string NormPath(const std::string& path) {
  if (path.empty()) return ".";
  size_t leading = 0;
  if (path.starts_with('/')) leading = (path.starts_with("//") && !path.starts_with("///")) ? 2 : 1;
  std::vector<std::string> kept;
  for (const std::string& part : SplitOn(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part != ".." || (leading == 0 && kept.empty()) || (!kept.empty() && kept.back() == "..")) {
      kept.push_back(part);
    } else if (!kept.empty()) {
      kept.pop_back();
    }
  }
  std::string out(leading, '/');
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  return out.empty() ? "." : out;
}

std::string AbsPath(const std::string& path) {
  return NormPath(path.starts_with('/') ? path : PathJoin({fs::CurrentDirectory(), path}));
}

std::string HomeDirectory() {
  std::string home = Env("HOME");
  if (!home.empty()) return home;
  if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir != nullptr) {
    return entry->pw_dir;
  }
  return "~";
}

class PathList {
 public:
  void Add(const std::string& dir) {
    if (known_.insert(dir).second) paths_.push_back(dir);
  }
  bool Contains(const std::string& dir) const { return known_.contains(dir); }
  std::vector<std::string> Take() { return std::move(paths_); }

 private:
  std::vector<std::string> paths_;
  std::set<std::string> known_;
};

// site.addsitedir: the directory, then the directories its .pth files name
// (lines that are comments, blank or "import ..." add nothing).
void AddSiteDir(const std::string& sitedir, PathList& paths) {
  paths.Add(sitedir);
  std::vector<std::string> names;
  if (!fs::ListDir(sitedir, names)) return;
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) {
    if (!name.ends_with(".pth") || name.starts_with('.')) continue;
    std::ifstream file(PathJoin({sitedir, name}));
    std::string line;
    while (std::getline(file, line)) {
      if (line.starts_with('#') || line.starts_with("import ") || line.starts_with("import\t")) continue;
      while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r' ||
                               line.back() == '\n')) {
        line.pop_back();
      }
      if (line.empty()) continue;
      const std::string dir = AbsPath(PathJoin({sitedir, line}));
      if (!paths.Contains(dir) && fs::Exists(dir)) paths.Add(dir);
    }
  }
}

}  // namespace

std::vector<std::string> DefaultSysPath() {
  std::string prefix = XPYC_TARGET_PREFIX;
  std::string exec_prefix = prefix;
  if (const std::string home = Env("PYTHONHOME"); !home.empty()) {
    const size_t colon = home.find(':');
    prefix = home.substr(0, colon);
    exec_prefix = colon == std::string::npos ? prefix : home.substr(colon + 1);
  }
  PathList paths;
  if (const std::string pythonpath = Env("PYTHONPATH"); !pythonpath.empty()) {
    for (const std::string& entry : SplitOn(pythonpath, ':')) paths.Add(AbsPath(entry));
  }
  paths.Add(AbsPath(prefix + "/lib/python310.zip"));
  paths.Add(AbsPath(prefix + "/lib/python3.10"));
  paths.Add(AbsPath(exec_prefix + "/lib/python3.10/lib-dynload"));
  if (Env("PYTHONNOUSERSITE").empty() && ::getuid() == ::geteuid()) {
    std::string base = Env("PYTHONUSERBASE");
    if (base.empty()) base = HomeDirectory() + "/.local";
    const std::string user_site = base + "/lib/python3.10/site-packages";
    if (fs::IsDir(user_site)) AddSiteDir(user_site, paths);
  }
  for (const std::string& root : {prefix, exec_prefix}) {
    const std::string site = AbsPath(root + "/lib/python3.10/site-packages");
    if (!paths.Contains(site) && fs::IsDir(site)) AddSiteDir(site, paths);
  }
  // `-m` puts the current directory first, after site has run.
  std::vector<std::string> result = paths.Take();
  result.insert(result.begin(), fs::CurrentDirectory());
  return result;
}

}  // namespace xpyc::driver
