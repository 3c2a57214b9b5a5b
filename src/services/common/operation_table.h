// OperationTable: one service's operations, by name, with what the rest of
// the system needs to know about each (IAM action, read-only, resource kind)
// and a typed handler. A handler is a member function
//
//   Result<api::kms::EncryptResponse> Encrypt(const api::kms::EncryptRequest&, RequestContext&);
//
// registered with the generated operation descriptor that names its shapes:
//
//   table.Add<api::kms::ops::Encrypt, &KmsApi::Encrypt>({.iam_action = "kms:Encrypt"});
//
// so a handler with the wrong input or output type does not compile. The
// table converts the protocol-neutral input document to the typed input and
// the typed output back (src/api). At start-up, CheckAgainst(model) proves
// every entry is an operation of the service's model; model operations
// without an entry are answered with the service's NotImplemented error.
//
// Thread safety: built once, then immutable.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "api/support.h"
#include "base/status.h"
#include "services/common/errors.h"
#include "services/service.h"
#include "wire/model.h"

namespace ck::services {

struct OperationMeta {
  std::string_view iam_action{};  // "kms:Encrypt"; empty when none is checked
  bool read_only = true;          // CloudTrail readOnly, access-log classification
  std::string_view resource{};    // the kind of resource it acts on ("key", "alias", "*")
};

template <typename Svc>
class OperationTable {
 public:
  using Invoker = Result<Document> (*)(Svc&, const Document&, RequestContext&, const ErrorSpec&);
  struct Entry {
    std::string_view name;
    OperationMeta meta;
    Invoker invoke;
  };

  // `decode_error`: the protocol's error for an input that passed model
  // validation but not the typed decode (SerializationException for JSON
  // services, ValidationError for query ones). `not_implemented`: the answer
  // to model operations without an entry.
  OperationTable(ErrorSpec decode_error, ErrorSpec not_implemented)
      : decode_error_(decode_error), not_implemented_(not_implemented) {}

  template <typename Op, auto Method>
  OperationTable& Add(OperationMeta meta = {}) {
    using In = typename Op::Input;
    using Out = typename Op::Output;
    static_assert(std::is_invocable_r_v<Result<Out>, decltype(Method), Svc&, const In&, RequestContext&>,
                  "handler must be Result<Op::Output> (Svc::*)(const Op::Input&, RequestContext&)");
    entries_[Op::kName] = Entry{Op::kName, meta, &Invoke<Op, Method>};
    return *this;
  }

  const Entry* Find(std::string_view name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }

  // Runs the operation `name` on `service`, or answers NotImplemented.
  Result<Document> Run(Svc& service, std::string_view name, const Document& input, RequestContext& ctx) const {
    const Entry* e = Find(name);
    if (!e) return MakeError(not_implemented_, "crosskey does not implement " + std::string(name));
    return e->invoke(service, input, ctx, decode_error_);
  }

  // OK when every entry names an operation of `model`; `missing` (optional)
  // receives the model's operations that have no entry.
  Status CheckAgainst(const wire::ServiceModel& model, std::vector<std::string>* missing = nullptr) const {
    for (const auto& [name, entry] : entries_)
      if (!model.FindOperation(name))
        return Internal("operation table of " + model.service() + " names " + std::string(name) +
                        ", which its model does not have");
    if (missing)
      for (const auto& [name, op] : model.operations())
        if (!entries_.count(name)) missing->push_back(name);
    return Status::Ok();
  }

  size_t size() const { return entries_.size(); }

 private:
  template <typename Op, auto Method>
  static Result<Document> Invoke(Svc& service, const Document& doc, RequestContext& ctx, const ErrorSpec& bad) {
    typename Op::Input input{};
    if (Status s = FromDocument(doc, &input); !s.ok()) return MakeError(bad, s.message());
    auto output = (service.*Method)(input, ctx);
    if (!output.ok()) return output.status();
    return ToDocument(*output);
  }

  ErrorSpec decode_error_, not_implemented_;
  std::unordered_map<std::string_view, Entry> entries_;
};

}  // namespace ck::services
