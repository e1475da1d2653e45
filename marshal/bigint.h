#pragma once
// The bridge between Int values (15-bit digits, as marshal stores them) and
// GMP integers, for the code that does arithmetic on ints. Only .cpp files
// that use GMP include it.
#include <gmp.h>

#include "marshal/value.h"

namespace xpyc::marshal {

inline constexpr int kIntDigitBits = 15;  // bits per digit of Value::digits

// RAII holder for one GMP integer.
class Mpz {
 public:
  Mpz() { mpz_init(z_); }
  ~Mpz() { mpz_clear(z_); }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  mpz_ptr get() { return z_; }
  mpz_srcptr get() const { return z_; }

 private:
  mpz_t z_;
};

// The value of Int `v` into `out`.
void IntToMpz(Ref v, mpz_ptr out);
// A new Int value in `heap` equal to `z`.
Ref IntFromMpz(Heap& heap, mpz_srcptr z);

}  // namespace xpyc::marshal
