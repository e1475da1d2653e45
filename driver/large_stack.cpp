// Threads with a large stack for compilation (see large_stack.h).
#include "driver/large_stack.h"

#include <cerrno>
#include <exception>
#include <memory>
#include <system_error>
#include <utility>

namespace xpyc::driver {
namespace {

thread_local bool t_on_large_stack = false;

struct Start {
  std::function<void()> body;
};

void* Trampoline(void* arg) {
  const std::unique_ptr<Start> start(static_cast<Start*>(arg));
  t_on_large_stack = true;
  start->body();
  return nullptr;
}

// pthread_create with a `size` stack; 0 leaves the default. Returns the error.
int CreateThread(pthread_t& thread, size_t size, std::unique_ptr<Start>& start) {
  pthread_attr_t attr;
  if (int error = ::pthread_attr_init(&attr); error != 0) return error;
  int error = size == 0 ? 0 : ::pthread_attr_setstacksize(&attr, size);
  if (error == 0) error = ::pthread_create(&thread, &attr, Trampoline, start.get());
  ::pthread_attr_destroy(&attr);
  if (error == 0) static_cast<void>(start.release());  // owned by Trampoline now
  return error;
}

}  // namespace

LargeStackThread::LargeStackThread(std::function<void()> body) {
  auto start = std::make_unique<Start>(Start{std::move(body)});
  int error = 0;
  // With strict overcommit a 256 MiB reservation can be refused: a smaller
  // stack still beats failing, and the default one comes last.
  for (const size_t size : {kLargeStackSize, kLargeStackSize / 4, size_t{0}}) {
    error = CreateThread(thread_, size, start);
    if (error == 0) {
      joinable_ = true;
      return;
    }
    if (error != EAGAIN && error != ENOMEM && error != EINVAL) break;
  }
  throw std::system_error(error, std::generic_category(), "cannot start a compiler thread");
}

LargeStackThread::LargeStackThread(LargeStackThread&& other) noexcept
    : thread_(other.thread_), joinable_(std::exchange(other.joinable_, false)) {}

LargeStackThread::~LargeStackThread() { Join(); }

void LargeStackThread::Join() {
  if (!joinable_) return;
  ::pthread_join(thread_, nullptr);
  joinable_ = false;
}

bool OnLargeStack() { return t_on_large_stack; }

void RunOnLargeStack(const std::function<void()>& body) {
  if (t_on_large_stack) {
    body();
    return;
  }
  std::exception_ptr failure;
  try {
    LargeStackThread thread([&] {
      try {
        body();
      } catch (...) {
        failure = std::current_exception();
      }
    });
  } catch (const std::system_error&) {
    body();  // no thread at all can be started: the caller's stack it is
    return;
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace xpyc::driver
