// ServiceModel::MatchRestOperation: picks a rest-xml/rest-json operation from
// method, path and query, as S3's front end does.
#include <algorithm>
#include <tuple>
#include <type_traits>

#include "base/codec.h"
#include "wire/model.h"

namespace ck::wire {

void ServiceModel::BuildRestIndex() {
  rest_index_.clear();
  for (auto& [name, op] : operations_) {
    RestCandidate c;
    c.op = &op;
    for (auto& [key, value] : op.uri_query) {
      // x-id only names the operation for request signing; S3 ignores it.
      if (key == "x-id") continue;
      c.required_query.push_back(key);
      if (!value.empty()) c.query_values.emplace_back(key, value);
    }
    if (const Shape* in = op.input.shape) {
      for (const MemberRef& m : in->members) {
        if (!in->IsRequired(m.name)) continue;
        if (m.location == Location::kQuerystring) c.required_query.push_back(m.WireName());
        if (m.location == Location::kHeader) c.required_headers.push_back(ToLower(m.WireName()));
      }
    }
    rest_index_.push_back(std::move(c));
  }
  // By method, so a request scans only its method's operations; then name
  // order, for deterministic tie-breaks.
  std::sort(rest_index_.begin(), rest_index_.end(), [](const RestCandidate& a, const RestCandidate& b) {
    return std::tie(a.op->http_method, a.op->name) < std::tie(b.op->http_method, b.op->name);
  });
}

namespace {

// Compares a rest-index entry with a method name, in both argument orders
// (what equal_range over the method-sorted index needs).
struct ByMethod {
  template <class Candidate>
  bool operator()(const Candidate& c, std::string_view method) const {
    return c.op->http_method < method;
  }
  template <class Candidate>
  bool operator()(std::string_view method, const Candidate& c) const {
    return method < c.op->http_method;
  }
};

// Matches `raw_path` (percent-encoded, leading '/') against the template.
bool MatchPath(const std::vector<UriSegment>& tmpl, std::string_view raw_path,
               std::map<std::string, std::string>* labels) {
  std::string_view rest = raw_path;
  if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  for (size_t i = 0; i < tmpl.size(); ++i) {
    const UriSegment& seg = tmpl[i];
    std::string_view piece;
    if (seg.greedy) {
      piece = rest;
      rest = {};
    } else {
      size_t slash = rest.find('/');
      piece = rest.substr(0, slash);
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
      // A non-final segment must be followed by more path.
      if (i + 1 < tmpl.size() && slash == std::string_view::npos) return false;
    }
    if (piece.empty()) return false;
    if (seg.label.empty()) {
      if (piece != seg.literal) return false;
      continue;
    }
    auto decoded = UriDecode(piece);
    if (!decoded) return false;
    (*labels)[seg.label] = std::move(*decoded);
  }
  // "/bucket/" is the bucket itself; anything else left over does not match.
  return rest.empty();
}

}  // namespace

std::optional<RestMatch> ServiceModel::MatchRestOperation(std::string_view method, std::string_view raw_path,
                                                          const std::vector<http::QueryParam>& query,
                                                          const http::Headers& headers) const {
  auto has_query = [&](std::string_view name) {
    for (const auto& q : query)
      if (q.name == name) return true;
    return false;
  };
  auto query_value = [&](std::string_view name) -> std::optional<std::string_view> {
    for (const auto& q : query)
      if (q.name == name) return std::string_view(q.value);
    return std::nullopt;
  };
  auto x_id = query_value("x-id");

  const RestCandidate* best = nullptr;
  RestMatch best_match;
  size_t best_score = 0;
  auto by_method = std::equal_range(rest_index_.begin(), rest_index_.end(), method, ByMethod{});
  for (auto it = by_method.first; it != by_method.second; ++it) {
    const RestCandidate& c = *it;
    bool eligible = true;
    for (const std::string& q : c.required_query)
      if (!has_query(q)) eligible = false;
    for (auto& [k, v] : c.query_values)
      if (query_value(k) != std::optional<std::string_view>(v)) eligible = false;
    for (const std::string& h : c.required_headers)
      if (!headers.Has(h)) eligible = false;
    if (!eligible) continue;
    RestMatch match;
    if (!MatchPath(c.op->path, raw_path, &match.labels)) continue;
    size_t score = c.required_query.size() + c.required_headers.size();
    bool better = !best || score > best_score;
    if (best && score == best_score) {
      // Same specificity: the operation named by x-id, then not deprecated
      // (GetBucketLifecycleConfiguration over GetBucketLifecycle), then name order.
      bool c_xid = x_id && *x_id == c.op->name, b_xid = x_id && *x_id == best->op->name;
      if (c_xid != b_xid) better = c_xid;
      else if (c.op->deprecated != best->op->deprecated) better = !c.op->deprecated;
    }
    if (better) {
      best = &c;
      best_score = score;
      match.operation = c.op;
      best_match = std::move(match);
    }
  }
  if (!best) return std::nullopt;
  return best_match;
}

}  // namespace ck::wire
