// Byte codecs used across layers: hex, base64, URI encoding.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ck {

std::string HexEncode(std::string_view bytes);
std::optional<std::string> HexDecode(std::string_view hex);

std::string Base64Encode(std::string_view bytes);
// Strict: rejects characters outside the alphabet and bad padding.
std::optional<std::string> Base64Decode(std::string_view text);

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept,
// everything else %XX upper-case. When encode_slash is false, '/' is kept.
std::string UriEncode(std::string_view s, bool encode_slash = true);
// Decodes %XX; when plus_as_space, '+' becomes ' ' (form encoding).
std::optional<std::string> UriDecode(std::string_view s, bool plus_as_space = false);

std::string ToLower(std::string_view s);
void LowerInPlace(std::string& s);  // ASCII letters only
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string_view Trim(std::string_view s);

// Well-formed UTF-8 (RFC 3629): no overlong forms, surrogates or code points
// past U+10FFFF.
bool IsValidUtf8(std::string_view s);
// Number of code points in valid UTF-8 (bytes that start a sequence).
size_t Utf8Length(std::string_view s);

}  // namespace ck
