#pragma once
// Threads with a large stack for compilation.
//
// Compiling recurses as deeply as CPython's own counters allow (the parser's
// 6000 rule levels, the AST optimizer's and the symbol table's limits, the
// code generator below them), and how many bytes a level takes depends on the
// build (sanitizers multiply it). A thread's default stack (8 MiB, or whatever
// `ulimit -s` says) is not a bound anyone chose, so every compilation runs on
// a thread whose stack is kLargeStackSize: the `-j N` workers are such
// threads, main() runs the whole command on one, and PyCompile hands the
// compilation to one when it is called from any other thread (a library
// caller's). The stack is reserved address space; only the pages a deep input
// touches are ever committed.
#include <pthread.h>

#include <cstddef>
#include <functional>

namespace xpyc::driver {

inline constexpr size_t kLargeStackSize = size_t{256} << 20;  // 256 MiB

// A thread running `body` on a kLargeStackSize stack (smaller ones are tried
// when the system refuses to reserve that much). Joined on destruction, like
// std::jthread. `body` must not throw. Throws std::system_error when no
// thread can be created at all.
class LargeStackThread {
 public:
  explicit LargeStackThread(std::function<void()> body);
  LargeStackThread(const LargeStackThread&) = delete;
  LargeStackThread& operator=(const LargeStackThread&) = delete;
  LargeStackThread(LargeStackThread&& other) noexcept;
  LargeStackThread& operator=(LargeStackThread&&) = delete;
  ~LargeStackThread();
  void Join();

 private:
  pthread_t thread_{};
  bool joinable_ = false;
};

// True on a thread started by LargeStackThread (or RunOnLargeStack).
bool OnLargeStack();

// Runs `body` on a large stack and returns when it is done: inline when the
// calling thread already has one, else on a new LargeStackThread (inline as
// well if the system cannot start a thread). Whatever `body` throws is
// rethrown here.
void RunOnLargeStack(const std::function<void()>& body);

}  // namespace xpyc::driver
