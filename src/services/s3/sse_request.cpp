#include "services/s3/sse_request.h"

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/errors.h"

namespace ck::services::s3 {

namespace {

constexpr char kHdrSse[] = "x-amz-server-side-encryption";
constexpr char kHdrKey[] = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr char kHdrCtx[] = "x-amz-server-side-encryption-context";
constexpr char kHdrBucketKey[] = "x-amz-server-side-encryption-bucket-key-enabled";

Status RequireArn(const std::string& ref, const std::string& argument) {
  return errors::BadArgument(
      "The KMS key reference '" + ref +
          "' is a key ID or alias name, which KMS resolves in the requester's account, not the bucket "
          "owner's. This server runs with --require-key-arns: use a key ARN "
          "(arn:aws:kms:REGION:ACCOUNT:key/ID) or an alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME).",
      argument, ref);
}

bool IsKms(std::string_view alg) { return alg == kSseKms || alg == kSseDsse; }

// The decoded x-amz-server-side-encryption-context: a JSON object of strings.
Result<std::map<std::string, std::string>> ParseContext(const std::string& header) {
  static const std::string kBad =
      "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which "
      "represents a string-string map";
  auto text = Base64Decode(Trim(header));
  if (!text) return errors::BadArgument(kBad, kHdrCtx, header);
  Document j = Document::parse(*text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return errors::BadArgument(kBad, kHdrCtx, header);
  std::map<std::string, std::string> ctx;
  for (const auto& [k, val] : j.items()) {
    if (!val.is_string()) return errors::BadArgument(kBad, kHdrCtx, header);
    ctx[k] = val.get<std::string>();
  }
  return ctx;
}

std::vector<EnumValue<api::s3::EncryptionType>> BlockedTypes(const api::s3::ServerSideEncryptionRule& rule) {
  if (!rule.blocked_encryption_types) return {};
  return rule.blocked_encryption_types->encryption_type.value_or(std::vector<EnumValue<api::s3::EncryptionType>>{});
}

}  // namespace

bool IsUnqualifiedKeyRef(const std::string& ref) { return !StartsWith(ref, "arn:"); }

Result<std::optional<CustomerKey>> ParseCustomerKey(const CustomerKeyMembers& m, bool reading) {
  // S3 names x-amz-server-side-encryption in every SSE-C error, the copy
  // source's included (recorded on AWS), and echoes only a wrong algorithm.
  auto bad = [](const std::string& message) { return errors::InvalidArgument(message).WithField("ArgumentName", kHdrSse); };
  if (!m.algorithm && !m.key && !m.key_md5) return std::optional<CustomerKey>();
  if (!m.algorithm)
    return bad(
        "Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption "
        "algorithm.");
  if (*m.algorithm != "AES256")
    return errors::InvalidEncryptionAlgorithmError(
               "The Encryption request you specified is not valid. Supported value: AES256.")
        .WithField("ArgumentName", kHdrSse)
        .WithField("ArgumentValue", *m.algorithm);
  if (!m.key)
    return bad(
        "Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret "
        "key.");
  auto raw = Base64Decode(Trim(*m.key));
  // A read compares the key with the object's: one of another length is just
  // not the right key (403 when checked).
  if (!raw || (raw->size() != 32 && !reading)) return bad("The secret key was invalid for the specified algorithm.");
  if (!m.key_md5)
    return bad(
        "Requests specifying Server Side Encryption with Customer provided keys must provide the client calculated "
        "MD5 of the secret key.");
  std::string expected = Base64Encode(crypto::Md5(*raw));
  if (Trim(*m.key_md5) != expected)
    return bad("The calculated MD5 hash of the key did not match the hash that was provided.");
  return std::optional<CustomerKey>(CustomerKey{std::move(*raw), expected});
}

Result<SseRequestHeaders> ParseWriteSse(const SseWriteMembers& m, bool require_key_arns) {
  SseRequestHeaders r;
  if (m.algorithm) r.algorithm = std::string(Trim(m.algorithm->str()));
  if (!r.algorithm.empty() && r.algorithm != kSseS3 && !IsKms(r.algorithm))
    return errors::BadArgument("The encryption method specified is not supported", kHdrSse, r.algorithm);
  if (m.key_id) r.key_ref = std::string(Trim(*m.key_id));
  r.bucket_key = m.bucket_key;
  if (m.context) {
    CK_ASSIGN_OR_RETURN(r.context, ParseContext(*m.context));
  }
  // Both forms of encryption: refused before the SSE-C members are looked at.
  if (!r.algorithm.empty() && (m.customer_algorithm || m.customer_key || m.customer_key_md5))
    return errors::BadArgument(
        "Server Side Encryption with Customer provided key is incompatible with the encryption method specified",
        kHdrSse, r.algorithm);
  CK_ASSIGN_OR_RETURN(r.customer, ParseCustomerKey(CustomerKeyMembers{m.customer_algorithm, m.customer_key,
                                                                      m.customer_key_md5, kCustomerKeyPrefix}));
  if ((r.key_ref || r.context) && !IsKms(r.algorithm))
    return errors::BadArgument(
        "Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : "
        "aws:kms",
        kHdrSse, r.algorithm.empty() ? "null" : r.algorithm);
  if (r.key_ref && r.key_ref->empty()) return errors::BadArgument("KMS key ID must not be empty", kHdrKey, "");
  if (require_key_arns && r.key_ref && IsUnqualifiedKeyRef(*r.key_ref)) return RequireArn(*r.key_ref, kHdrKey);
  return r;
}

Status RejectSseOnRead(const http::Headers& h) {
  for (const char* name : {kHdrSse, kHdrKey, kHdrCtx, kHdrBucketKey}) {
    if (auto v = h.Get(name))
      return errors::BadArgument(std::string(name) + " header is not supported for this operation.", name,
                                 std::string(*v));
  }
  return Status::Ok();
}

BucketDefault ReadBucketDefault(const std::optional<api::s3::ServerSideEncryptionConfiguration>& config) {
  BucketDefault d;
  if (!config || config->rules.empty()) return d;
  const api::s3::ServerSideEncryptionRule& rule = config->rules[0];
  if (const auto& by_default = rule.apply_server_side_encryption_by_default) {
    if (!by_default->sse_algorithm.str().empty()) d.algorithm = std::string(by_default->sse_algorithm.str());
    d.key_ref = by_default->kms_master_key_id;
  }
  d.bucket_key = rule.bucket_key_enabled.value_or(false);
  for (const auto& t : BlockedTypes(rule))
    if (t == api::s3::EncryptionType::kSseC) d.sse_c_blocked = true;
  return d;
}

Status ValidateBucketEncryption(const api::s3::ServerSideEncryptionConfiguration& config, bool require_key_arns) {
  if (config.rules.size() != 1) return errors::Malformed();
  const api::s3::ServerSideEncryptionRule& rule = config.rules[0];
  if (const auto& d = rule.apply_server_side_encryption_by_default) {
    std::string_view alg = d->sse_algorithm.str();
    if (alg != kSseS3 && !IsKms(alg)) return errors::Malformed();
    if (d->kms_master_key_id) {
      if (!IsKms(alg))
        return errors::InvalidArgument(
                   "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
            .WithField("ArgumentName", "ApplyServerSideEncryptionByDefault");
      if (require_key_arns && IsUnqualifiedKeyRef(*d->kms_master_key_id))
        return RequireArn(*d->kms_master_key_id, "KMSMasterKeyID");
    }
  }
  for (const auto& t : BlockedTypes(rule))
    if (!t.known()) return errors::Malformed();
  return Status::Ok();
}

Result<SseChoice> ChooseSse(const SseRequestHeaders& req, const BucketDefault& bucket) {
  SseChoice c;
  if (req.customer) {
    if (bucket.sse_c_blocked)
      // UNVERIFIED wording; AWS documents a 403 for blocked SSE-C writes.
      return errors::AccessDenied(
          "Requests specifying Server Side Encryption with Customer provided keys are blocked for this bucket.");
    c.algorithm = kSseC;
    c.customer = req.customer;
    return c;
  }
  if (!req.algorithm.empty()) {
    c.algorithm = req.algorithm;
    if (req.key_ref) {
      c.key_ref = *req.key_ref;
      c.key_ref_explicit = true;
    }
  } else {
    c.algorithm = bucket.algorithm;
    if (bucket.key_ref) {
      c.key_ref = *bucket.key_ref;
      c.key_ref_explicit = true;
    }
  }
  if (c.algorithm == kSseKms || c.algorithm == kSseDsse) {
    if (c.key_ref.empty()) c.key_ref = kAwsManagedS3Key;
    if (req.context) c.user_context = *req.context;
  } else {
    c.key_ref.clear();
    c.key_ref_explicit = false;
  }
  // Bucket keys: the request header wins, else the bucket setting; SSE-KMS only.
  c.bucket_key = c.algorithm == kSseKms && req.bucket_key.value_or(bucket.bucket_key);
  return c;
}

}  // namespace ck::services::s3
