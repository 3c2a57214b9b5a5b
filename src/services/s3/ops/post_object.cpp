#include "services/s3/ops/post_object.h"

#include <pugixml.hpp>

#include "auth/sigv4.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/operations.h"
#include "services/s3/ops/ops.h"
#include "services/s3/post_policy.h"
#include "wire/form_data.h"
#include "wire/rest_xml_codec.h"
#include "wire/xml_writer.h"

namespace ck::services::s3 {

namespace {

// The fields before the file, their part headers included. S3 refuses more
// with MaxPostPreDataLengthExceededError; its exact limit is not published,
// 20 KB is the figure S3-compatible servers use.
constexpr size_t kMaxFormFieldsBytes = 20 * 1024;

Status MissingField(const std::string& name) {
  return errors::BadArgument("Bucket POST must contain a field named '" + name +
                                 "'.  If it is specified, please check the order of the fields.",
                             name, "");
}

// --- Who signed the form ---

struct FormSigner {
  Principal principal;
  std::string region;  // SigV4's credential scope
  std::optional<PostPolicy> policy;
};

// All of a signature version's fields, or the first missing one named as S3
// names it (recorded: X-Amz-Signature, X-Amz-Algorithm, Signature, AWSAccessKeyId).
Result<bool> HasFieldSet(const std::vector<wire::FormField>& f,
                         std::initializer_list<std::pair<const char*, const char*>> set) {
  bool any = false;
  for (const auto& [field, shown] : set) any = any || FormValue(f, field).has_value();
  if (!any) return false;
  for (const auto& [field, shown] : set)
    if (!FormValue(f, field)) return MissingField(shown);
  return true;
}

Status SignatureMismatch(const std::string& access_key, const std::string& provided, const std::string& policy) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string bytes;
  for (unsigned char ch : policy) {
    if (!bytes.empty()) bytes += ' ';
    bytes += kHex[ch >> 4];
    bytes += kHex[ch & 15];
  }
  // The text S3 gives form signatures (recorded), shorter than the header one.
  return errors::SignatureDoesNotMatch(
             "The request signature we calculated does not match the signature you provided. Check your key and "
             "signing method.")
      .WithField("AWSAccessKeyId", access_key)
      .WithField("StringToSign", policy)
      .WithField("SignatureProvided", provided)
      .WithField("StringToSignBytes", bytes);
}

struct SignedFields {
  std::string access_key, signature, policy, token;
  bool v4 = false;
  std::string date, region, service;  // SigV4 credential scope
};

Result<SignedFields> ReadSignedFields(const std::vector<wire::FormField>& f, bool v4) {
  SignedFields s;
  s.v4 = v4;
  s.policy = FormValue(f, "policy").value_or("");
  s.token = FormValue(f, "x-amz-security-token").value_or("");
  if (!v4) {
    s.access_key = *FormValue(f, "awsaccesskeyid");
    s.signature = *FormValue(f, "signature");
    return s;
  }
  s.signature = *FormValue(f, "x-amz-signature");
  std::string credential = *FormValue(f, "x-amz-credential");
  std::vector<std::string> parts;
  for (size_t pos = 0;;) {
    size_t slash = credential.find('/', pos);
    parts.push_back(credential.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos));
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  // Not recorded: S3's answer to a credential that is not KEY/DATE/REGION/SERVICE/aws4_request; inferred.
  if (parts.size() != 5 || parts[4] != "aws4_request" || parts[0].empty())
    return errors::BadArgument("Invalid credential in the form: " + credential, "X-Amz-Credential", credential);
  s.access_key = parts[0];
  s.date = parts[1];
  s.region = parts[2];
  s.service = parts[3];
  return s;
}

Status VerifyFormSignature(const SignedFields& s, const std::string& secret) {
  std::string expected = s.v4 ? auth::SignString(auth::DeriveSigningKey(secret, s.date, s.region, s.service), s.policy)
                              : Base64Encode(crypto::HmacSha1(secret, s.policy));
  if (!auth::ConstantTimeEquals(expected, s.signature)) return SignatureMismatch(s.access_key, s.signature, s.policy);
  return Status::Ok();
}

// The signer of the form and its checked policy. A form without signature
// fields is the request's own caller: anonymous for a browser (an SDK that
// signed the request's head stays who it signed as).
Result<FormSigner> AuthenticateForm(S3Service& s, const Call& c, const std::vector<wire::FormField>& f,
                                    const std::string& bucket) {
  FormSigner out;
  out.principal = c.principal();
  CK_ASSIGN_OR_RETURN(bool v4, HasFieldSet(f, {{"x-amz-signature", "X-Amz-Signature"},
                                               {"x-amz-algorithm", "X-Amz-Algorithm"},
                                               {"x-amz-credential", "X-Amz-Credential"},
                                               {"x-amz-date", "X-Amz-Date"}}));
  bool v2 = false;
  if (!v4) {
    CK_ASSIGN_OR_RETURN(v2, HasFieldSet(f, {{"signature", "Signature"}, {"awsaccesskeyid", "AWSAccessKeyId"}}));
  }
  if (!v4 && !v2) return out;
  // Not recorded: the name S3 gives a signed form without its policy; inferred from 'key'.
  if (!FormValue(f, "policy")) return MissingField("policy");
  CK_ASSIGN_OR_RETURN(auto signed_fields, ReadSignedFields(f, v4));
  if (!s.options().resolve_form_key) return errors::PlainAccessDenied();
  CK_ASSIGN_OR_RETURN(auto resolved, s.options().resolve_form_key(signed_fields.access_key, signed_fields.token));
  if (resolved.secret) CK_RETURN_IF_ERROR(VerifyFormSignature(signed_fields, *resolved.secret));
  out.principal = std::move(resolved.principal);
  out.principal.access_key_id = signed_fields.access_key;
  out.region = signed_fields.region;
  auto json = Base64Decode(Trim(signed_fields.policy));
  if (!json) return errors::InvalidPolicyDocument("Invalid Policy: Invalid JSON.");  // not recorded; inferred
  CK_ASSIGN_OR_RETURN(out.policy, ParsePostPolicy(*json));
  CK_RETURN_IF_ERROR(CheckPostPolicy(*out.policy, f, bucket, c.ctx.now));
  return out;
}

// --- The PutObject the form stands for ---

// The form's tagging document as x-amz-tagging ("k=v&k2=v2"). A document
// that is not <Tagging><TagSet> is no tags (recorded); text that is not XML
// is MalformedXML (recorded).
Result<std::string> TaggingHeader(const std::string& xml) {
  pugi::xml_document doc;
  if (!doc.load_string(xml.c_str())) return errors::Malformed();
  std::string out;
  for (pugi::xml_node tag : doc.child("Tagging").child("TagSet").children("Tag")) {
    if (!out.empty()) out += '&';
    out += UriEncode(tag.child_value("Key")) + "=" + UriEncode(tag.child_value("Value"));
  }
  return out;
}

// The form field → the PutObject header it stands for ("" when it is none).
std::string HeaderForField(const std::string& lower) {
  static constexpr const char* kHeaders[] = {
      "cache-control",    "content-type",        "content-disposition",
      "content-encoding", "content-language",    "content-md5",
      "expires",          "x-amz-storage-class", "x-amz-website-redirect-location"};
  for (const char* h : kHeaders)
    if (lower == h) return lower;
  if (lower == "acl") return "x-amz-acl";
  for (const char* prefix : {"x-amz-meta-", "x-amz-server-side-encryption", "x-amz-checksum-", "x-amz-object-lock-"})
    if (StartsWith(lower, prefix)) return lower;
  return "";
}

// The PutObject request head the form stands for: the original head's
// connection facts (Host, Origin for CORS) and the form's header fields.
Result<http::RequestHead> PutHead(const http::RequestHead& post, const std::vector<wire::FormField>& f,
                                  const std::string& bucket, const std::string& key) {
  http::RequestHead h;
  h.method = "PUT";
  h.raw_path = "/" + UriEncode(bucket) + "/" + UriEncode(key, false);
  h.path = "/" + bucket + "/" + key;
  h.target = h.raw_path;
  h.content_length = post.content_length;
  h.remote_ip = post.remote_ip;
  h.secure = post.secure;
  h.request_id = post.request_id;
  for (const char* kept : {"host", "origin"})
    if (auto v = post.headers.Get(kept)) h.headers.Set(kept, std::string(*v));
  bool checksum = false;
  for (const auto& field : f) {
    std::string lower = ToLower(field.name);
    if (lower == "tagging") {
      CK_ASSIGN_OR_RETURN(auto tagging, TaggingHeader(field.value));
      if (!tagging.empty()) h.headers.Set("x-amz-tagging", tagging);
      continue;
    }
    std::string header = HeaderForField(lower);
    if (header.empty() || h.headers.Has(header)) continue;  // the first of a repeated field
    checksum = checksum || StartsWith(header, "x-amz-checksum-");
    h.headers.Set(header, field.value);
  }
  // A form upload gets a CRC64NVME checksum unless it names one (recorded).
  if (!checksum) h.headers.Set("x-amz-checksum-algorithm", "CRC64NVME");
  return h;
}

// --- The answer ---

// success_action_redirect (or the older redirect) when S3 can read it as an
// absolute URL; S3 ignores it otherwise (recorded).
std::optional<std::string> RedirectTo(const std::vector<wire::FormField>& f) {
  auto url = FormValue(f, "success_action_redirect");
  if (!url) url = FormValue(f, "redirect");
  if (!url) return std::nullopt;
  size_t scheme = url->find("://");
  if (scheme == std::string::npos || scheme == 0 || scheme + 3 >= url->size() || (*url)[scheme + 3] == '/')
    return std::nullopt;
  return url;
}

std::string ObjectLocation(const http::RequestHead& head, const std::string& bucket, const std::string& key) {
  std::string host = head.headers.GetOr("host", "localhost");
  std::string base = std::string(head.secure ? "https://" : "http://") + host;
  if (BucketFromHost(host).empty()) base += "/" + UriEncode(bucket);
  return base + "/" + UriEncode(key, false);
}

http::Response PostAnswer(const Call& c, const http::RequestHead& post, const std::vector<wire::FormField>& f,
                          const api_s3::PutObjectOutput& out) {
  http::Response r;
  wire::EncodeRestXmlResponse(*c.model, *c.route.operation, ToDocument(out), &r);
  r.body.clear();
  r.headers.Remove("content-length");
  r.headers.Remove("content-type");
  const std::string& bucket = c.route.bucket;
  const std::string& key = c.route.key;
  std::string etag = out.e_tag.value_or("");
  if (auto to = RedirectTo(f)) {
    std::string query = "bucket=" + UriEncode(bucket) + "&key=" + UriEncode(key) + "&etag=" + UriEncode(etag);
    r.status = 303;
    r.headers.Set("location", *to + (to->find('?') == std::string::npos ? "?" : "&") + query);
    return r;
  }
  std::string location = ObjectLocation(post, bucket, key);
  r.headers.Set("location", location);
  std::string status = FormValue(f, "success_action_status").value_or("");
  r.status = status == "200" ? 200 : status == "201" ? 201 : 204;
  if (r.status == 201) {
    wire::XmlWriter w;
    w.Declaration();
    w.Open("PostResponse");
    w.Element("Location", location);
    w.Element("Bucket", bucket);
    w.Element("Key", key);
    w.Element("ETag", etag);
    w.Close("PostResponse");
    r.body = w.Take();
    r.headers.Set("content-type", "application/xml");
  }
  return r;
}

// --- The sink ---

class PostObjectSink final : public http::BodySink {
 public:
  PostObjectSink(S3Service& s, std::shared_ptr<Call> c, std::string bucket, std::string boundary)
      : s_(s),
        c_(std::move(c)),
        post_(*c_->head),
        bucket_(std::move(bucket)),
        reader_(std::move(boundary), "file", kMaxFormFieldsBytes,
                {.on_field = [this](wire::FormField f) { return Field(std::move(f)); },
                 .on_file = [this](const wire::FormFile& f) { return File(f); },
                 .on_data = [this](std::string_view d) { return Data(d); }}) {}

  ~PostObjectSink() override {
    if (upload_ && !committed_) upload_->writer->Abort();
  }

  Status Write(std::string_view chunk) override {
    if (!failure_.ok()) return failure_;
    Status st = reader_.Feed(chunk);
    if (!st.ok()) failure_ = Reworded(st);
    return failure_;
  }

  http::Response Finish() override {
    auto r = Complete();
    c_->head = &post_;  // CORS rules match the POST, not the PutObject it stood for
    return s3::Finish(s_, *c_, std::move(r));
  }

 private:
  // The reader's own failures in S3's words; the operation's pass unchanged.
  static Status Reworded(const Status& st) {
    if (!st.aws_code().empty()) return st;
    if (st.code() == Code::kResourceExhausted)
      return errors::MaxPostPreDataLengthExceeded("Your POST request fields preceding the upload file were too large.");
    if (st.code() == Code::kNotFound)
      return errors::BadArgument("POST requires exactly one file upload per request.", "file", "0");
    return errors::MalformedPOSTRequest("The body of your POST request is not well-formed multipart/form-data.");
  }

  Status Field(wire::FormField f) {
    fields_.push_back(std::move(f));
    return Status::Ok();
  }

  Status File(const wire::FormFile& file);
  Status Data(std::string_view d);
  Result<http::Response> Complete();

  S3Service& s_;
  std::shared_ptr<Call> c_;
  const http::RequestHead& post_;
  std::string bucket_;
  wire::FormDataReader reader_;
  std::vector<wire::FormField> fields_;
  http::RequestHead put_head_;
  std::optional<PostPolicy> policy_;
  std::optional<uint64_t> max_size_;
  std::optional<Upload<api_s3::PutObjectOutput>> upload_;
  uint64_t size_ = 0;
  bool committed_ = false;
  Status failure_;
};

// The file begins: everything before it is known, so the signer, the policy
// and the PutObject it stands for are settled before a byte is stored.
Status PostObjectSink::File(const wire::FormFile& file) {
  auto key = FormValue(fields_, "key");
  if (!key || key->empty()) return MissingField("key");
  std::string object_key = *key;
  if (file.filename)
    for (size_t at; (at = object_key.find("${filename}")) != std::string::npos;)
      object_key.replace(at, 11, *file.filename);
  CK_ASSIGN_OR_RETURN(auto signer, AuthenticateForm(s_, *c_, fields_, bucket_));
  if (signer.policy) {
    max_size_ = PostMaxSize(*signer.policy);
    policy_ = std::move(signer.policy);
  }
  c_->ctx.principal = std::move(signer.principal);
  if (!signer.region.empty()) c_->ctx.region = signer.region;
  CK_ASSIGN_OR_RETURN(put_head_, PutHead(post_, fields_, bucket_, object_key));
  c_->head = &put_head_;
  c_->route.endpoint = Endpoint::kPutObject;
  c_->route.operation = c_->model->FindOperation("PutObject");
  c_->route.key = object_key;
  c_->action = "s3:PutObject";
  CK_ASSIGN_OR_RETURN(auto doc, DecodeRequest(*c_, ""));
  api_s3::PutObjectRequest in{};
  if (Status st = FromDocument(doc, &in, DecodeOptions{.strict = false}); !st.ok()) return errors::Malformed();
  CK_ASSIGN_OR_RETURN(auto upload, PutObject(s_, in, *c_));
  upload_ = std::move(upload);
  return Status::Ok();
}

// The file's content goes to the writer; past the policy's largest size it is
// only counted, so EntityTooLarge can name the size proposed.
Status PostObjectSink::Data(std::string_view d) {
  size_ += d.size();
  if (max_size_ && size_ > *max_size_) return Status::Ok();
  return upload_->writer->Append(d);
}

Result<http::Response> PostObjectSink::Complete() {
  if (!failure_.ok()) return failure_;
  if (Status st = reader_.Finish(); !st.ok()) return Reworded(st);
  if (policy_) CK_RETURN_IF_ERROR(CheckPostSize(*policy_, size_));
  ObjectWriter& writer = *upload_->writer;
  committed_ = true;  // Commit or its failure ends the writer
  CK_ASSIGN_OR_RETURN(auto w, writer.Commit());
  auto out = upload_->commit(w);
  if (!out.ok()) {
    s_.store().Release({w.segment});
    return out.status();
  }
  return PostAnswer(*c_, post_, fields_, *out);
}

}  // namespace

std::optional<std::string> PostObjectBucket(const http::RequestHead& head) {
  if (head.method != "POST" || !head.query.empty() || !head.raw_query.empty()) return std::nullopt;
  if (std::string vhost = BucketFromHost(head.headers.GetOr("host")); !vhost.empty()) {
    if (head.path != "/") return std::nullopt;
    return vhost;
  }
  std::string_view path = head.path;
  if (path.size() < 2 || path[0] != '/') return std::nullopt;
  path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty() || path.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(path);
}

std::unique_ptr<http::BodySink> BeginPostObject(S3Service& s, std::shared_ptr<Call> c, std::string bucket) {
  c->ctx.operation = "PostObject";
  c->route.bucket = bucket;
  auto fail = [&](const Status& st) -> std::unique_ptr<http::BodySink> {
    return std::make_unique<http::FixedResponseSink>(ErrorResponse(*c, st));
  };
  std::string content_type = c->head->headers.GetOr("content-type");
  std::string type(Trim(std::string_view(content_type).substr(0, content_type.find(';'))));
  if (!EqualsIgnoreCase(type, "multipart/form-data"))
    return fail(errors::FailedCondition("Bucket POST must be of the enclosure-type multipart/form-data"));
  auto boundary = wire::FormDataBoundary(content_type);
  if (!boundary)
    return fail(errors::MalformedPOSTRequest("The body of your POST request is not well-formed multipart/form-data."));
  if (auto b = s.store().Bucket(bucket); !b.ok()) return fail(b.status());
  return std::make_unique<PostObjectSink>(s, std::move(c), std::move(bucket), std::move(*boundary));
}

}  // namespace ck::services::s3
