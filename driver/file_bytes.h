#pragma once
// Reading and writing whole files for the pyc commands (no iostreams).
#include <string>
#include <string_view>

namespace xpyc::driver {

// Returns false and sets `error` (strerror text) on failure.
bool ReadWholeFile(const char* path, std::string& out, std::string& error);
bool WriteWholeFile(const char* path, std::string_view bytes, std::string& error);

}  // namespace xpyc::driver
