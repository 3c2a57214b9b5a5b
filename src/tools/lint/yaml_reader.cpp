#include "tools/lint/yaml_reader.h"

#include <algorithm>
#include <string>

#include <yaml-cpp/yaml.h>

namespace ck::tools::lint {

namespace {

constexpr int kMaxDepth = 200;

// The long-form name of a CloudFormation short-form tag, or "" when `tag` is not one.
std::string IntrinsicName(const std::string& tag) {
  if (tag.size() < 2 || tag[0] != '!' || tag[1] == '!') return {};
  std::string name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return name;
  return "Fn::" + name;
}

class Converter {
 public:
  Converter(std::string_view text, uint32_t file) : s_(text), file_(file) {}

  bool Convert(const YAML::Node& y, Node* out, int depth) {
    if (depth > kMaxDepth) {
      error_ = {static_cast<uint32_t>(std::max(0, y.Mark().pos)), "YAML nested too deeply"};
      return false;
    }
    size_t pos = static_cast<size_t>(std::max(0, y.Mark().pos));
    std::string intrinsic = IntrinsicName(y.Tag());
    size_t value_pos = pos;
    if (!intrinsic.empty()) value_pos = SkipTag(pos);
    Node value;
    switch (y.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        value.kind = Kind::kNull;
        value.span = {file_, static_cast<uint32_t>(value_pos), static_cast<uint32_t>(value_pos)};
        break;
      case YAML::NodeType::Scalar:
        Scalar(y.Scalar(), value_pos, &value);
        break;
      case YAML::NodeType::Sequence: {
        value.kind = Kind::kList;
        size_t end = value_pos + 1;
        for (const YAML::Node& item : y) {
          Node n;
          if (!Convert(item, &n, depth + 1)) return false;
          end = std::max<size_t>(end, n.span.end);
          value.items.push_back(std::move(n));
        }
        value.span = {file_, static_cast<uint32_t>(value_pos), static_cast<uint32_t>(FlowEnd(value_pos, end))};
        break;
      }
      case YAML::NodeType::Map: {
        value.kind = Kind::kMap;
        size_t end = value_pos + 1;
        for (const auto& kv : y) {
          Field f;
          f.key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
          Node key;
          size_t key_pos = static_cast<size_t>(std::max(0, kv.first.Mark().pos));
          Scalar(f.key, key_pos, &key);
          f.key_span = key.span;
          if (!Convert(kv.second, &f.value, depth + 1)) return false;
          end = std::max<size_t>(end, std::max(f.value.span.end, f.key_span.end));
          value.fields.push_back(std::move(f));
        }
        value.span = {file_, static_cast<uint32_t>(value_pos), static_cast<uint32_t>(FlowEnd(value_pos, end))};
        break;
      }
    }
    if (intrinsic.empty()) {
      *out = std::move(value);
      return true;
    }
    // Short form → long form, spanning the tag too.
    out->kind = Kind::kMap;
    out->span = {file_, static_cast<uint32_t>(pos), std::max(value.span.end, static_cast<uint32_t>(pos + 1))};
    Field f;
    f.key = intrinsic;
    f.key_span = {file_, static_cast<uint32_t>(pos), static_cast<uint32_t>(value_pos)};
    value.replaceable = false;
    f.value = std::move(value);
    out->fields.push_back(std::move(f));
    return true;
  }

  ParseError error() const { return error_; }

 private:
  // Past a tag ("!Ref") and the spaces or line breaks after it.
  size_t SkipTag(size_t pos) const {
    while (pos < s_.size() && s_[pos] != ' ' && s_[pos] != '\t' && s_[pos] != '\n' && s_[pos] != '\r') ++pos;
    while (pos < s_.size() && (s_[pos] == ' ' || s_[pos] == '\t' || s_[pos] == '\n' || s_[pos] == '\r')) ++pos;
    return pos;
  }

  // A flow collection ([...] or {...}) at `pos` ends at its matching bracket;
  // a block collection ends where its last child does.
  size_t FlowEnd(size_t pos, size_t block_end) const {
    if (pos >= s_.size() || (s_[pos] != '[' && s_[pos] != '{')) return block_end;
    int level = 0;
    for (size_t i = pos; i < s_.size(); ++i) {
      char c = s_[i];
      if (c == '"' || c == '\'') {
        i = QuotedEnd(i) - 1;
      } else if (c == '[' || c == '{') {
        ++level;
      } else if (c == ']' || c == '}') {
        if (--level == 0) return i + 1;
      }
    }
    return block_end;
  }

  // One past the closing quote of the quoted scalar at `pos`.
  size_t QuotedEnd(size_t pos) const {
    char q = s_[pos];
    for (size_t i = pos + 1; i < s_.size(); ++i) {
      if (q == '"' && s_[i] == '\\') {
        ++i;
      } else if (s_[i] == q) {
        if (q == '\'' && i + 1 < s_.size() && s_[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
    }
    return s_.size();
  }

  void Scalar(const std::string& v, size_t pos, Node* out) {
    out->kind = Kind::kString;
    out->text = v;
    size_t end = pos;
    char c = pos < s_.size() ? s_[pos] : '\0';
    if (c == '"' || c == '\'') {
      end = QuotedEnd(pos);
      out->quote = c;
      std::string_view raw = s_.substr(pos + 1, end - pos - 2);
      out->replaceable = raw.find('\n') == std::string_view::npos;
      out->raw = raw == v;
      out->raw_offset = static_cast<uint32_t>(pos + 1);
    } else if (c == '|' || c == '>') {
      end = s_.find('\n', pos);
      if (end == std::string_view::npos) end = s_.size();
    } else if (s_.substr(pos, v.size()) == v) {
      end = pos + v.size();
      out->replaceable = v.find('\n') == std::string::npos && !v.empty();
      out->raw = true;
      out->raw_offset = static_cast<uint32_t>(pos);
    } else {
      end = s_.find('\n', pos);
      if (end == std::string_view::npos) end = s_.size();
    }
    out->span = {file_, static_cast<uint32_t>(pos), static_cast<uint32_t>(std::max(end, pos))};
  }

  std::string_view s_;
  uint32_t file_;
  ParseError error_;
};

// The byte offset of (line, column), both 0-based as yaml-cpp counts them.
uint32_t OffsetOf(std::string_view text, int line, int column) {
  size_t pos = 0;
  for (int l = 0; l < line && pos < text.size(); ++l) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return static_cast<uint32_t>(text.size());
    pos = nl + 1;
  }
  return static_cast<uint32_t>(std::min(text.size(), pos + static_cast<size_t>(std::max(0, column))));
}

}  // namespace

bool ParseYaml(std::string_view text, uint32_t file, Node* out, ParseError* error) {
  *out = Node();
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    if (error) {
      error->offset = e.mark.is_null() ? 0 : OffsetOf(text, e.mark.line, e.mark.column);
      error->message = e.msg;
    }
    return false;
  }
  Converter c(text, file);
  if (c.Convert(root, out, 0)) return true;
  if (error) *error = c.error();
  return false;
}

}  // namespace ck::tools::lint
