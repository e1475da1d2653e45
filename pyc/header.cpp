// The 16-byte pyc header of CPython 3.10 (importlib's _code_to_timestamp_pyc
// and _code_to_hash_pyc, and the checks _classify_pyc makes when reading).
#include <cmath>

#include <fmt/format.h>

#include "marshal/marshal.h"
#include "pyc/pyc.h"

namespace xpyc::pyc {
namespace {

constexpr uint32_t kFlagHashBased = 0b01;
constexpr uint32_t kFlagCheckSource = 0b10;

void AppendUint32(uint32_t value, std::string& out) {
  for (int shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

uint32_t ReadUint32(std::string_view bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) {
    value |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  }
  return value;
}

// int(st_mtime) & 0xFFFFFFFF, where st_mtime is the double sec + nsec * 1e-9
// (so a nanosecond part close to 1s can round the float up to the next second).
uint32_t TruncatedMtime(int64_t sec, int64_t nsec) {
  const double as_float = static_cast<double>(sec) + static_cast<double>(nsec) * 1e-9;
  const double truncated = std::trunc(as_float);
  // Far outside int64 cannot come from a real stat; clamp rather than overflow.
  if (!(truncated > -9.2e18 && truncated < 9.2e18)) return 0;
  return static_cast<uint32_t>(static_cast<uint64_t>(static_cast<int64_t>(truncated)));
}

}  // namespace

uint32_t FlagsFor(InvalidationMode mode) {
  switch (mode) {
    case InvalidationMode::Timestamp:
      return 0;
    case InvalidationMode::CheckedHash:
      return kFlagHashBased | kFlagCheckSource;
    case InvalidationMode::UncheckedHash:
      return kFlagHashBased;
  }
  return 0;
}

Header TimestampHeader(int64_t mtime_sec, int64_t mtime_nsec, uint64_t source_size) {
  Header header;
  header.mode = InvalidationMode::Timestamp;
  header.mtime = TruncatedMtime(mtime_sec, mtime_nsec);
  header.source_size = static_cast<uint32_t>(source_size & 0xFFFFFFFFu);
  return header;
}

Header TimestampHeaderFromStat(const struct stat& source_stat) {
  return TimestampHeader(source_stat.st_mtim.tv_sec, source_stat.st_mtim.tv_nsec,
                         static_cast<uint64_t>(source_stat.st_size));
}

Header HashHeader(std::string_view source, bool checked) {
  Header header;
  header.mode = checked ? InvalidationMode::CheckedHash : InvalidationMode::UncheckedHash;
  header.hash = ComputeSourceHash(source);
  return header;
}

void AppendHeader(const Header& header, std::string& out) {
  for (uint8_t b : kMagicBytes) out.push_back(static_cast<char>(b));
  AppendUint32(FlagsFor(header.mode), out);
  switch (header.mode) {
    case InvalidationMode::Timestamp:
      AppendUint32(header.mtime, out);
      AppendUint32(header.source_size, out);
      return;
    case InvalidationMode::CheckedHash:
    case InvalidationMode::UncheckedHash:
      for (uint8_t b : header.hash) out.push_back(static_cast<char>(b));
      return;
  }
}

std::string BuildHeader(const Header& header) {
  std::string out;
  out.reserve(kHeaderSize);
  AppendHeader(header, out);
  return out;
}

std::string AssemblePyc(const Header& header, marshal::Ref code) {
  std::string out = BuildHeader(header);
  marshal::Write(code, out);
  return out;
}

std::optional<Header> ParseHeader(std::string_view pyc, std::string& error) {
  if (pyc.size() < kHeaderSize) {
    error = fmt::format("pyc too short: {} bytes, the header alone is {}", pyc.size(),
                        kHeaderSize);
    return std::nullopt;
  }
  for (size_t i = 0; i < kMagicBytes.size(); ++i) {
    if (static_cast<uint8_t>(pyc[i]) != kMagicBytes[i]) {
      error = fmt::format("bad magic number {:08x} (expected {:08x}, CPython 3.10)",
                          ReadUint32(pyc, 0), kRawMagic);
      return std::nullopt;
    }
  }
  // Like importlib's _classify_pyc: only the two low bits may be set; without
  // the hash bit the pyc is timestamp-based whatever the check_source bit says.
  const uint32_t flags = ReadUint32(pyc, 4);
  if ((flags & ~(kFlagHashBased | kFlagCheckSource)) != 0) {
    error = fmt::format("invalid flags {} in pyc header", flags);
    return std::nullopt;
  }
  Header header;
  if ((flags & kFlagHashBased) == 0) {
    header.mode = InvalidationMode::Timestamp;
    header.mtime = ReadUint32(pyc, 8);
    header.source_size = ReadUint32(pyc, 12);
    return header;
  }
  header.mode = (flags & kFlagCheckSource) != 0 ? InvalidationMode::CheckedHash
                                                : InvalidationMode::UncheckedHash;
  for (size_t i = 0; i < header.hash.size(); ++i) {
    header.hash[i] = static_cast<uint8_t>(pyc[8 + i]);
  }
  return header;
}

}  // namespace xpyc::pyc
