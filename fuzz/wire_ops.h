// The operations of the embedded service models of one protocol, in a fixed
// order, so a fuzzer's input can pick one by number.
#pragma once

#include <algorithm>
#include <utility>
#include <vector>

#include "wire/model.h"

namespace ck::fuzz {

using ModelOp = std::pair<const wire::ServiceModel*, const wire::Operation*>;

inline std::vector<ModelOp> OperationsOf(wire::Protocol protocol) {
  std::vector<ModelOp> out;
  for (const auto& name : wire::EmbeddedServiceNames()) {
    const wire::ServiceModel* m = wire::FindService(name);
    if (!m || m->protocol() != protocol) continue;
    std::vector<const wire::Operation*> ops;
    for (const auto& [n, op] : m->operations()) ops.push_back(&op);
    std::sort(ops.begin(), ops.end(), [](auto* a, auto* b) { return a->name < b->name; });
    for (auto* op : ops) out.emplace_back(m, op);
  }
  return out;
}

}  // namespace ck::fuzz
