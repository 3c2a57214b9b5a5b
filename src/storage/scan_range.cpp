#include "storage/scan_range.h"

#include <cstdio>

namespace ck::storage {
namespace {

// Keeps the tighter of two lower bounds (a greater key, or exclusive on a tie).
void TightenLower(std::optional<KeyBound>& cur, KeyBound b) {
  if (!cur || b.key > cur->key || (b.key == cur->key && !b.inclusive)) cur = std::move(b);
}

void TightenUpper(std::optional<KeyBound>& cur, KeyBound b) {
  if (!cur || b.key < cur->key || (b.key == cur->key && !b.inclusive)) cur = std::move(b);
}

}  // namespace

bool KeyRange::Contains(std::string_view k) const {
  if (empty) return false;
  if (lower) {
    if (lower->inclusive ? k < lower->key : k <= lower->key) return false;
  }
  if (upper) {
    if (upper->inclusive ? k > upper->key : k >= upper->key) return false;
  }
  return true;
}

std::optional<std::string> PrefixSuccessor(std::string_view prefix) {
  std::string s(prefix);
  while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xFF) s.pop_back();
  if (s.empty()) return std::nullopt;
  s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
  return s;
}

KeyRange PrefixRange(std::string_view prefix) {
  KeyRange r;
  if (!prefix.empty()) r.lower = KeyBound{std::string(prefix), true};
  if (auto succ = PrefixSuccessor(prefix)) r.upper = KeyBound{std::move(*succ), false};
  return r;
}

Result<KeyRange> ResolveScanRange(const ScanOptions& o) {
  if (!o.start_after.empty() && !o.start_at.empty()) {
    return InvalidArgument("ScanOptions: start_after and start_at are mutually exclusive");
  }
  KeyRange r = PrefixRange(o.prefix);
  std::optional<KeyBound> start;
  if (!o.start_after.empty()) start = KeyBound{o.start_after, false};
  if (!o.start_at.empty()) start = KeyBound{o.start_at, true};
  if (start) {
    if (o.reverse) {
      TightenUpper(r.upper, std::move(*start));
    } else {
      TightenLower(r.lower, std::move(*start));
    }
  }
  if (r.lower && r.upper) {
    const auto& lo = *r.lower;
    const auto& hi = *r.upper;
    if (lo.key > hi.key || (lo.key == hi.key && !(lo.inclusive && hi.inclusive))) r.empty = true;
  }
  return r;
}

std::string PrintableKey(std::string_view key) {
  constexpr size_t kMax = 200;
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (out.size() >= kMax) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(key[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace ck::storage
