// Bucket sub-resources as data. Each one (policy, tagging, CORS, public
// access block, ownership controls, versioning, default encryption,
// website, logging, acceleration, request payment (bucket_configs.h), and the
// settings crosskey does not implement: replication, notifications; Object
// Lock lives in object_lock.h) is a descriptor: the bucket-record field it lives in, the model member its Put
// reads (validated with S3's errors) and its Get shows, and what a Get
// answers while it is unset (S3's not-found error, or a default). Three
// generic operations serve every one of them: GetConfig, PutConfig and
// DeleteConfig, instantiated per descriptor in the endpoint table.
//
// The unimplemented settings have no field: their Put operations are not in
// the endpoint table (501 NotImplemented), so no bucket ever has one, and
// reading or deleting them answers exactly what AWS answers for a bucket
// without one. Tools that read every bucket setting (Terraform, CDK, the
// console's SDK calls) then work; nothing pretends to store a setting.
//
// Thread safety: descriptors are immutable; the operations are as any other.
#pragma once

#include <optional>
#include <string>
#include <type_traits>

#include "api/s3.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

// For a descriptor without that operation.
struct NoOperation {
  using Input = api::Empty;
  using Output = api::Empty;
};

template <class Value, class GetOp, class PutOp = NoOperation, class DeleteOp = NoOperation>
struct Subresource {
  using Get = GetOp;
  using Put = PutOp;
  using Delete = DeleteOp;
  // The bucket-record field (both null: a setting crosskey does not implement).
  std::optional<Value> (*read)(const BucketRecord&) = nullptr;
  void (*write)(BucketRecord&, std::optional<Value>) = nullptr;
  // Get: the output showing a value; while unset, the not-found error
  // (S3 code and message, with BucketName), else `unset`'s output.
  typename GetOp::Output (*show)(const Value&) = nullptr;
  const ErrorSpec* not_found = nullptr;
  const char* not_found_message = nullptr;
  typename GetOp::Output (*unset)(const BucketRecord&) = nullptr;
  // Put: the value its input's model member holds, validated; nullopt when
  // the request is accepted with nothing to store.
  Result<std::optional<Value>> (*take)(S3Service&, const Call&, const BucketRecord&,
                                       const typename PutOp::Input&) = nullptr;
  int put_status = 0;  // 0: the operation's response code
};

template <const auto& S>
using SpecOf = std::remove_cvref_t<decltype(S)>;

template <const auto& S>
Result<typename SpecOf<S>::Get::Output> GetConfig(S3Service& s, const typename SpecOf<S>::Get::Input& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  if (S.read)
    if (auto value = S.read(*b)) return S.show(*value);
  if (S.not_found) return MakeError(*S.not_found, S.not_found_message).WithField("BucketName", b->name);
  return S.unset(*b);
}

template <const auto& S>
Result<Reply<api::Empty>> PutConfig(S3Service& s, const typename SpecOf<S>::Put::Input& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, "", WriteConditionKeys(in)));  // s3:x-amz-acl, grants
  CK_ASSIGN_OR_RETURN(auto value, S.take(s, c, *b, in));
  if (value) {
    CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
      S.write(r, *value);
      return Status::Ok();
    }));
  }
  Reply<api::Empty> reply;
  reply.status = S.put_status;
  return reply;
}

template <const auto& S>
Result<api::Empty> DeleteConfig(S3Service& s, const typename SpecOf<S>::Delete::Input& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  if (S.write) {
    CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
      S.write(r, std::nullopt);
      return Status::Ok();
    }));
  }
  return api::Empty{};
}

namespace sub {
namespace ops = api::s3::ops;
using api::s3::CORSRule;
using api::s3::ObjectOwnership;
using api::s3::PublicAccessBlockConfiguration;
using api::s3::ServerSideEncryptionConfiguration;
using api::s3::Tag;

extern const Subresource<std::string, ops::GetBucketPolicy, ops::PutBucketPolicy, ops::DeleteBucketPolicy> kPolicy;
extern const Subresource<std::string, ops::GetBucketPolicyStatus> kPolicyStatus;
extern const Subresource<std::vector<Tag>, ops::GetBucketTagging, ops::PutBucketTagging, ops::DeleteBucketTagging>
    kTagging;
extern const Subresource<std::vector<CORSRule>, ops::GetBucketCors, ops::PutBucketCors, ops::DeleteBucketCors> kCors;
extern const Subresource<PublicAccessBlockConfiguration, ops::GetPublicAccessBlock, ops::PutPublicAccessBlock,
                         ops::DeletePublicAccessBlock>
    kPublicAccessBlock;
extern const Subresource<EnumValue<ObjectOwnership>, ops::GetBucketOwnershipControls, ops::PutBucketOwnershipControls,
                         ops::DeleteBucketOwnershipControls>
    kOwnershipControls;
extern const Subresource<EnumValue<api::s3::BucketVersioningStatus>, ops::GetBucketVersioning, ops::PutBucketVersioning>
    kVersioning;
extern const Subresource<ServerSideEncryptionConfiguration, ops::GetBucketEncryption, ops::PutBucketEncryption,
                         ops::DeleteBucketEncryption>
    kEncryption;

// Settings crosskey does not implement (the others: bucket_configs.h).
extern const Subresource<api::Empty, ops::GetBucketLifecycle> kLifecycleLegacy;
extern const Subresource<api::Empty, ops::GetBucketReplication, NoOperation, ops::DeleteBucketReplication> kReplication;
extern const Subresource<api::Empty, ops::GetBucketNotificationConfiguration> kNotifications;
}  // namespace sub

}  // namespace ck::services::s3
