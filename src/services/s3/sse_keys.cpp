#include "services/s3/sse_keys.h"

#include <spdlog/spdlog.h>

#include "base/codec.h"
#include "crypto/hash.h"
#include "crypto/segment_cipher.h"
#include "services/s3/errors.h"

namespace ck::services::s3 {

namespace {

constexpr char kSseS3Purpose[] = "crosskey/sse-s3/v1";
constexpr char kSseCWrapPurpose[] = "crosskey/sse-c/v1/wrap";
constexpr char kSseCMacLabel[] = "crosskey/sse-c/v1";

// A base64 member of the stored description (`name` for the message).
Result<std::string> B64(const std::optional<std::string>& member, const char* name) {
  auto v = Base64Decode(member.value_or(""));
  if (!v || v->empty()) return DataLoss(std::string("object encryption record is missing ") + name);
  return *v;
}

std::string ContextText(const KmsEncryptionContext& ctx) { return fields::EncodeValue(ctx).dump(); }

}  // namespace

SseKeys::SseKeys(SseOptions options, const Clock& clock) : options_(std::move(options)), clock_(clock) {
  if (options_.master_key.size() != 32) options_.master_key = crypto::RandomBytes(32);
}

KmsCaller SseKeys::CallerFor(const SseCaller& c) const { return ForwardAccessCaller(*c.ctx, "s3", c.bucket_region); }

Result<KmsDataKey> SseKeys::GenerateBucketKey(const std::string& cache_key, const std::string& ref,
                                              const KmsEncryptionContext& context, const KmsCaller& caller) {
  TimePoint now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = bucket_keys_.find(cache_key);
    if (it != bucket_keys_.end()) {
      if (now < it->second.expires && it->second.uses < options_.bucket_key_max_objects) {
        ++it->second.uses;
        return KmsDataKey{it->second.key, it->second.blob, it->second.arn};
      }
      bucket_keys_.erase(it);
    }
  }
  CK_ASSIGN_OR_RETURN(auto dk, options_.kms->GenerateDataKey(ref, context, caller));
  std::lock_guard<std::mutex> lock(mu_);
  if (bucket_keys_.size() > 4096) bucket_keys_.clear();  // bound memory; entries are cheap to recreate
  bucket_keys_[cache_key] =
      BucketKeyEntry{dk.plaintext, dk.ciphertext_blob, dk.key_arn, now + options_.bucket_key_ttl, 1};
  return dk;
}

SseWrite SseKeys::ForWriteLocal(const SseChoice& choice) const {
  SseWrite w;
  auto keys = std::make_shared<ObjectKeys>();
  keys->key = crypto::RandomBytes(32);
  w.stored.v = 1;
  w.stored.sse = choice.algorithm;
  if (choice.algorithm == kSseS3) {
    w.stored.wk = Base64Encode(crypto::WrapKey(options_.master_key, kSseS3Purpose, keys->key));
  } else {
    const CustomerKey& ck = *choice.customer;
    w.stored.wk = Base64Encode(crypto::WrapKey(ck.key, kSseCWrapPurpose, keys->key));
    w.stored.mac = Base64Encode(crypto::HmacSha256(ck.key, kSseCMacLabel));
    w.stored.md5 = ck.key_md5;
  }
  w.keys = std::move(keys);
  return w;
}

std::string SseKeys::ForeignKeyWarning(const SseChoice& choice, const BucketRecord& b, const std::string& key,
                                       const Principal& p) const {
  // The seed case: an unqualified reference resolves in the requester's account.
  if (!IsUnqualifiedKeyRef(choice.key_ref) || p.account.empty() || p.account == b.owner) return "";
  if (options_.foreign_key_resolutions) options_.foreign_key_resolutions->fetch_add(1, std::memory_order_relaxed);
  spdlog::warn("s3: bucket={} object={} requester={} key_ref='{}' resolved in account {} (bucket owner {})", b.name,
               key, p.arn, choice.key_ref, p.account, b.owner);
  return "key reference '" + choice.key_ref + "' for s3://" + b.name + "/" + key +
         " resolves in the requester's account " + p.account + " (" + p.arn + "), not the bucket owner's account " +
         b.owner + "; use a key ARN to name the bucket owner's key";
}

Status SseKeys::GenerateKmsKeys(const SseChoice& choice, const BucketRecord& b, const KmsEncryptionContext& ctx,
                                bool bucket_key, const SseCaller& caller, SseWrite* w, ObjectKeys* keys) {
  KmsCaller kc = CallerFor(caller);
  if (bucket_key) {
    const Principal& p = caller.ctx->principal;
    std::string cache_key =
        b.name + '\n' + choice.key_ref + '\n' + p.arn + '\n' + p.access_key_id + '\n' + ContextText(ctx);
    auto dk = GenerateBucketKey(cache_key, choice.key_ref, ctx, kc);
    if (!dk.ok()) return errors::FromKms(dk.status());
    keys->key = dk->plaintext;
    keys->derive = true;
    w->stored.arn = dk->key_arn;
    w->stored.blob = Base64Encode(dk->ciphertext_blob);
    return Status::Ok();
  }
  auto dk = options_.kms->GenerateDataKey(choice.key_ref, ctx, kc);
  if (!dk.ok()) return errors::FromKms(dk.status());
  w->stored.arn = dk->key_arn;
  w->stored.blob = Base64Encode(dk->ciphertext_blob);
  keys->key = dk->plaintext;
  if (choice.algorithm == kSseDsse) {
    // Two independent layers: DK1 (outer) above, DK2 (inner) here.
    auto dk2 = options_.kms->GenerateDataKey(choice.key_ref, ctx, kc);
    if (!dk2.ok()) return errors::FromKms(dk2.status());
    w->stored.blob2 = Base64Encode(dk2->ciphertext_blob);
    keys->key = dk2->plaintext;
    keys->outer = dk->plaintext;
  }
  return Status::Ok();
}

Result<SseWrite> SseKeys::ForWrite(const SseChoice& choice, const BucketRecord& b, const std::string& key,
                                   const SseCaller& caller, std::string* warning) {
  if (choice.algorithm == kSseS3 || choice.algorithm == kSseC) return ForWriteLocal(choice);
  if (choice.algorithm != kSseKms && choice.algorithm != kSseDsse)
    return ck::InvalidArgument("unsupported server-side encryption " + choice.algorithm);
  if (!options_.kms) return Internal("KMS is not available to S3");

  const Principal& p = caller.ctx->principal;
  std::string warn = ForeignKeyWarning(choice, b, key, p);
  if (warning) *warning = warn;
  KmsEncryptionContext ctx = choice.user_context;
  bool bucket_key = choice.bucket_key && choice.algorithm == kSseKms;
  ctx["aws:s3:arn"] = bucket_key ? "arn:aws:s3:::" + b.name : "arn:aws:s3:::" + b.name + "/" + key;

  SseWrite w;
  w.stored.v = 1;
  w.stored.sse = choice.algorithm;
  w.stored.ref = choice.key_ref;
  w.stored.ctx = ctx;
  w.stored.bk = bucket_key;
  if (!choice.user_context.empty()) w.stored.uctx = true;
  auto keys = std::make_shared<ObjectKeys>();
  CK_RETURN_IF_ERROR(GenerateKmsKeys(choice, b, ctx, bucket_key, caller, &w, keys.get()));
  if (!warn.empty()) {
    std::string arn = w.stored.arn.value_or("");
    w.warning = warn + " (it resolved to " + arn + ")";
    if (warning) *warning = w.warning;
    spdlog::warn("s3: bucket={} object={} requester={} key_ref='{}' resolved to {}", b.name, key, p.arn, choice.key_ref,
                 arn);
  }
  w.keys = std::move(keys);
  return w;
}

Status SseKeys::CheckCustomer(const std::optional<StoredSse>& stored, const std::optional<CustomerKey>& customer) {
  bool is_c = stored && stored->sse == kSseC;
  if (!is_c) {
    if (customer) return errors::InvalidRequest("The encryption parameters are not applicable to this object.");
    return Status::Ok();
  }
  if (!customer)
    return errors::InvalidRequest(
        "The object was stored using a form of Server Side Encryption. The correct parameters must be provided to "
        "retrieve the object.");
  auto mac = Base64Decode(stored->mac.value_or(""));
  if (!mac || *mac != crypto::HmacSha256(customer->key, kSseCMacLabel))
    return errors::AccessDenied(
        "Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.");
  return Status::Ok();
}

Result<ObjectKeysPtr> SseKeys::ForRead(const std::optional<StoredSse>& stored, const SseCaller& caller,
                                       const std::optional<CustomerKey>& customer) {
  CK_RETURN_IF_ERROR(CheckCustomer(stored, customer));
  if (!stored) return ObjectKeysPtr();
  if (stored->v != 1) return DataLoss("unknown object encryption format");
  const std::string& sse = stored->sse;
  auto keys = std::make_shared<ObjectKeys>();
  if (sse == kSseS3) {
    CK_ASSIGN_OR_RETURN(auto wk, B64(stored->wk, "wk"));
    CK_ASSIGN_OR_RETURN(keys->key, crypto::UnwrapKey(options_.master_key, kSseS3Purpose, wk));
    return ObjectKeysPtr(keys);
  }
  if (sse == kSseC) {
    CK_ASSIGN_OR_RETURN(auto wk, B64(stored->wk, "wk"));
    CK_ASSIGN_OR_RETURN(keys->key, crypto::UnwrapKey(customer->key, kSseCWrapPurpose, wk));
    return ObjectKeysPtr(keys);
  }
  if (sse != kSseKms && sse != kSseDsse) return DataLoss("unknown object encryption " + sse);
  if (!options_.kms) return Internal("KMS is not available to S3");
  KmsCaller kc = CallerFor(caller);
  KmsEncryptionContext ctx = stored->ctx.value_or(KmsEncryptionContext{});
  CK_ASSIGN_OR_RETURN(auto blob, B64(stored->blob, "blob"));
  auto dk = options_.kms->Decrypt(blob, ctx, kc);
  if (!dk.ok()) return errors::FromKms(dk.status());
  if (sse == kSseDsse) {
    CK_ASSIGN_OR_RETURN(auto blob2, B64(stored->blob2, "blob2"));
    auto dk2 = options_.kms->Decrypt(blob2, ctx, kc);
    if (!dk2.ok()) return errors::FromKms(dk2.status());
    keys->key = dk2->plaintext;
    keys->outer = dk->plaintext;
  } else {
    keys->key = dk->plaintext;
  }
  keys->derive = stored->bk.value_or(false);
  return ObjectKeysPtr(keys);
}

SseDescription DescribeSse(const std::optional<StoredSse>& stored, bool write) {
  SseDescription d;
  if (!stored) {
    d.server_side_encryption = api::s3::ServerSideEncryption::kAes256;  // S3's default since 2023
    return d;
  }
  const std::string& sse = stored->sse;
  if (sse == kSseC) {
    d.customer_algorithm = "AES256";
    d.customer_key_md5 = stored->md5.value_or("");
    return d;
  }
  d.server_side_encryption = EnumValue<api::s3::ServerSideEncryption>::Parse(sse);
  if (sse == kSseKms || sse == kSseDsse) {
    d.kms_key_id = stored->arn.value_or("");
    if (stored->bk.value_or(false)) d.bucket_key_enabled = true;
    if (write && stored->uctx.value_or(false))
      d.encryption_context = Base64Encode(ContextText(stored->ctx.value_or(KmsEncryptionContext{})));
  }
  return d;
}

bool EtagIsNotMd5(const std::optional<StoredSse>& stored) {
  if (!stored) return false;
  return stored->sse == kSseKms || stored->sse == kSseDsse || stored->sse == kSseC;
}

}  // namespace ck::services::s3
