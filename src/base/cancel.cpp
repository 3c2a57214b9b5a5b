#include "base/cancel.h"

namespace ck {
namespace {
thread_local const CancelSource* current = nullptr;
}  // namespace

CancelScope::CancelScope(const CancelSource* source) : previous_(current) { current = source; }
CancelScope::~CancelScope() { current = previous_; }

bool CancelRequested() { return current != nullptr && current->cancelled(); }

Status CheckCancelled() {
  if (!CancelRequested()) return Status::Ok();
  return Status(Code::kUnavailable, "The server is shutting down; the request was cancelled. Please retry.")
      .WithAws("ServiceUnavailable", 503);
}

}  // namespace ck
