#include "services/dynamodb/dynamodb_service.h"

#include "base/codec.h"
#include "core/arn.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/dynamodb/errors.h"

namespace ck::services::dynamodb {

DynamoDbService::DynamoDbService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, KmsClient& kms,
                                 const Clock& clock, const std::string& owned_key_seed)
    : store_(store),
      tables_(store, kTables),
      authz_(authorizer),
      kms_(kms),
      clock_(clock),
      owned_root_(crypto::HmacSha256(owned_key_seed, "crosskey/dynamodb/aws-owned-key/v1")) {}

const OperationTable<DynamoDbService>& DynamoDbService::Operations() {
  static const auto* table = [] {
    namespace ops = api::dynamodb::ops;
    using S = DynamoDbService;
    auto* t = new OperationTable<S>(errors::kSerialization, errors::kNotImplemented);
    const OperationMeta read{.read_only = true, .resource = "table"};
    const OperationMeta write{.read_only = false, .resource = "table"};
    auto with = [](OperationMeta m, std::string_view action) {
      m.iam_action = action;
      return m;
    };
    t->Add<ops::CreateTable, &S::CreateTable>(with(write, "dynamodb:CreateTable"))
        .Add<ops::DescribeTable, &S::DescribeTable>(with(read, "dynamodb:DescribeTable"))
        .Add<ops::UpdateTable, &S::UpdateTable>(with(write, "dynamodb:UpdateTable"))
        .Add<ops::DeleteTable, &S::DeleteTable>(with(write, "dynamodb:DeleteTable"))
        .Add<ops::ListTables, &S::ListTables>(with(read, "dynamodb:ListTables"))
        .Add<ops::UpdateContinuousBackups, &S::UpdateContinuousBackups>(with(write, "dynamodb:UpdateContinuousBackups"))
        .Add<ops::DescribeContinuousBackups, &S::DescribeContinuousBackups>(
            with(read, "dynamodb:DescribeContinuousBackups"))
        .Add<ops::UpdateContributorInsights, &S::UpdateContributorInsights>(
            with(write, "dynamodb:UpdateContributorInsights"))
        .Add<ops::DescribeContributorInsights, &S::DescribeContributorInsights>(
            with(read, "dynamodb:DescribeContributorInsights"))
        .Add<ops::PutItem, &S::PutItem>(with(write, "dynamodb:PutItem"))
        .Add<ops::GetItem, &S::GetItem>(with(read, "dynamodb:GetItem"))
        .Add<ops::DeleteItem, &S::DeleteItem>(with(write, "dynamodb:DeleteItem"))
        .Add<ops::UpdateItem, &S::UpdateItem>(with(write, "dynamodb:UpdateItem"))
        .Add<ops::BatchWriteItem, &S::BatchWriteItem>(with(write, "dynamodb:BatchWriteItem"))
        .Add<ops::BatchGetItem, &S::BatchGetItem>(with(read, "dynamodb:BatchGetItem"))
        .Add<ops::TransactWriteItems, &S::TransactWriteItems>(with(write, "dynamodb:TransactWriteItems"))
        .Add<ops::TransactGetItems, &S::TransactGetItems>(with(read, "dynamodb:TransactGetItems"))
        // PartiQL: authorized per statement (dynamodb:PartiQLSelect, PartiQLInsert, ...).
        .Add<ops::ExecuteStatement, &S::ExecuteStatement>(with(write, ""))
        .Add<ops::BatchExecuteStatement, &S::BatchExecuteStatement>(with(write, ""))
        .Add<ops::ExecuteTransaction, &S::ExecuteTransaction>(with(write, ""))
        .Add<ops::Query, &S::Query>(with(read, "dynamodb:Query"))
        .Add<ops::Scan, &S::Scan>(with(read, "dynamodb:Scan"));
    return t;
  }();
  return *table;
}

Result<Document> DynamoDbService::Invoke(std::string_view operation, const Document& input, RequestContext& ctx) {
  if (ctx.principal.is_anonymous()) return errors::MissingAuthenticationToken("Missing Authentication Token");
  // An exception (a malformed stored item met by the attribute-value code)
  // is answered 500 by the gateway's last-resort catch.
  return Operations().Run(*this, operation, input, ctx);
}

Status DynamoDbService::CheckModel() const { return Operations().CheckAgainst(*wire::FindService("dynamodb")); }

KmsCaller DynamoDbService::CallerFor(const RequestContext& ctx) const {
  return ForwardAccessCaller(ctx, "dynamodb", ctx.region);
}

Status DynamoDbService::Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                                  const std::string& resource) {
  AuthzRequest r = AuthzRequest::For(ctx, "dynamodb:" + action, resource);
  r.resource_account = account;
  CK_ASSIGN_OR_RETURN(auto decision, authz_.Authorize(r));
  if (!decision.allowed()) return errors::AccessDenied(decision.Message());
  return Status::Ok();
}

Result<TableRecord> DynamoDbService::LoadTable(const std::string& name_or_arn, RequestContext& ctx,
                                               const std::string& action, std::string* stored) {
  std::string account = ctx.principal.account, region = ctx.region, name = name_or_arn;
  if (StartsWith(name_or_arn, "arn:")) {
    auto arn = core::Arn::Parse(name_or_arn);
    if (!arn.ok() || arn->service != "dynamodb" || arn->ResourceType() != "table")
      return errors::Validation("Invalid TableName: " + name_or_arn);
    account = arn->account;
    region = arn->region;
    name = std::string(arn->ResourceId());
  }
  CK_RETURN_IF_ERROR(Authorize(ctx, action, account, "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name));
  std::string key = TableRecordKey(account, region, name);
  CK_ASSIGN_OR_RETURN(auto raw, store_.Get(kTables, key));
  if (!raw) {
    if (action == "DescribeTable" || action == "DeleteTable" || action == "UpdateTable")
      return errors::ResourceNotFound("Requested resource not found: Table: " + name + " not found");
    return errors::ResourceNotFound("Requested resource not found");
  }
  if (stored) *stored = *raw;
  return DecodeTable(key, *raw);
}

Result<TableRecord> DynamoDbService::DecodeTable(const std::string& key, const std::string& stored) {
  constexpr size_t kMaxDecoded = 4096;  // tables; past it the cache starts over
  {
    std::lock_guard<std::mutex> lock(decoded_mu_);
    auto it = decoded_.find(key);
    if (it != decoded_.end() && it->second->stored == stored) return it->second->record;
  }
  CK_ASSIGN_OR_RETURN(TableRecord record, tables_.Decode(key, stored));
  auto entry = std::make_shared<const DecodedTable>(DecodedTable{stored, record});
  std::lock_guard<std::mutex> lock(decoded_mu_);
  if (decoded_.size() >= kMaxDecoded) decoded_.clear();
  decoded_[key] = std::move(entry);
  return record;
}

Result<TableKey> DynamoDbService::UnwrapTableKey(const TableRecord& t, RequestContext& ctx) {
  if (!t.sse_kms) {
    auto plain = crypto::AesGcmOpen(owned_root_, t.id, t.wrapped_key.str());
    if (!plain) return DataLoss("table key of " + t.name + " failed its integrity check");
    return TableKey{*plain};
  }
  KmsEncryptionContext context = {{"aws:dynamodb:tableName", t.name}, {"aws:dynamodb:subscriberId", t.account}};
  auto dec = kms_.Decrypt(t.wrapped_key.str(), context, CallerFor(ctx));
  if (!dec.ok()) {
    const Status& s = dec.status();
    // The caller lacks kms:Decrypt: an access error in KMS's words.
    if (s.code() == Code::kPermissionDenied) return errors::AccessDenied(s.message());
    // Disabled, pending deletion, missing key: the table is inaccessible
    // (DescribeTable reports INACCESSIBLE_ENCRYPTION_CREDENTIALS). The exact
    // AWS code for item operations is UNVERIFIED; see docs/dynamodb.md.
    return errors::Validation("The table's AWS KMS key is inaccessible (" + s.aws_code() + ": " + s.message() + ")");
  }
  if (!t.sealed_table_key) return TableKey{std::move(dec->plaintext)};
  auto plain = crypto::AesGcmOpen(dec->plaintext, t.id, t.sealed_table_key->str());
  if (!plain) return DataLoss("table key of " + t.name + " failed its integrity check");
  return TableKey{*plain};
}

}  // namespace ck::services::dynamodb
