#pragma once
// Internal: marshal's one-byte type codes (format version 4).
#include <cstdint>

namespace xpyc::marshal::code {

inline constexpr uint8_t kNull = '0';
inline constexpr uint8_t kNone = 'N';
inline constexpr uint8_t kFalse = 'F';
inline constexpr uint8_t kTrue = 'T';
inline constexpr uint8_t kStopIteration = 'S';
inline constexpr uint8_t kEllipsis = '.';
inline constexpr uint8_t kInt = 'i';
inline constexpr uint8_t kInt64 = 'I';  // read only; CPython no longer writes it
inline constexpr uint8_t kFloat = 'f';  // text form, read only
inline constexpr uint8_t kBinaryFloat = 'g';
inline constexpr uint8_t kComplex = 'x';  // text form, read only
inline constexpr uint8_t kBinaryComplex = 'y';
inline constexpr uint8_t kLong = 'l';
inline constexpr uint8_t kString = 's';  // bytes
inline constexpr uint8_t kInterned = 't';
inline constexpr uint8_t kRef = 'r';
inline constexpr uint8_t kTuple = '(';
inline constexpr uint8_t kList = '[';
inline constexpr uint8_t kDict = '{';
inline constexpr uint8_t kCode = 'c';
inline constexpr uint8_t kUnicode = 'u';
inline constexpr uint8_t kUnknown = '?';
inline constexpr uint8_t kSet = '<';
inline constexpr uint8_t kFrozenSet = '>';
inline constexpr uint8_t kAscii = 'a';
inline constexpr uint8_t kAsciiInterned = 'A';
inline constexpr uint8_t kSmallTuple = ')';
inline constexpr uint8_t kShortAscii = 'z';
inline constexpr uint8_t kShortAsciiInterned = 'Z';

inline constexpr uint8_t kFlagRef = 0x80;

}  // namespace xpyc::marshal::code
