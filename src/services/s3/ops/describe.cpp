// Object descriptions and the request headers writes share.
#include <algorithm>
#include <cmath>

#include "base/codec.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

std::string Quoted(const std::string& etag) { return "\"" + etag + "\""; }

std::string Unquoted(std::string_view etag) {
  etag = Trim(etag);
  if (StartsWith(etag, "W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

api::s3::Owner OwnerOf(const std::string& account) {
  api::s3::Owner o;
  o.id = CanonicalId(account);
  return o;
}

api::s3::Grant FullControlGrant(const std::string& account) {
  api::s3::Grant g;
  g.grantee.emplace();
  g.grantee->id = CanonicalId(account);
  g.grantee->type = api::s3::Type::kCanonicalUser;
  g.permission = api::s3::Permission::kFullControl;
  return g;
}

double NowMillis(S3Service& s) { return std::floor(ToEpochSeconds(s.clock().Now()) * 1000.0) / 1000.0; }

std::optional<std::string> WithoutAwsChunked(const std::optional<std::string>& content_encoding) {
  // aws-chunked is transfer framing, not the object's encoding.
  if (!content_encoding) return std::nullopt;
  const std::string& value = *content_encoding;
  std::string kept;
  size_t pos = 0;
  while (pos <= value.size()) {
    size_t comma = value.find(',', pos);
    std::string part(Trim(value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
    if (!part.empty() && part != "aws-chunked") kept += (kept.empty() ? "" : ",") + part;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  if (kept.empty()) return std::nullopt;
  return kept;
}

Result<std::vector<ObjectTag>> ParseTaggingHeader(const std::optional<std::string>& header) {
  std::vector<ObjectTag> out;
  if (!header || header->empty()) return out;
  const std::string& text = *header;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t amp = text.find('&', pos);
    std::string pair = text.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      auto k = UriDecode(pair.substr(0, eq), true);
      auto v = UriDecode(eq == std::string::npos ? "" : pair.substr(eq + 1), true);
      if (!k || !v)
        return errors::BadArgument(
            "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag "
            "name duplicates.",
            "x-amz-tagging", text);
      out.push_back(ObjectTag{*k, *v});
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  if (out.size() > 10) return errors::BadRequest("Object tags cannot be greater than 10");
  return out;
}

Status CheckStorageClass(const std::optional<EnumValue<api::s3::StorageClass>>& sc) {
  // The storage classes crosskey accepts on a write.
  static constexpr std::string_view kClasses[] = {
      "STANDARD",     "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER",
      "DEEP_ARCHIVE", "OUTPOSTS",           "GLACIER_IR",  "SNOW",       "EXPRESS_ONEZONE"};
  if (sc && !sc->str().empty() && std::find(std::begin(kClasses), std::end(kClasses), sc->str()) == std::end(kClasses))
    return errors::InvalidStorageClass("The storage class you specified is not valid")
        .WithField("StorageClassRequested", std::string(sc->str()));
  return Status::Ok();
}

}  // namespace ck::services::s3
