#pragma once
// The name tables of a code unit (co_names, co_varnames, co_cellvars,
// co_freevars).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexer/position_index.h"

namespace xpyc::codegen {

// Insertion-ordered, deduplicated names (co_names, co_varnames, ...).
class NameTable {
 public:
  uint32_t Add(std::string_view name);
  // Index of `name`, or -1 when absent.
  int32_t Find(std::string_view name) const;
  const std::vector<std::string>& items() const { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  std::vector<std::string> items_;
  PositionIndex positions_;  // by spelling hash, once past a few names
};

}  // namespace xpyc::codegen
