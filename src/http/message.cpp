#include "http/message.h"

#include "base/codec.h"

namespace ck::http {

void Headers::Add(std::string name, std::string value) {
  LowerInPlace(name);
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::Set(std::string name, std::string value) {
  LowerInPlace(name);
  Remove(name);
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(items_, [&](const auto& kv) { return kv.first == name; });
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return std::string_view(v);
  return std::nullopt;
}

std::string Headers::GetOr(std::string_view name, std::string_view fallback) const {
  auto v = Get(name);
  return std::string(v ? *v : fallback);
}

std::optional<std::string_view> RequestHead::QueryValue(std::string_view name) const {
  for (const auto& q : query)
    if (q.name == name) return std::string_view(q.value);
  return std::nullopt;
}

bool RequestHead::HasQuery(std::string_view name) const {
  for (const auto& q : query)
    if (q.name == name) return true;
  return false;
}

std::optional<std::vector<QueryParam>> ParseQueryString(std::string_view q) {
  std::vector<QueryParam> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    std::string_view part = q.substr(0, amp);
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
    if (part.empty()) continue;
    auto eq = part.find('=');
    auto name = UriDecode(part.substr(0, eq), true);
    auto value = eq == std::string_view::npos ? std::optional<std::string>("") : UriDecode(part.substr(eq + 1), true);
    if (!name || !value) return std::nullopt;
    out.push_back({std::move(*name), std::move(*value), eq != std::string_view::npos});
  }
  return out;
}

bool ParseTarget(std::string_view target, RequestHead* head) {
  if (target.empty()) return false;
  if (target[0] != '/') {
    // absolute-form: http://host/path
    auto scheme = target.find("://");
    if (scheme == std::string_view::npos) return false;
    auto slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  head->target = std::string(target);
  auto qpos = target.find('?');
  head->raw_path = std::string(target.substr(0, qpos));
  head->raw_query = qpos == std::string_view::npos ? "" : std::string(target.substr(qpos + 1));
  auto decoded = UriDecode(head->raw_path);
  if (!decoded) return false;
  head->path = std::move(*decoded);
  auto query = ParseQueryString(head->raw_query);
  if (!query) return false;
  head->query = std::move(*query);
  return true;
}

Status BufferingSink::Write(std::string_view chunk) {
  if (overflow_) return Status::Ok();
  if (body_.size() + chunk.size() > limit_) {
    overflow_ = true;
    body_.clear();
    body_.shrink_to_fit();
    return Status::Ok();
  }
  body_.append(chunk);
  return Status::Ok();
}

Response BufferingSink::Finish() {
  if (overflow_) return too_large_();
  return done_(std::move(body_));
}

}  // namespace ck::http
