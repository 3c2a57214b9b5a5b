#include "services/s3/sse_request.h"

#include "base/codec.h"
#include "crypto/hash.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

constexpr char kHdrSse[] = "x-amz-server-side-encryption";
constexpr char kHdrKey[] = "x-amz-server-side-encryption-aws-kms-key-id";
constexpr char kHdrCtx[] = "x-amz-server-side-encryption-context";
constexpr char kHdrBucketKey[] = "x-amz-server-side-encryption-bucket-key-enabled";
constexpr char kCustomerPrefix[] = "x-amz-server-side-encryption-customer-";

Status Argument(const std::string& message, const std::string& name, const std::string& value) {
  return AwsError("InvalidArgument", 400, message).WithField("ArgumentName", name).WithField("ArgumentValue", value);
}

Status RequireArn(const std::string& ref, const std::string& argument) {
  return Argument("The KMS key reference '" + ref +
                      "' is a key ID or alias name, which KMS resolves in the requester's account, not the bucket "
                      "owner's. This server runs with --require-key-arns: use a key ARN "
                      "(arn:aws:kms:REGION:ACCOUNT:key/ID) or an alias ARN (arn:aws:kms:REGION:ACCOUNT:alias/NAME).",
                  argument, ref);
}

bool IsKms(const std::string& alg) { return alg == kSseKms || alg == kSseDsse; }

}  // namespace

bool IsUnqualifiedKeyRef(const std::string& ref) { return !StartsWith(ref, "arn:"); }

Result<std::optional<CustomerKey>> ParseCustomerKey(const http::Headers& h, const std::string& prefix) {
  auto alg = h.Get(prefix + "algorithm");
  auto key = h.Get(prefix + "key");
  auto md5 = h.Get(prefix + "key-md5");
  if (!alg && !key && !md5) return std::optional<CustomerKey>();
  if (!alg)
    return Argument("Requests specifying Server Side Encryption with Customer provided keys must provide a valid "
                    "encryption algorithm.",
                    prefix + "algorithm", "null");
  if (*alg != "AES256")
    return AwsError("InvalidEncryptionAlgorithmError", 400,
                    "The encryption request that you specified is not valid. The valid value is AES256.")
        .WithField("ArgumentName", prefix + "algorithm")
        .WithField("ArgumentValue", std::string(*alg));
  if (!key)
    return Argument("Requests specifying Server Side Encryption with Customer provided keys must provide an "
                    "appropriate secret key.",
                    prefix + "key", "null");
  auto raw = Base64Decode(Trim(*key));
  if (!raw || raw->size() != 32)
    return Argument("The secret key was invalid for the specified algorithm.", prefix + "key", "null");
  if (!md5)
    return Argument("Requests specifying Server Side Encryption with Customer provided keys must provide the "
                    "client calculated MD5 of the secret key.",
                    prefix + "key-MD5", "null");
  std::string expected = Base64Encode(crypto::Md5(*raw));
  if (Trim(*md5) != expected)
    return Argument("The calculated MD5 hash of the key did not match the hash that was provided.", prefix + "key-MD5",
                    "null");
  return std::optional<CustomerKey>(CustomerKey{std::move(*raw), expected});
}

Result<SseRequestHeaders> ParseWriteSse(const http::Headers& h, bool require_key_arns) {
  SseRequestHeaders r;
  if (auto v = h.Get(kHdrSse)) r.algorithm = std::string(Trim(*v));
  if (!r.algorithm.empty() && r.algorithm != kSseS3 && !IsKms(r.algorithm))
    return Argument("The encryption method specified is not supported", kHdrSse, r.algorithm);
  if (auto v = h.Get(kHdrKey)) r.key_ref = std::string(Trim(*v));
  if (auto v = h.Get(kHdrBucketKey)) {
    std::string b = ToLower(Trim(*v));
    if (b != "true" && b != "false") return Argument("Invalid value for bucket key enabled", kHdrBucketKey, b);
    r.bucket_key = b == "true";
  }
  if (auto v = h.Get(kHdrCtx)) {
    static const std::string kBad =
        "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which "
        "represents a string-string map";
    auto text = Base64Decode(Trim(*v));
    if (!text) return Argument(kBad, kHdrCtx, std::string(*v));
    nlohmann::json j = nlohmann::json::parse(*text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Argument(kBad, kHdrCtx, std::string(*v));
    std::map<std::string, std::string> ctx;
    for (const auto& [k, val] : j.items()) {
      if (!val.is_string()) return Argument(kBad, kHdrCtx, std::string(*v));
      ctx[k] = val.get<std::string>();
    }
    r.context = std::move(ctx);
  }
  CK_ASSIGN_OR_RETURN(r.customer, ParseCustomerKey(h, kCustomerPrefix));
  if (r.customer && !r.algorithm.empty())
    return Argument("Server Side Encryption with Customer provided key is incompatible with the encryption method "
                    "specified",
                    kHdrSse, r.algorithm);
  if ((r.key_ref || r.context) && !IsKms(r.algorithm))
    return Argument("Server Side Encryption with AWS KMS managed key requires HTTP header "
                    "x-amz-server-side-encryption : aws:kms",
                    kHdrSse, r.algorithm.empty() ? "null" : r.algorithm);
  if (r.key_ref && r.key_ref->empty()) return Argument("KMS key ID must not be empty", kHdrKey, "");
  if (require_key_arns && r.key_ref && IsUnqualifiedKeyRef(*r.key_ref)) return RequireArn(*r.key_ref, kHdrKey);
  return r;
}

Status RejectSseOnRead(const http::Headers& h) {
  for (const char* name : {kHdrSse, kHdrKey, kHdrCtx, kHdrBucketKey}) {
    if (auto v = h.Get(name))
      return Argument(std::string(name) + " header is not supported for this operation.", name, std::string(*v));
  }
  return Status::Ok();
}

BucketDefault ReadBucketDefault(const std::optional<nlohmann::json>& config) {
  BucketDefault d;
  if (!config) return d;
  const nlohmann::json rules = config->value("Rules", nlohmann::json::array());
  if (!rules.is_array() || rules.empty()) return d;
  const nlohmann::json& rule = rules[0];
  if (rule.contains("ApplyServerSideEncryptionByDefault")) {
    const auto& by_default = rule["ApplyServerSideEncryptionByDefault"];
    d.algorithm = by_default.value("SSEAlgorithm", std::string(kSseS3));
    if (by_default.contains("KMSMasterKeyID") && by_default["KMSMasterKeyID"].is_string())
      d.key_ref = by_default["KMSMasterKeyID"].get<std::string>();
  }
  if (rule.contains("BucketKeyEnabled") && rule["BucketKeyEnabled"].is_boolean())
    d.bucket_key = rule["BucketKeyEnabled"].get<bool>();
  if (rule.contains("BlockedEncryptionTypes")) {
    nlohmann::json types = rule["BlockedEncryptionTypes"].value("EncryptionType", nlohmann::json::array());
    if (types.is_string()) types = nlohmann::json::array({types});
    for (const auto& t : types)
      if (t == "SSE-C") d.sse_c_blocked = true;
  }
  return d;
}

Status ValidateBucketEncryption(const nlohmann::json& config, bool require_key_arns) {
  if (!config.is_object() || !config.contains("Rules") || !config["Rules"].is_array() || config["Rules"].size() != 1)
    return wire::MalformedXml();
  const nlohmann::json& rule = config["Rules"][0];
  if (rule.contains("ApplyServerSideEncryptionByDefault")) {
    const auto& d = rule["ApplyServerSideEncryptionByDefault"];
    if (!d.is_object() || !d.contains("SSEAlgorithm") || !d["SSEAlgorithm"].is_string()) return wire::MalformedXml();
    std::string alg = d["SSEAlgorithm"].get<std::string>();
    if (alg != kSseS3 && !IsKms(alg)) return wire::MalformedXml();
    if (d.contains("KMSMasterKeyID")) {
      if (!IsKms(alg))
        return AwsError("InvalidArgument", 400,
                        "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
            .WithField("ArgumentName", "ApplyServerSideEncryptionByDefault");
      std::string ref = d["KMSMasterKeyID"].is_string() ? d["KMSMasterKeyID"].get<std::string>() : "";
      if (require_key_arns && IsUnqualifiedKeyRef(ref)) return RequireArn(ref, "KMSMasterKeyID");
    }
  }
  if (rule.contains("BlockedEncryptionTypes")) {
    nlohmann::json types = rule["BlockedEncryptionTypes"].value("EncryptionType", nlohmann::json::array());
    if (types.is_string()) types = nlohmann::json::array({types});
    for (const auto& t : types)
      if (t != "SSE-C" && t != "NONE") return wire::MalformedXml();
  }
  return Status::Ok();
}

Result<SseChoice> ChooseSse(const SseRequestHeaders& req, const BucketDefault& bucket) {
  SseChoice c;
  if (req.customer) {
    if (bucket.sse_c_blocked)
      // UNVERIFIED wording; AWS documents a 403 for blocked SSE-C writes.
      return AwsError("AccessDenied", 403,
                      "Requests specifying Server Side Encryption with Customer provided keys are blocked for this "
                      "bucket.");
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
