// ServiceModel: one AWS service's operations and shapes, read from the
// botocore service-2 model embedded at build time (see models_data.h). The
// codecs walk these shapes; nothing is hand-written per operation.
//
// Thread safety: FindService parses each model once, on first use, under a
// std::call_once; the returned model is immutable and lives for the process.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "http/message.h"
#include "wire/pattern.h"

namespace ck::wire {

enum class ShapeType {
  kStructure, kList, kMap, kString, kInteger, kLong, kFloat, kDouble, kBoolean, kTimestamp, kBlob, kDocument,
};
enum class Location { kBody, kUri, kQuerystring, kHeader, kHeaders, kStatusCode };
enum class Protocol { kRestXml, kJson, kQuery, kRestJson, kEc2 };

struct Shape;

// A reference to a shape from a structure member, a list member, a map
// key/value, or an operation's input/output, with its serialization traits.
struct MemberRef {
  std::string name;            // structure member name; empty otherwise
  const Shape* shape = nullptr;
  Location location = Location::kBody;
  std::string location_name;   // as in the model; may be empty
  std::string xml_namespace;   // xmlNamespace.uri
  std::string xml_prefix;      // xmlNamespace.prefix
  std::string query_name;
  std::string result_wrapper;  // operation output refs (query protocol)
  bool xml_attribute = false;
  bool flattened = false;
  bool jsonvalue = false;
  bool host_label = false;
  bool streaming = false;
  bool event_payload = false;
  bool idempotency_token = false;

  // The name on the wire: locationName, else the member name.
  const std::string& WireName() const { return location_name.empty() ? name : location_name; }
};

struct Shape {
  std::string name;
  ShapeType type = ShapeType::kString;
  std::vector<MemberRef> members;  // structures, in model order
  std::vector<std::string> required;
  std::optional<double> min, max;
  std::string pattern;
  std::optional<Pattern> compiled_pattern;  // absent when pattern is empty or unsupported
  std::vector<std::string> enum_values;
  std::string timestamp_format;  // "iso8601", "rfc822", "unixTimestamp" or empty
  std::string payload;           // structure member carried as the HTTP body
  std::string xml_namespace, xml_prefix;
  std::string location_name;     // XML root element name
  MemberRef member, key, value;  // lists / maps
  bool flattened = false;
  bool exception = false;
  bool fault = false;
  bool sensitive = false;
  bool eventstream = false;
  bool is_union = false;
  // error traits (exception shapes)
  std::string error_code;
  int error_http_status = 0;
  bool sender_fault = false;

  const MemberRef* FindMember(std::string_view member_name) const;
  bool IsRequired(std::string_view member_name) const;
  const MemberRef* PayloadMember() const { return payload.empty() ? nullptr : FindMember(payload); }
};

struct UriSegment {
  std::string literal;  // when label is empty
  std::string label;    // "{Bucket}" → "Bucket"
  bool greedy = false;  // "{Key+}"
};

struct Operation {
  std::string name;
  std::string http_method;
  std::string request_uri;
  int response_code = 200;
  MemberRef input;   // shape null when the operation takes no input
  MemberRef output;  // shape null when it returns none
  std::vector<const Shape*> errors;
  bool deprecated = false;
  bool request_checksum_required = false;
  std::string request_algorithm_member;
  // requestUri parsed (rest protocols): path template and literal query
  // parts ("?uploads" → {"uploads",""}, "?list-type=2" → {"list-type","2"}).
  std::vector<UriSegment> path;
  std::vector<std::pair<std::string, std::string>> uri_query;
};

struct RestMatch {
  const Operation* operation = nullptr;
  std::map<std::string, std::string> labels;  // decoded: {"Bucket": "b", "Key": "a/b.txt"}
};

class ServiceModel {
 public:
  const std::string& service() const { return service_; }  // "s3"
  Protocol protocol() const { return protocol_; }
  const std::string& protocol_name() const { return protocol_name_; }  // "rest-xml", "json", "query"
  const std::string& json_version() const { return json_version_; }  // "1.0" / "1.1"
  const std::string& target_prefix() const { return target_prefix_; }
  const std::string& signing_name() const { return signing_name_; }  // endpointPrefix when absent
  const std::string& endpoint_prefix() const { return endpoint_prefix_; }
  const std::string& xml_namespace() const { return xml_namespace_; }
  const std::string& api_version() const { return api_version_; }

  const Operation* FindOperation(std::string_view name) const;
  const Shape* FindShape(std::string_view name) const;
  const std::unordered_map<std::string, Operation>& operations() const { return operations_; }

  // rest protocols: the operation whose requestUri matches. `raw_path` is the
  // percent-encoded path in path style ("/bucket/key%20x"); labels come back
  // decoded. Query parts in the template other than x-id must be present;
  // required querystring and header members of the input count as well, and
  // the candidate with the most of them wins (so ?uploadId selects ListParts
  // over GetObject, x-amz-copy-source selects CopyObject over PutObject).
  std::optional<RestMatch> MatchRestOperation(std::string_view method, std::string_view raw_path,
                                              const std::vector<http::QueryParam>& query,
                                              const http::Headers& headers) const;

  // Parses a compact model (the generator's output). Exposed for tests.
  static std::unique_ptr<ServiceModel> Parse(std::string_view service, std::string_view json, std::string* error);

 private:
  struct RestCandidate {
    const Operation* op;
    std::vector<std::string> required_query;   // from requestUri and required querystring members
    std::vector<std::pair<std::string, std::string>> query_values;  // "list-type" must equal "2"
    std::vector<std::string> required_headers;  // lower-case
  };
  void BuildRestIndex();

  std::string service_;
  Protocol protocol_ = Protocol::kJson;
  std::string protocol_name_, json_version_, target_prefix_, signing_name_, endpoint_prefix_, xml_namespace_,
      api_version_;
  std::unordered_map<std::string, Shape> shapes_;
  std::unordered_map<std::string, Operation> operations_;
  std::vector<RestCandidate> rest_index_;
};

// The embedded model of `name` ("s3", "kms", "sts", "iam", "dynamodb",
// "secretsmanager", "cloudtrail"), parsed on first use; null when unknown.
const ServiceModel* FindService(std::string_view name);

// Names of the embedded models, in generator order.
std::vector<std::string> EmbeddedServiceNames();

}  // namespace ck::wire
