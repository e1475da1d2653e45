#include "codegen/name_table.h"

namespace xpyc::codegen {

uint32_t NameTable::Add(NameId id, const Interner& names) {
  const int32_t found = Find(id);
  if (found >= 0) return static_cast<uint32_t>(found);
  return Append(id, names.Spelling(id));
}

int32_t NameTable::Find(NameId id) const {
  const uint32_t position =
      positions_.Find(id.index, ids_.size(), [&](uint32_t k) { return ids_[k]; });
  return position == IdPositions::kAbsent ? -1 : static_cast<int32_t>(position);
}

uint32_t NameTable::Add(std::string_view name) {
  const int32_t found = Find(name);
  if (found >= 0) return static_cast<uint32_t>(found);
  return Append(NameId{}, name);
}

int32_t NameTable::Find(std::string_view name) const {
  for (std::size_t i = 0; i < items_.size(); ++i) {
    if (items_[i] == name) return static_cast<int32_t>(i);
  }
  return -1;
}

uint32_t NameTable::Append(NameId id, std::string_view spelling) {
  const auto pos = static_cast<uint32_t>(items_.size());
  if (items_.empty()) {
    items_.reserve(8);
    ids_.reserve(8);
  }
  items_.emplace_back(spelling);
  ids_.push_back(id.index);
  positions_.Appended(pos, [&](uint32_t k) { return ids_[k]; });
  return pos;
}

}  // namespace xpyc::codegen
