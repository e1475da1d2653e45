#pragma once
// The generated \N{...} name table (parser/unicode_names_data.cpp, made by
// tools/gen_unicode_names.py). Layout is described in that script.
#include <cstdint>

namespace xpyc::literals::unicode_names {

struct IdeographRange {
  uint32_t first;
  uint32_t last;
};

extern const uint32_t kEntryCount;
extern const uint32_t kBlockSize;
extern const uint32_t kBlockCount;
extern const uint32_t kBlockOffsets[];
extern const IdeographRange kUnifiedIdeographs[];
extern const uint32_t kUnifiedIdeographRangeCount;
extern const char kBlob[];
extern const uint32_t kBlobSize;

}  // namespace xpyc::literals::unicode_names
