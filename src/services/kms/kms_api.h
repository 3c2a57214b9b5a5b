// KMS's JSON API (awsJson 1.1, TrentService.*): the operation table over the
// generated shapes. Each entry turns the request's context into the caller
// and runs the typed operation on the KmsEngine, which records it; the table
// carries each operation's IAM action, read-only flag and resource kind from
// its spec (core/kms/operations.h).
//
// Thread safety: safe for concurrent use (the engine is).
#pragma once

#include "api/kms.h"
#include "services/common/operation_table.h"
#include "services/kms/kms_engine.h"
#include "services/service.h"

namespace ck::services::kms {

class KmsApi final : public Service {
 public:
  explicit KmsApi(KmsEngine& engine) : engine_(engine) {}

  std::string_view name() const override { return "kms"; }
  Result<Document> Invoke(std::string_view operation, const Document& input, RequestContext& ctx) override;
  // Every entry is an operation of the model (building the table needs each
  // entry's spec, core/kms/operations.h).
  Status CheckModel() const override;

  // The caller of a direct JSON API request.
  static KmsCaller CallerOf(const RequestContext& ctx);

 private:
  static const OperationTable<KmsApi>& Operations();
  template <typename Op, auto Method>
  static void Add(OperationTable<KmsApi>& table);
  template <typename Op>
  static void AddRefused(OperationTable<KmsApi>& table);

  template <typename Op, auto Method>
  Result<typename Op::Output> Handle(const typename Op::Input& in, RequestContext& ctx) {
    return engine_.Run<Op, Method>(in, CallerOf(ctx));
  }
  template <typename Op>
  Result<typename Op::Output> Refuse(const typename Op::Input& in, RequestContext& ctx) {
    return engine_.Refuse<Op>(in, CallerOf(ctx));
  }

  KmsEngine& engine_;
};

}  // namespace ck::services::kms
