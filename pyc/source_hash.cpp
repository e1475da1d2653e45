// importlib.util.source_hash of CPython 3.10: SipHash-2-4 over the source
// bytes, keyed with k0 = the raw magic number and k1 = 0; the 64-bit result
// is stored little-endian. Written from the SipHash paper's definition.
#include <fmt/format.h>

#include "pyc/pyc.h"

namespace xpyc::pyc {
namespace {

constexpr uint64_t RotateLeft(uint64_t x, int bits) {
  return (x << bits) | (x >> (64 - bits));
}

struct SipState {
  uint64_t v0, v1, v2, v3;

  SipState(uint64_t k0, uint64_t k1)
      : v0(k0 ^ 0x736f6d6570736575ULL),
        v1(k1 ^ 0x646f72616e646f6dULL),
        v2(k0 ^ 0x6c7967656e657261ULL),
        v3(k1 ^ 0x7465646279746573ULL) {}

  void Round() {
    v0 += v1;
    v1 = RotateLeft(v1, 13) ^ v0;
    v0 = RotateLeft(v0, 32);
    v2 += v3;
    v3 = RotateLeft(v3, 16) ^ v2;
    v0 += v3;
    v3 = RotateLeft(v3, 21) ^ v0;
    v2 += v1;
    v1 = RotateLeft(v1, 17) ^ v2;
    v2 = RotateLeft(v2, 32);
  }

  void Absorb(uint64_t word) {  // two compression rounds per 8-byte word
    v3 ^= word;
    Round();
    Round();
    v0 ^= word;
  }

  uint64_t Finish() {  // four finalization rounds
    v2 ^= 0xff;
    for (int i = 0; i < 4; ++i) Round();
    return v0 ^ v1 ^ v2 ^ v3;
  }
};

uint64_t LoadLittleEndian(const unsigned char* p, size_t count) {
  uint64_t word = 0;
  for (size_t i = 0; i < count; ++i) word |= static_cast<uint64_t>(p[i]) << (8 * i);
  return word;
}

uint64_t SipHash24(uint64_t k0, uint64_t k1, std::string_view data) {
  SipState state(k0, k1);
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  const size_t full_words = data.size() / 8;
  for (size_t i = 0; i < full_words; ++i) state.Absorb(LoadLittleEndian(bytes + 8 * i, 8));
  const size_t tail = data.size() % 8;
  // The last word carries the leftover bytes and the length's low byte on top.
  uint64_t last = LoadLittleEndian(bytes + 8 * full_words, tail);
  last |= static_cast<uint64_t>(data.size()) << 56;
  state.Absorb(last);
  return state.Finish();
}

}  // namespace

SourceHash ComputeSourceHash(std::string_view source) {
  const uint64_t value = SipHash24(kRawMagic, 0, source);
  SourceHash out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(value >> (8 * i));
  return out;
}

std::string SourceHashHex(const SourceHash& hash) {
  std::string out;
  out.reserve(16);
  for (uint8_t b : hash) fmt::format_to(std::back_inserter(out), "{:02x}", b);
  return out;
}

}  // namespace xpyc::pyc
