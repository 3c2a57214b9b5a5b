#include "tools/audit/cli.h"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include "core/arn.h"
#include "tools/audit/audit.h"
#include "tools/audit/fix.h"
#include "tools/audit/report.h"

namespace ck::tools::audit {

namespace {

void AddShared(CLI::App* cmd, CommandLine& cl) {
  cmd->add_option("--bucket", cl.buckets, "Bucket to audit (repeatable; default: every bucket the caller owns)");
  cmd->add_option("--assume", cl.assume,
                  "Role ARN in another account to look from the writer's side (repeatable)");
  cmd->add_option("--profile", cl.profile, "Profile from ~/.aws/config and ~/.aws/credentials");
  cmd->add_option("--region", cl.region, "Region (default: the profile's, AWS_REGION, us-east-1)");
  cmd->add_option("--endpoint-url", cl.endpoint_url,
                  "Endpoint for every service, e.g. http://127.0.0.1:4566 (default: AWS_ENDPOINT_URL, else AWS)");
  cmd->add_option("--ca-bundle", cl.ca_bundle, "PEM file of CAs to trust for HTTPS (default: AWS_CA_BUNDLE, else the system's)");
  cmd->add_option("--concurrency", cl.concurrency, "Requests in flight")->capture_default_str()->check(CLI::Range(1, 256));
  cmd->add_option("--rate-limit", cl.rate_limit, "Requests per second (0: no limit)")->capture_default_str();
  cmd->add_option("--checkpoint", cl.checkpoint, "File to resume an interrupted object scan from");
  cmd->add_option("--format", cl.format, "text, json or sarif")->capture_default_str()->check(
      CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_flag("--no-progress", cl.no_progress, "No progress output on stderr");
}

std::string EnvOr(const std::string& value, const char* name) {
  if (!value.empty()) return value;
  const char* v = std::getenv(name);
  return v ? v : "";
}

Result<std::shared_ptr<client::Session>> OwnerSession(const CommandLine& cl) {
  client::ClientOptions o;
  o.region = cl.region;
  o.endpoint_url = EnvOr(cl.endpoint_url, "AWS_ENDPOINT_URL");
  o.ca_bundle = EnvOr(cl.ca_bundle, "AWS_CA_BUNDLE");
  o.rate_limit = cl.rate_limit;
  return client::Session::FromProfile(cl.profile, o);
}

Result<std::map<std::string, std::shared_ptr<client::Session>>> Views(client::Session& owner, const CommandLine& cl) {
  std::map<std::string, std::shared_ptr<client::Session>> views;
  for (const std::string& role : cl.assume) {
    auto arn = core::Arn::Parse(role);
    if (!arn.ok() || arn->service != "iam" || arn->ResourceType() != "role")
      return InvalidArgument("--assume needs a role ARN, got " + role);
    auto view = owner.AssumeRole(role, "crosskey-audit");
    if (!view.ok()) return Status(view.status().code(), "--assume " + role + ": " + view.status().message());
    views[arn->account] = *view;
  }
  return views;
}

Result<std::vector<BucketReport>> Audit(const CommandLine& cl, std::shared_ptr<client::Session> owner) {
  CK_ASSIGN_OR_RETURN(auto views, Views(*owner, cl));
  AuditOptions options;
  options.buckets = cl.buckets;
  options.scan.concurrency = cl.concurrency;
  options.scan.checkpoint_file = cl.checkpoint;
  options.scan.progress = !cl.no_progress;
  options.scan.progress_bar = isatty(STDERR_FILENO);
  Auditor auditor(std::move(owner), std::move(views), options);
  return auditor.Run();
}

Format FormatOf(const std::string& s) { return s == "json" ? Format::kJson : s == "sarif" ? Format::kSarif : Format::kText; }

}  // namespace

std::pair<CLI::App*, CLI::App*> AddCommands(CLI::App& app, CommandLine& cl) {
  auto* audit = app.add_subcommand(
      "audit", "List objects under another account's key (or SSE-S3/SSE-C where KMS is the default), and why");
  AddShared(audit, cl);
  auto* fix = app.add_subcommand("fix", "Re-encrypt what an audit finds under the bucket owner's key (dry run unless --apply)");
  AddShared(fix, cl);
  fix->add_flag("--apply", cl.apply, "Re-encrypt (without it, only print what would be done)");
  fix->add_option("--journal", cl.journal, "File recording each object done, so a rerun resumes");
  fix->add_option("--key", cl.key, "Key ARN to re-encrypt under (default: the bucket default's key for its owner)");
  fix->add_option("--copy-as", cl.copy_as,
                  "Role ARN to re-encrypt as (assumed from the auditing identity): a principal that can decrypt "
                  "the objects' current keys, typically in the writer's account");
  fix->add_option("--multipart-threshold", cl.multipart_threshold,
                  "Objects above this many bytes are copied in parts")->capture_default_str();
  return {audit, fix};
}

int RunAudit(const CommandLine& cl) {
  auto owner = OwnerSession(cl);
  if (!owner.ok()) return std::cerr << "crosskey audit: " << owner.status().message() << "\n", 2;
  auto reports = Audit(cl, *owner);
  if (!reports.ok()) return std::cerr << "crosskey audit: " << reports.status().message() << "\n", 2;
  std::cout << Render(*reports, FormatOf(cl.format));
  for (const auto& r : *reports)
    if (!r.error.empty()) return 2;
  return HasFindings(*reports) ? 1 : 0;
}

int RunFix(const CommandLine& cl) {
  if (!cl.key.empty() && ClassifyRef(cl.key) != RefKind::kKeyArn)
    return std::cerr << "crosskey fix: --key must be a key ARN\n", 2;
  auto owner = OwnerSession(cl);
  if (!owner.ok()) return std::cerr << "crosskey fix: " << owner.status().message() << "\n", 2;
  auto reports = Audit(cl, *owner);
  if (!reports.ok()) return std::cerr << "crosskey fix: " << reports.status().message() << "\n", 2;
  FixOptions options;
  options.apply = cl.apply;
  options.journal_file = cl.journal;
  options.key_override = cl.key;
  options.concurrency = std::min(cl.concurrency, 32);
  options.multipart_threshold = cl.multipart_threshold;
  std::shared_ptr<client::Session> copier = *owner;
  if (!cl.copy_as.empty()) {
    auto assumed = (*owner)->AssumeRole(cl.copy_as, "crosskey-fix");
    if (!assumed.ok()) return std::cerr << "crosskey fix: --copy-as " << cl.copy_as << ": " << assumed.status().message() << "\n", 2;
    copier = *assumed;
  }
  Fixer fixer(copier, options);
  auto results = fixer.Run(*reports);
  if (!results.ok()) return std::cerr << "crosskey fix: " << results.status().message() << "\n", 2;
  std::cout << (cl.format == "json" ? RenderFixJson(*results) : RenderFixText(*results, cl.apply));
  bool left = false;
  for (const FixResult& r : *results)
    left = left || (r.outcome != FixOutcome::kFixed && r.outcome != FixOutcome::kAlreadyDone &&
                    !(r.outcome == FixOutcome::kPlanned && !cl.apply));
  if (!cl.apply) return results->empty() ? 0 : 1;
  return left ? 1 : 0;
}

}  // namespace ck::tools::audit
