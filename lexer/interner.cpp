#include "lexer/interner.h"

#include <deque>
#include <string>
#include <unordered_map>

namespace xpyc {

struct Interner::Impl {
  std::deque<std::string> spellings;  // stable addresses for the map's keys
  std::unordered_map<std::string_view, uint32_t> ids;
};

Interner::Interner() : impl_(std::make_unique<Impl>()) {}
Interner::~Interner() = default;

NameId Interner::Intern(std::string_view spelling) {
  if (auto it = impl_->ids.find(spelling); it != impl_->ids.end()) return {it->second};
  auto id = static_cast<uint32_t>(impl_->spellings.size());
  const std::string& stored = impl_->spellings.emplace_back(spelling);
  impl_->ids.emplace(stored, id);
  return {id};
}

std::string_view Interner::Spelling(NameId id) const { return impl_->spellings.at(id.index); }

uint32_t Interner::size() const { return static_cast<uint32_t>(impl_->spellings.size()); }

}  // namespace xpyc
