#include "tools/lint/lint.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "tools/lint/cli_json.h"
#include "tools/lint/cloudformation.h"
#include "tools/lint/hcl_reader.h"
#include "tools/lint/json_reader.h"
#include "tools/lint/terraform.h"
#include "tools/lint/yaml_reader.h"

namespace ck::tools::lint {

namespace fs = std::filesystem;

const char* FormatName(Format f) {
  switch (f) {
    case Format::kTerraformHcl:
      return "Terraform configuration";
    case Format::kTerraformPlan:
      return "Terraform plan JSON";
    case Format::kTerraformState:
      return "Terraform state JSON";
    case Format::kCloudFormationYaml:
      return "CloudFormation YAML";
    case Format::kCloudFormationJson:
      return "CloudFormation JSON";
    case Format::kBucketEncryptionJson:
      return "bucket encryption JSON";
  }
  return "input";
}

namespace {

std::string Extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext;
}

bool Lintable(const std::string& ext) {
  return ext == ".tf" || ext == ".json" || ext == ".yaml" || ext == ".yml" || ext == ".template";
}

}  // namespace

void LintRun::Error(uint32_t file, uint32_t offset, const std::string& message) {
  errors_.push_back(sources_.file(file).Where(offset) + ": " + message);
}

bool LintRun::Read(const Candidate& c, const std::map<std::string, std::string>* overrides, std::string* text) {
  if (overrides) {
    auto it = overrides->find(c.path);
    if (it != overrides->end()) {
      *text = it->second;
      return true;
    }
  }
  std::ifstream in(c.path, std::ios::binary);
  if (!in) {
    errors_.push_back(c.path + ": cannot read the file");
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  *text = ss.str();
  return true;
}

void LintRun::LoadFile(const Candidate& c, const ReadOptions& options,
                       const std::map<std::string, std::string>* overrides) {
  std::string text;
  if (!Read(c, overrides, &text)) return;
  const SourceFile& file = sources_.Add(c.path, std::move(text));
  const std::string& t = file.text();
  std::string ext = Extension(c.path);
  bool json = ext == ".json";
  if (ext == ".template") {
    size_t first = t.find_first_not_of(" \t\r\n");
    json = first != std::string::npos && t[first] == '{';
  }
  Node root;
  ParseError error;
  if (json) {
    if (!ParseJson(t, file.id(), 0, true, {}, &root, &error)) {
      Error(file.id(), error.offset, "error: not valid JSON: " + error.message);
      return;
    }
    Format format;
    if (LooksLikeTerraformJson(root, &format)) {
      ++files_;
      inputs_.push_back(ReadTerraformJson(c.path, file.id(), root, format, options));
      return;
    }
    if (LooksLikeCloudFormation(root)) {
      ++files_;
      NormalizeIntrinsics(&root, t);
      inputs_.push_back(ReadCloudFormation(c.path, file.id(), &root, /*yaml=*/false, options));
      return;
    }
    if (LooksLikeBucketEncryption(root)) {
      ++files_;
      inputs_.push_back(ReadBucketEncryption(c.path, file.id(), root, options));
      return;
    }
  } else {
    if (!ParseYaml(t, file.id(), &root, &error)) {
      Error(file.id(), error.offset, "error: not valid YAML: " + error.message);
      return;
    }
    if (LooksLikeCloudFormation(root)) {
      ++files_;
      NormalizeIntrinsics(&root, t);
      inputs_.push_back(ReadCloudFormation(c.path, file.id(), &root, /*yaml=*/true, options));
      return;
    }
  }
  if (c.explicit_path)
    errors_.push_back(c.path +
                      ": error: not a Terraform plan or state (terraform show -json), a CloudFormation template, or "
                      "a bucket encryption configuration (aws s3api get-bucket-encryption)");
}

std::vector<LintRun::Candidate> LintRun::Collect(const std::vector<std::string>& paths) {
  std::vector<Candidate> candidates;
  std::set<std::string> seen;
  auto add = [&](const std::string& p, bool explicit_path) {
    if (seen.insert(fs::path(p).lexically_normal().string()).second) candidates.push_back({p, explicit_path});
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      errors_.push_back(path + ": error: no such file or directory");
      continue;
    }
    if (!fs::is_directory(st)) {
      if (Lintable(Extension(path))) {
        add(path, true);
      } else {
        errors_.push_back(path + ": error: not a kind of file lint reads (.tf, .json, .yaml, .yml, .template)");
      }
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (it->is_directory()) {
        if (name.starts_with(".") || name == "node_modules") it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && Lintable(Extension(name)) && !name.starts_with("."))
        found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    for (const std::string& f : found) add(f, false);
  }
  return candidates;
}

void LintRun::LoadModule(const std::string& dir, const std::vector<Candidate>& candidates, const ReadOptions& options,
                         const std::map<std::string, std::string>* overrides) {
  std::vector<HclFile> files;
  bool ok = true;
  for (const Candidate& c : candidates) {
    std::string text;
    if (!Read(c, overrides, &text)) {
      ok = false;
      continue;
    }
    const SourceFile& file = sources_.Add(c.path, std::move(text));
    HclFile f;
    f.file = file.id();
    ParseError error;
    if (!ParseHcl(file.text(), file.id(), &f.body, &error)) {
      Error(file.id(), error.offset, "error: " + error.message);
      ok = false;
      continue;
    }
    files.push_back(std::move(f));
  }
  if (!ok && files.empty()) return;
  files_ += files.size();
  inputs_.push_back(ReadTerraformModule(dir.empty() ? "." : dir, files, options));
}

void LintRun::CheckInputs() {
  for (const Input& in : inputs_) {
    std::vector<Finding> found = Check(in);
    findings_.insert(findings_.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  std::stable_sort(findings_.begin(), findings_.end(), [&](const Finding& a, const Finding& b) {
    const std::string& pa = sources_.file(a.span.file).path();
    const std::string& pb = sources_.file(b.span.file).path();
    return std::tie(pa, a.span.begin, a.rule->id) < std::tie(pb, b.span.begin, b.rule->id);
  });
  std::set<std::tuple<std::string_view, uint32_t, uint32_t, uint32_t>> unique;
  std::vector<Finding> kept;
  for (Finding& f : findings_)
    if (unique.insert({f.rule->id, f.span.file, f.span.begin, f.span.end}).second) kept.push_back(std::move(f));
  findings_ = std::move(kept);
}

void LintRun::Load(const std::vector<std::string>& paths, const ReadOptions& options,
                   const std::map<std::string, std::string>* overrides) {
  // A module is the .tf files of one directory; everything else is read file by file.
  std::vector<std::string> module_order;
  std::map<std::string, std::vector<Candidate>> modules;
  for (const Candidate& c : Collect(paths)) {
    if (Extension(c.path) == ".tf") {
      std::string dir = fs::path(c.path).parent_path().string();
      if (!modules.count(dir)) module_order.push_back(dir);
      modules[dir].push_back(c);
    } else {
      LoadFile(c, options, overrides);
    }
  }
  for (const std::string& dir : module_order) LoadModule(dir, modules[dir], options, overrides);
  CheckInputs();
}

}  // namespace ck::tools::lint
