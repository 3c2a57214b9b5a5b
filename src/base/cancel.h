// Cooperative cancellation of long operations at shutdown.
//
// The HTTP server owns a CancelSource and installs it on each of its worker
// threads (CancelScope). Code that may loop for long (scans, listings,
// expression evaluation) calls CheckCancelled() now and then: once the server
// gives up draining, it answers with a 503 ServiceUnavailable instead of
// running to the end, and the process can exit. Outside a server thread (unit
// tests, start-up), nothing is ever cancelled.
//
// Thread safety: CancelSource is safe to cancel from any thread; a scope
// belongs to its thread.
#pragma once

#include <atomic>

#include "base/status.h"

namespace ck {

class CancelSource {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_release); }
  bool cancelled() const { return cancelled_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> cancelled_{false};
};

// Makes `source` the one CheckCancelled() consults on this thread, for the
// scope's lifetime (the previous one is restored after).
class CancelScope {
 public:
  explicit CancelScope(const CancelSource* source);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const CancelSource* previous_;
};

// True once this thread's CancelSource was cancelled. One thread-local read
// and one atomic load: cheap enough for an inner loop.
bool CancelRequested();

// Ok, or Status(kUnavailable) with AWS code ServiceUnavailable (503) once
// cancelled. Every protocol renders it as its 503.
Status CheckCancelled();

}  // namespace ck
