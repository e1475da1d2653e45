#include "codegen/name_table.h"

#include "lexer/interner.h"

namespace xpyc::codegen {
namespace {

uint32_t NameHash(std::string_view name) { return HashSpelling(name); }

// Most tables hold a handful of names: those are searched in place, and the
// hash index is only built once a table grows past kLinearLimit.
constexpr std::size_t kLinearLimit = 16;

}  // namespace

uint32_t NameTable::Add(std::string_view name) {
  const int32_t found = Find(name);
  if (found >= 0) return static_cast<uint32_t>(found);
  const auto pos = static_cast<uint32_t>(items_.size());
  if (items_.empty()) items_.reserve(8);
  items_.emplace_back(name);
  if (items_.size() == kLinearLimit + 1) {
    for (uint32_t i = 0; i < items_.size(); ++i) positions_.Insert(NameHash(items_[i]), i);
  } else if (items_.size() > kLinearLimit + 1) {
    positions_.Insert(NameHash(name), pos);
  }
  return pos;
}

int32_t NameTable::Find(std::string_view name) const {
  if (items_.size() <= kLinearLimit) {
    for (std::size_t i = 0; i < items_.size(); ++i) {
      if (items_[i] == name) return static_cast<int32_t>(i);
    }
    return -1;
  }
  const uint32_t position =
      positions_.Find(NameHash(name), [&](uint32_t pos) { return items_[pos] == name; }).position;
  return position == PositionIndex::kAbsent ? -1 : static_cast<int32_t>(position);
}

}  // namespace xpyc::codegen
