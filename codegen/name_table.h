#pragma once
// The name tables of a code unit (co_names, co_varnames, co_cellvars,
// co_freevars).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/interner.h"
#include "lexer/position_index.h"

namespace xpyc::codegen {

// Insertion-ordered, deduplicated names (co_names, co_varnames, ...), keyed
// by NameId: the compiler adds interned names, so finding one compares ids,
// and the spelling is copied once, when the name is first added.
class NameTable {
 public:
  uint32_t Add(NameId id, const Interner& names);
  // Index of `id`, or -1 when absent.
  int32_t Find(NameId id) const;

  // By spelling, for tables built without an interner (tests and tools).
  // These compare spellings; Find(NameId) does not see names added this way.
  uint32_t Add(std::string_view name);
  int32_t Find(std::string_view name) const;

  const std::vector<std::string>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  uint32_t Append(NameId id, std::string_view spelling);

  std::vector<std::string> items_;
  std::vector<uint32_t> ids_;  // NameId indices, parallel to items_
  IdPositions positions_;
};

}  // namespace xpyc::codegen
