// Object descriptions and the request headers writes share.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

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

namespace {
bool IsTagText(std::string_view s);  // below, with the tag rules
}  // namespace

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
      if (!k || !v || !IsValidUtf8(*k) || !IsValidUtf8(*v))
        return errors::BadArgument(
            "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag "
            "name duplicates.",
            "x-amz-tagging", text);
      out.push_back(ObjectTag{*k, *v});
    }
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  // Duplicates and characters a tag cannot hold are the header's fault (both
  // recorded on AWS: InvalidArgument naming x-amz-tagging). Lengths, an empty
  // key and the aws: prefix are the tag's fault (InvalidTag, as in a TagSet).
  std::set<std::string> seen;
  for (const auto& t : out)
    if (!seen.insert(t.key).second || !IsTagText(t.key) || !IsTagText(t.value))
      return errors::BadArgument(
          "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag "
          "name duplicates.",
          "x-amz-tagging", text);
  CK_RETURN_IF_ERROR(CheckObjectTags(out));
  return out;
}

Status CheckUserMetadata(const std::optional<std::map<std::string, std::string>>& metadata) {
  constexpr size_t kMaxUserMetadata = 2048;
  if (!metadata) return Status::Ok();
  size_t size = 0;
  for (const auto& [name, value] : *metadata) size += name.size() + value.size();
  if (size > kMaxUserMetadata)
    return errors::MetadataTooLarge("Your metadata headers exceed the maximum allowed metadata size.");
  return Status::Ok();
}

namespace {

bool IsUtf8Charset(std::string_view cs) { return ToLower(cs) == "utf-8" || ToLower(cs) == "utf8"; }

// Bytes as UTF-8 text, each invalid sequence replaced by U+FFFD.
std::string AsUtf8(std::string_view b) {
  std::string out;
  size_t i = 0;
  while (i < b.size()) {
    auto c = static_cast<unsigned char>(b[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n > 0 && i + n <= b.size() && IsValidUtf8(b.substr(i, n))) {
      out.append(b.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

// Base64 read the way S3 reads a "B" word that is not valid base64: four
// characters at a time, "=" in the last two places as padding, any other
// character outside the alphabet taken as -1 (all bits set), so it turns
// the bytes it touches into invalid UTF-8; an incomplete last group is
// dropped. Recorded: "=GGG" decodes to the bytes FC 61 86 (shown as
// U+FFFD "a" U+FFFD); the rule beyond that case is INFERRED.
std::string LenientBase64Decode(std::string_view text) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto sextet = [](char ch) -> int32_t {
    size_t i = kAlphabet.find(ch);
    return i == std::string_view::npos ? -1 : static_cast<int32_t>(i);
  };
  std::string out;
  for (size_t i = 0; i + 4 <= text.size(); i += 4) {
    int32_t v = sextet(text[i]);
    v = static_cast<int32_t>(static_cast<uint32_t>(v) << 6) | sextet(text[i + 1]);
    int bytes = 3;
    for (size_t k = 2; k < 4; ++k) {
      v = static_cast<int32_t>(static_cast<uint32_t>(v) << 6);
      if (text[i + k] == '=')
        --bytes;
      else
        v |= sextet(text[i + k]);
    }
    for (int n = 0; n < bytes; ++n) out.push_back(static_cast<char>((static_cast<uint32_t>(v) >> (16 - 8 * n)) & 0xFF));
  }
  return out;
}

// One RFC 2047 encoded word's text ("B" base64 or "Q" quoted-printable), or nullopt.
std::optional<std::string> DecodeWordText(char encoding, std::string_view text) {
  if (encoding == 'B' || encoding == 'b') {
    if (auto strict = Base64Decode(text)) return strict;
    return LenientBase64Decode(text);
  }
  if (encoding != 'Q' && encoding != 'q') return std::nullopt;
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '_') {
      out += ' ';
    } else if (text[i] == '=') {
      if (i + 2 >= text.size()) return std::nullopt;
      auto byte = HexDecode(text.substr(i + 1, 2));
      if (!byte || byte->size() != 1) return std::nullopt;
      out += *byte;
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Letters, digits and spaces (any non-ASCII character is taken for one) and _.:/=+-@.
bool IsTagText(std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 || std::isalnum(c) || c == ' ') continue;
    if (std::string_view("_.:/=+-@").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

std::string DecodeMetadataValue(const std::string& value) {
  std::string out;
  size_t pos = 0;
  bool after_word = false;  // whitespace between two encoded words is not text
  std::string pending_space;
  while (pos < value.size()) {
    size_t start = value.find("=?", pos);
    if (start == std::string::npos) break;
    size_t q1 = value.find('?', start + 2);
    size_t q2 = q1 == std::string::npos ? q1 : value.find('?', q1 + 1);
    size_t end = q2 == std::string::npos ? q2 : value.find("?=", q2 + 1);
    std::optional<std::string> decoded;
    if (end != std::string::npos && q2 == q1 + 2 && IsUtf8Charset(value.substr(start + 2, q1 - start - 2)))
      decoded = DecodeWordText(value[q1 + 1], std::string_view(value).substr(q2 + 1, end - q2 - 1));
    if (!decoded) {
      out.append(value, pos, start + 2 - pos);
      pos = start + 2;
      after_word = false;
      continue;
    }
    std::string_view between = std::string_view(value).substr(pos, start - pos);
    if (!(after_word && Trim(between).empty())) out.append(between);
    out += AsUtf8(*decoded);
    pos = end + 2;
    after_word = true;
  }
  out.append(value, std::min(pos, value.size()), std::string::npos);
  return out;
}

std::string EncodeMetadataValue(const std::string& value) {
  bool encode = false, printable = true;
  for (size_t i = 0; i < value.size(); ++i) {
    auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x80 || (c < 0x20 && c != '\t') || c == 0x7f) encode = true;
    if ((c < 0x20 && c != '\t') || c == 0x7f) printable = false;
    // U+FFFD and the C1 controls (U+0080..U+009F) cannot be shown either.
    if (value.compare(i, 3, "\xEF\xBF\xBD") == 0 ||
        (c == 0xC2 && i + 1 < value.size() && static_cast<unsigned char>(value[i + 1]) < 0xA0))
      printable = false;
  }
  if (!encode) return value;
  if (!printable) return "=?UTF-8?B?" + Base64Encode(value) + "?=";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "=?UTF-8?Q?";
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    if (c == ' ') {
      out += '_';
    } else if (std::isalnum(c) || std::string_view("!*+-./%").find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      out += '=';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out + "?=";
}

std::map<std::string, std::string> DecodeUserMetadata(const std::optional<std::map<std::string, std::string>>& in) {
  std::map<std::string, std::string> out;
  if (in)
    for (const auto& [name, value] : *in) out[name] = DecodeMetadataValue(value);
  return out;
}

Status CheckObjectTags(const std::vector<ObjectTag>& tags) {
  std::set<std::string> seen;
  for (const auto& [k, v] : tags) {
    if (!seen.insert(k).second)
      return errors::InvalidTag("Cannot provide multiple Tags with the same key").WithField("TagKey", k);
    size_t klen = Utf8Length(k);
    if (klen == 0 || klen > 128 || !IsTagText(k))
      return errors::InvalidTag("The TagKey you have provided is invalid").WithField("TagKey", k);
    if (StartsWith(k, "aws:"))
      return errors::InvalidTag("Your TagKey cannot be prefixed with aws:").WithField("TagKey", k);
    if (Utf8Length(v) > 256 || !IsTagText(v))
      return errors::InvalidTag("The TagValue you have provided is invalid")
          .WithField("TagKey", k)
          .WithField("TagValue", v);
  }
  if (tags.size() > 10) return errors::BadRequest("Object tags cannot be greater than 10");
  return Status::Ok();
}

Status CheckBucketTags(const std::vector<ObjectTag>& tags, bool creating) {
  std::set<std::string> seen;
  for (const auto& [k, v] : tags) {
    if (k.empty()) return errors::Malformed();  // a Tag without its Key
    if (!seen.insert(k).second)
      return errors::InvalidTag("Cannot provide multiple Tags with the same key").WithField("TagKey", k);
    if (StartsWith(k, "aws:")) {
      if (creating)
        return errors::InvalidTag(
            "User-defined tag keys can't start with \"aws:\". This prefix is reserved for system tags. Remove "
            "\"aws:\" from your tag keys and try again.");
      return errors::InvalidTag("System tags cannot be added/updated by requester").WithField("TagKey", k);
    }
    if (Utf8Length(k) > 128 || !IsTagText(k))
      return errors::InvalidTag("The TagKey you have provided is invalid").WithField("TagKey", k);
    if (Utf8Length(v) > 256 || !IsTagText(v))
      return errors::InvalidTag("The TagValue you have provided is invalid")
          .WithField("TagKey", k)
          .WithField("TagValue", v);
  }
  if (tags.size() > 50) return errors::BadRequest("Bucket tag count cannot be greater than 50");
  return Status::Ok();
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
