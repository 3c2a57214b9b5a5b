#include "core/explain/record.h"

namespace ck::core::explain {

namespace {

thread_local Record* current = nullptr;

template <class V, class S>
void ResolutionFields(V& v, S& s) {
  v("reference", s.reference, true);
  v("caller_account", s.caller_account, false);
  v("region", s.region, false);
  v("outcome", s.outcome, false);
  v("key_arn", s.key_arn, false);
  v("steps", s.steps, false);
}
template <class V, class S>
void PolicyTraceFields(V& v, S& s) {
  v("kind", s.kind, true);
  v("name", s.name, false);
  v("summary", s.summary, false);
  v("statements", s.statements, false);
}
template <class V, class S>
void DecisionFields(V& v, S& s) {
  v("principal", s.principal, false);
  v("action", s.action, true);
  v("resource", s.resource, false);
  v("decision", s.decision, true);
  v("message", s.message, false);
  v("policies", s.policies, false);
}
template <class V, class S>
void KmsCallFields(V& v, S& s) {
  v("operation", s.operation, true);
  v("caller", s.caller, false);
  v("via", s.via, false);
  v("outcome", s.outcome, false);
  v("cloudtrail_event_ids", s.cloudtrail_event_ids, false);
}
template <class V, class S>
void RecordFields(V& v, S& s) {
  v("request_id", s.request_id, true);
  v("time", s.time, false);
  v("principal", s.principal, false);
  v("service", s.service, false);
  v("operation", s.operation, false);
  v("status", s.status, false);
  v("error_code", s.error_code, false);
  v("error_message", s.error_message, false);
  v("key_resolutions", s.key_resolutions, false);
  v("decisions", s.decisions, false);
  v("kms_calls", s.kms_calls, false);
  v("notes", s.notes, false);
}

}  // namespace

CK_DEFINE_FIELDS(Resolution, ResolutionFields)
CK_DEFINE_FIELDS(PolicyTrace, PolicyTraceFields)
CK_DEFINE_FIELDS(Decision, DecisionFields)
CK_DEFINE_FIELDS(KmsCall, KmsCallFields)
CK_DEFINE_FIELDS(Record, RecordFields)

Record* Current() { return current; }

Scope::Scope(Record* record) : previous_(current) { current = record; }
Scope::~Scope() { current = previous_; }

std::string Record::ToText() const {
  std::string t = "request " + request_id + " at " + time + "\n  " + service + " " + operation + " by " + principal +
                  "\n  answer: " + std::to_string(status) +
                  (error_code.empty() ? "" : " " + error_code + ": " + error_message) + "\n";
  for (const Resolution& r : key_resolutions) {
    t += "  key reference '" + r.reference + "' (caller account " + r.caller_account + ", " + r.region + "): " +
         r.outcome + (r.key_arn.empty() ? "" : " -> " + r.key_arn) + "\n";
    for (const std::string& s : r.steps) t += "    - " + s + "\n";
  }
  for (const Decision& d : decisions) {
    t += "  authorization: " + d.action + " on " + d.resource + " by " + d.principal + ": " + d.decision +
         (d.message.empty() ? "" : " (" + d.message + ")") + "\n";
    for (const PolicyTrace& p : d.policies) {
      t += "    " + p.kind + (p.name.empty() ? "" : " " + p.name) + ": " + p.summary + "\n";
      for (const std::string& s : p.statements) t += "      " + s + "\n";
    }
  }
  for (const KmsCall& k : kms_calls) {
    t += "  KMS " + k.operation + " as " + k.caller + (k.via.empty() ? "" : " via " + k.via) + ": " + k.outcome + "\n";
    for (const std::string& e : k.cloudtrail_event_ids) t += "    CloudTrail event " + e + "\n";
  }
  for (const std::string& n : notes) t += "  note: " + n + "\n";
  return t;
}

RecordLog::RecordLog(size_t capacity, std::string file) : capacity_(capacity) {
  if (!file.empty()) file_.open(file, std::ios::app);
}

void RecordLog::Add(std::shared_ptr<const Record> record) {
  std::string line;
  if (file_.is_open()) line = ToDocument(*record).dump(-1, ' ', false, Document::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mu_);
  if (capacity_ > 0) {
    if (ring_.size() >= capacity_) ring_.pop_front();
    ring_.push_back(std::move(record));
  }
  if (file_.is_open()) file_ << line << std::flush;
}

std::shared_ptr<const Record> RecordLog::Find(const std::string& request_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = ring_.rbegin(); it != ring_.rend(); ++it)
    if ((*it)->request_id == request_id) return *it;
  return nullptr;
}

}  // namespace ck::core::explain
