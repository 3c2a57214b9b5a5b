// Decision records: why a request went the way it did (`crosskey explain`).
//
// Every request crosskey serves gets a Record: who asked for what, each key
// reference and how it resolved (in which account, through which steps), each
// authorization with the policies consulted and how each statement matched,
// the KMS calls made on the caller's behalf with their CloudTrail event ids,
// and the answer. The layers that decide append to the record of the request
// their thread is serving (Current()): the KMS resolver, the authorizer, the
// event recorder. The gateway opens a Scope around every piece of work it
// does for a request and files the record in a RecordLog when it answers.
//
// Thread safety: a Record belongs to one request; the gateway serializes the
// calls into a request's work, so Current() needs no lock. RecordLog is safe
// for concurrent use.
#pragma once

#include <cstdint>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/fields.h"

namespace ck::core::explain {

struct Resolution {
  std::string reference;       // as the caller wrote it
  std::string caller_account;  // whose account an unqualified reference resolves in
  std::string region;
  std::string outcome;         // "resolved", "NotFoundException", "AccessDeniedException", ...
  std::string key_arn;         // when resolved
  std::vector<std::string> steps;
};

struct PolicyTrace {
  std::string kind;     // "identity", "resource", "key policy", "session", "permissions boundary", "grant", "trust"
  std::string name;     // policy name / ARN / id, when it has one
  std::string summary;  // "allows", "denies", "no statement applies"
  std::vector<std::string> statements;  // "Sid X (Allow): action ✓ resource ✓ principal ✓ conditions ✗"
};

struct Decision {
  std::string principal, action, resource;
  std::string decision;  // "allow", "implicit deny", "explicit deny"
  std::string message;   // AWS's denial text
  std::vector<PolicyTrace> policies;
};

struct KmsCall {
  std::string operation;  // "GenerateDataKey"
  std::string caller;     // the principal the service called KMS as
  std::string via;        // "s3.us-east-1.amazonaws.com"
  std::string outcome;    // "ok" or the error code
  std::vector<std::string> cloudtrail_event_ids;  // "account:eventID" per delivered copy
};

struct Record {
  std::string request_id;
  std::string time;  // ISO 8601
  std::string principal, service, operation;
  int status = 0;
  std::string error_code, error_message;
  std::vector<Resolution> key_resolutions;
  std::vector<Decision> decisions;
  std::vector<KmsCall> kms_calls;
  std::vector<std::string> notes;

  // A readable account of the record, for people.
  std::string ToText() const;
};
CK_DECLARE_FIELDS(Resolution);
CK_DECLARE_FIELDS(PolicyTrace);
CK_DECLARE_FIELDS(Decision);
CK_DECLARE_FIELDS(KmsCall);
CK_DECLARE_FIELDS(Record);

// The record of the request this thread is working for, or null.
Record* Current();

// Makes `record` current for this thread until destroyed (restoring the
// previous one: nested scopes are fine).
class Scope {
 public:
  explicit Scope(Record* record);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  Record* previous_;
};

// The last `capacity` records by request id, and optionally a JSON-lines file
// with every record.
class RecordLog {
 public:
  explicit RecordLog(size_t capacity, std::string file = "");
  void Add(std::shared_ptr<const Record> record);
  std::shared_ptr<const Record> Find(const std::string& request_id) const;
  size_t capacity() const { return capacity_; }
  // Whether records are kept at all (else requests build none).
  bool enabled() const { return capacity_ > 0 || file_.is_open(); }

 private:
  size_t capacity_;
  mutable std::mutex mu_;
  std::deque<std::shared_ptr<const Record>> ring_;
  std::ofstream file_;
};

}  // namespace ck::core::explain
