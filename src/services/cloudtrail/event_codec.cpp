#include "services/cloudtrail/event_codec.h"

#include <chrono>
#include <cstring>

namespace ck::services::cloudtrail {

namespace {

// Writes into room reserved up front (the size is computed first), so encoding
// is a run of memcpy calls with no growth checks.
class Writer {
 public:
  explicit Writer(char* at) : p_(at) {}
  char* end() const { return p_; }
  void U8(uint8_t v) { *p_++ = static_cast<char>(v); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) *p_++ = static_cast<char>(v >> (8 * i));
  }
  void I64(int64_t v) {
    for (int i = 0; i < 8; ++i) *p_++ = static_cast<char>(static_cast<uint64_t>(v) >> (8 * i));
  }
  void Text(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    if (s.empty()) return;  // an empty view may hold a null pointer, which memcpy must not see
    std::memcpy(p_, s.data(), s.size());
    p_ += s.size();
  }

 private:
  char* p_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  uint8_t U8() { return Need(1) ? static_cast<uint8_t>(in_[pos_++]) : 0; }
  uint32_t U32() {
    if (!Need(4)) return 0;
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(in_[pos_ + i]);
    pos_ += 4;
    return v;
  }
  int64_t I64() {
    if (!Need(8)) return 0;
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<uint8_t>(in_[pos_ + i]);
    pos_ += 8;
    return static_cast<int64_t>(v);
  }
  std::string_view Text() {
    uint32_t n = U32();
    if (!Need(n)) return {};
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }

 private:
  bool Need(size_t n) {
    if (!ok_ || in_.size() - pos_ < n) ok_ = false;
    return ok_;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

void EncodeEvent(const ApiEvent& e, std::string_view shared_event_id, std::string* out) {
  static const Principal kAnonymous = Principal::Anonymous();
  const Principal& p = e.principal ? *e.principal : kAnonymous;
  const std::string_view fields[] = {e.event_source,       e.event_name,         e.region,
                                     e.source_ip,          e.user_agent,         e.invoked_by,
                                     e.request_parameters, e.response_elements,  e.additional_event_data,
                                     e.request_id,         e.error_code,         e.error_message,
                                     shared_event_id};
  const std::string* principal_fields[] = {&p.arn,          &p.account, &p.role_arn, &p.user_id,
                                           &p.username,     &p.session_name, &p.service, &p.access_key_id};
  size_t size = 1 + 8 + 1 + 4 + 1;  // version, time, principal type, resource count, flags
  for (std::string_view f : fields) size += 4 + f.size();
  for (const std::string* f : principal_fields) size += 4 + f->size();
  for (const EventResource& r : e.resources) size += 12 + r.arn.size() + r.account.size() + r.type.size();

  size_t at = out->size();
  out->resize(at + size);
  Writer w(out->data() + at);
  w.U8(static_cast<uint8_t>(kEventFormatV1));
  w.I64(std::chrono::duration_cast<std::chrono::microseconds>(e.time.time_since_epoch()).count());
  for (std::string_view f : fields) w.Text(f);
  w.U8(static_cast<uint8_t>(p.type));
  for (const std::string* f : principal_fields) w.Text(*f);
  w.U32(static_cast<uint32_t>(e.resources.size()));
  for (const EventResource& r : e.resources) {
    w.Text(r.arn);
    w.Text(r.account);
    w.Text(r.type);
  }
  w.U8(static_cast<uint8_t>((e.read_only ? 1 : 0) | (e.management_event ? 2 : 0)));
}

bool DecodeEvent(std::string_view data, DecodedEvent* out) {
  Reader r(data);
  if (r.U8() != static_cast<uint8_t>(kEventFormatV1)) return false;
  ApiEvent& e = out->event;
  e.time = TimePoint(std::chrono::duration_cast<TimePoint::duration>(std::chrono::microseconds(r.I64())));
  for (std::string_view* s : {&e.event_source, &e.event_name, &e.region, &e.source_ip, &e.user_agent, &e.invoked_by,
                              &e.request_parameters, &e.response_elements, &e.additional_event_data, &e.request_id,
                              &e.error_code, &e.error_message, &out->shared_event_id})
    *s = r.Text();
  Principal& p = out->principal;
  uint8_t type = r.U8();
  if (type > static_cast<uint8_t>(Principal::Type::kAnonymous)) return false;
  p.type = static_cast<Principal::Type>(type);
  for (std::string* s : {&p.arn, &p.account, &p.role_arn, &p.user_id, &p.username, &p.session_name, &p.service,
                         &p.access_key_id})
    *s = std::string(r.Text());
  uint32_t n = r.U32();
  if (!r.ok() || n > data.size()) return false;
  out->resources.clear();
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    EventResource res;
    res.arn = r.Text();
    res.account = r.Text();
    res.type = r.Text();
    out->resources.push_back(res);
  }
  uint8_t flags = r.U8();
  if (!r.ok() || !r.done()) return false;
  e.read_only = flags & 1;
  e.management_event = flags & 2;
  e.principal = &p;
  e.resources = out->resources;
  e.recipients = {};
  return true;
}

}  // namespace ck::services::cloudtrail
