#include "lexer/diagnostics.h"

namespace xpyc {

const char* ErrorClassName(ErrorClass c) {
  switch (c) {
#define XPYC_X(name) \
  case ErrorClass::name: return #name;
    XPYC_ERROR_CLASSES(XPYC_X)
#undef XPYC_X
  }
  return "SyntaxError";
}

bool Diagnostics::Error(Diagnostic d) {
  if (!error_) error_ = std::move(d);
  return false;
}

void Diagnostics::Warn(Diagnostic d) { warnings_.push_back(std::move(d)); }

}  // namespace xpyc
