#include "tools/explain/explain_command.h"

#include <cstdlib>
#include <iostream>

#include "base/codec.h"
#include "client/transport.h"

namespace ck::tools::explain {

CLI::App* AddCommand(CLI::App& app, CommandLine& cl) {
  auto* cmd = app.add_subcommand("explain", "Why a request went the way it did: its decision record, from a running server");
  cmd->add_option("request-id", cl.request_id, "The request id (x-amz-request-id / x-amzn-RequestId of the answer)")
      ->required();
  cmd->add_option("--endpoint-url", cl.endpoint_url,
                  "The crosskey server (default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566)");
  cmd->add_option("--ca-bundle", cl.ca_bundle, "PEM file of CAs to trust for HTTPS");
  cmd->add_option("--format", cl.format, "text or json")->capture_default_str()->check(CLI::IsMember({"text", "json"}));
  return cmd;
}

int Run(const CommandLine& cl) {
  std::string url = cl.endpoint_url;
  if (url.empty() && std::getenv("AWS_ENDPOINT_URL")) url = std::getenv("AWS_ENDPOINT_URL");
  if (url.empty()) url = "http://127.0.0.1:4566";
  auto endpoint = client::Endpoint::Parse(url);
  if (!endpoint.ok()) return std::cerr << "crosskey explain: " << endpoint.status().message() << "\n", 2;
  client::Transport transport({.ca_bundle = cl.ca_bundle, .timeout = std::chrono::seconds(30)});
  http::RequestHead head;
  head.method = "GET";
  std::string target = "/_crosskey/explain/" + UriEncode(cl.request_id) + (cl.format == "json" ? "?format=json" : "");
  if (!http::ParseTarget(target, &head)) return std::cerr << "crosskey explain: bad request id\n", 2;
  auto r = transport.Send(*endpoint, head, "");
  if (!r.ok()) return std::cerr << "crosskey explain: " << url << ": " << r.status().message() << "\n", 2;
  if (r->status == 404) return std::cerr << "crosskey explain: " << r->body << "\n", 1;
  if (r->status != 200) return std::cerr << "crosskey explain: " << url << " answered " << r->status << ": " << r->body << "\n", 2;
  std::cout << r->body;
  if (!r->body.empty() && r->body.back() != '\n') std::cout << "\n";
  return 0;
}

}  // namespace ck::tools::explain
