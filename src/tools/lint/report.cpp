#include "tools/lint/report.h"

#include <nlohmann/json.hpp>

namespace ck::tools::lint {

namespace {

using Json = nlohmann::ordered_json;

struct Where {
  std::string path;
  Position begin, end;
};

Where Locate(const Sources& sources, Span span) {
  const SourceFile& f = sources.file(span.file);
  return {f.path(), f.PositionOf(span.begin), f.PositionOf(std::max(span.end, span.begin))};
}

std::string Fix(const Finding& f) {
  if (!f.arn.empty() && !f.replacement.empty() && f.replacement.find(f.arn) == std::string::npos)
    return "use " + f.replacement + " (" + f.arn + ")";
  if (!f.replacement.empty()) return "use " + f.replacement;
  if (!f.arn.empty() && !f.suggestion.empty()) return "use " + f.arn + " (in the configuration: " + f.suggestion + ")";
  if (!f.arn.empty()) return "use " + f.arn;
  if (!f.suggestion.empty()) return "use " + f.suggestion + " in the configuration";
  return std::string(f.rule->fix);
}

// The source line of `span` with a caret line under the span; long lines are cut around it.
std::string Excerpt(const SourceFile& file, Span span) {
  Position p = file.PositionOf(span.begin);
  std::string_view line = file.Line(p.line);
  uint32_t start = file.LineStart(p.line);
  size_t off = std::min<size_t>(span.begin - start, line.size());
  size_t end = std::min<size_t>(std::max(span.end, span.begin + 1) - start, line.size());
  if (end <= off) end = std::min(line.size(), off + 1);
  size_t from = 0, to = line.size();
  constexpr size_t kWindow = 60;
  if (line.size() > 2 * kWindow + 40) {
    from = off > kWindow ? off - kWindow : 0;
    while (from > 0 && (static_cast<unsigned char>(line[from]) & 0xC0) == 0x80) --from;
    to = std::min(line.size(), std::max(end, off + 40) + kWindow / 2);
    end = std::min(end, to);
  }
  std::string gutter = std::to_string(p.line);
  std::string pad(gutter.size(), ' ');
  std::string out = " " + gutter + " | ";
  if (from > 0) out += "...";
  out += line.substr(from, to - from);
  if (to < line.size()) out += "...";
  out += "\n " + pad + " | ";
  if (from > 0) out += "   ";
  for (size_t i = from; i < off; ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    if (line[i] == '\t')
      out += '\t';
    else if ((c & 0xC0) != 0x80)
      out += ' ';
  }
  uint32_t width = std::max<uint32_t>(1, CodePoints(line.substr(off, end - off)));
  out += '^';
  out += std::string(width - 1, '~');
  out += "\n";
  return out;
}

Json Region(const Where& w) {
  return Json{{"startLine", w.begin.line},
              {"startColumn", w.begin.column},
              {"endLine", w.end.line},
              {"endColumn", std::max(w.end.column, w.begin.line == w.end.line ? w.begin.column + 1 : 1u)}};
}

}  // namespace

std::string PathToUri(const std::string& path) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out = path.starts_with("/") ? "file://" : "";
  for (unsigned char c : path) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string RenderText(const Report& report) {
  std::string out;
  size_t counts[3] = {0, 0, 0};
  for (const Finding& f : report.findings) {
    ++counts[static_cast<int>(f.rule->severity)];
    const SourceFile& file = report.sources->file(f.span.file);
    out += file.Where(f.span.begin) + ": " + SeverityName(f.rule->severity) + ": " + f.message + " [" +
           std::string(f.rule->id) + "]\n";
    out += Excerpt(file, f.span);
    for (const Related& r : f.related)
      out += "  " + report.sources->file(r.span.file).Where(r.span.begin) + ": note: " + r.message + "\n";
    out += "  = fix: " + Fix(f) + "\n";
  }
  auto plural = [](size_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); };
  out += plural(counts[0], "error") + ", " + plural(counts[1], "warning") + ", " + plural(counts[2], "note") + " in " +
         plural(report.files, "file") + "\n";
  return out;
}

std::string RenderJson(const Report& report) {
  Json findings = Json::array();
  size_t counts[3] = {0, 0, 0};
  for (const Finding& f : report.findings) {
    ++counts[static_cast<int>(f.rule->severity)];
    Where w = Locate(*report.sources, f.span);
    Json j{{"rule", f.rule->id},
           {"name", f.rule->name},
           {"severity", SeverityName(f.rule->severity)},
           {"message", f.message},
           {"file", w.path},
           {"line", w.begin.line},
           {"column", w.begin.column},
           {"end_line", w.end.line},
           {"end_column", w.end.column},
           {"resource", f.resource},
           {"resource_type", f.resource_type},
           {"attribute", f.attribute},
           {"value", f.value}};
    if (!f.arn.empty()) j["arn"] = f.arn;
    if (!f.replacement.empty()) j["replacement"] = f.replacement;
    if (!f.suggestion.empty()) j["suggestion"] = f.suggestion;
    j["fix"] = Fix(f);
    Json related = Json::array();
    for (const Related& r : f.related) {
      Where rw = Locate(*report.sources, r.span);
      related.push_back(
          Json{{"file", rw.path}, {"line", rw.begin.line}, {"column", rw.begin.column}, {"message", r.message}});
    }
    j["related"] = std::move(related);
    findings.push_back(std::move(j));
  }
  Json out{
      {"findings", std::move(findings)},
      {"errors", report.errors},
      {"summary", {{"errors", counts[0]}, {"warnings", counts[1]}, {"notes", counts[2]}, {"files", report.files}}}};
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string RenderSarif(const Report& report, const std::string& version) {
  Json rules = Json::array();
  for (const Rule& r : Rules()) {
    std::string help = std::string(r.behaviour) + "\n\nFix: " + std::string(r.fix);
    rules.push_back(Json{{"id", r.id},
                         {"name", r.name},
                         {"shortDescription", {{"text", r.title}}},
                         {"fullDescription", {{"text", r.behaviour}}},
                         {"help", {{"text", help}, {"markdown", help}}},
                         {"defaultConfiguration", {{"level", SeverityName(r.severity)}}},
                         {"properties", {{"tags", {"security", "kms", "encryption"}}}}});
  }
  Json results = Json::array();
  for (const Finding& f : report.findings) {
    Where w = Locate(*report.sources, f.span);
    size_t index = static_cast<size_t>(f.rule - Rules().data());
    Json location{{"physicalLocation", {{"artifactLocation", {{"uri", PathToUri(w.path)}}}, {"region", Region(w)}}}};
    Json result{{"ruleId", f.rule->id},
                {"ruleIndex", index},
                {"level", SeverityName(f.rule->severity)},
                {"message", {{"text", f.message + ". Fix: " + Fix(f)}}},
                {"locations", Json::array({location})}};
    if (!f.related.empty()) {
      Json related = Json::array();
      int id = 1;
      for (const Related& r : f.related) {
        Where rw = Locate(*report.sources, r.span);
        related.push_back(
            Json{{"id", id++},
                 {"physicalLocation", {{"artifactLocation", {{"uri", PathToUri(rw.path)}}}, {"region", Region(rw)}}},
                 {"message", {{"text", r.message}}}});
      }
      result["relatedLocations"] = std::move(related);
    }
    if (!f.replacement.empty()) {
      result["fixes"] = Json::array(
          {Json{{"description", {{"text", "Use " + f.replacement}}},
                {"artifactChanges",
                 Json::array(
                     {Json{{"artifactLocation", {{"uri", PathToUri(w.path)}}},
                           {"replacements", Json::array({Json{{"deletedRegion", Region(w)},
                                                              {"insertedContent", {{"text", f.replacement}}}}})}}})}}});
    }
    Json props{{"resource", f.resource}, {"attribute", f.attribute}, {"value", f.value}};
    if (!f.arn.empty()) props["arn"] = f.arn;
    if (!f.suggestion.empty()) props["suggestion"] = f.suggestion;
    result["properties"] = std::move(props);
    results.push_back(std::move(result));
  }
  Json notifications = Json::array();
  for (const std::string& e : report.errors)
    notifications.push_back(Json{{"level", "error"}, {"message", {{"text", e}}}});
  Json invocation{{"executionSuccessful", report.errors.empty()}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  Json run{
      {"tool", {{"driver", {{"name", "crosskey lint"}, {"semanticVersion", version}, {"rules", std::move(rules)}}}}},
      {"invocations", Json::array({std::move(invocation)})},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(results)}};
  Json log{{"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs", Json::array({std::move(run)})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string RenderRules() {
  std::string out;
  for (const Rule& r : Rules()) {
    out += std::string(r.id) + " " + std::string(r.name) + " (" + SeverityName(r.severity) + ")\n";
    out += "  " + std::string(r.title) + "\n";
    out += "  why: " + std::string(r.behaviour) + "\n";
    out += "  fix: " + std::string(r.fix) + "\n\n";
  }
  return out;
}

}  // namespace ck::tools::lint
