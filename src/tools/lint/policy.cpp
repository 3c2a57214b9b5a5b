#include "tools/lint/policy.h"

#include <algorithm>
#include <cctype>

#include "core/iam/wildcard.h"
#include "tools/lint/json_reader.h"
#include "tools/lint/reference.h"

namespace ck::tools::lint {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Strings of a parsed JSON template that hold interpolations become template
// expressions again, carrying what their holes reference.
void RestoreHoles(Node* n, const Node& tmpl) {
  if (n->is_string() && n->text.find(kHoleBegin) != std::string::npos) {
    Node e = MakeExpr(n->text, "template", n->span);
    e.literal = n->text;
    size_t pos = 0;
    while ((pos = e.literal.find(kHoleBegin, pos)) != std::string::npos) {
      pos += kHoleBegin.size();
      size_t end = e.literal.find(kHoleEnd, pos);
      if (end == std::string::npos) break;
      size_t index = std::stoul(e.literal.substr(pos, end - pos));
      if (index < tmpl.items.size()) {
        const Node& hole = tmpl.items[index];
        e.items.push_back(hole);
        for (const std::string& r : hole.refs)
          if (std::find(e.refs.begin(), e.refs.end(), r) == e.refs.end()) e.refs.push_back(r);
      }
      pos = end;
    }
    *n = std::move(e);
    return;
  }
  for (Node& item : n->items) RestoreHoles(&item, tmpl);
  for (Field& f : n->fields) RestoreHoles(&f.value, tmpl);
}

void AddPrincipals(const Node& value, PolicyStatement* s) {
  for (const Node* item : value.Each()) {
    PolicyPrincipal p = PrincipalOf(*item);
    s->principals.push_back(std::move(p));
  }
}

}  // namespace

PolicyPrincipal PrincipalOf(const Node& value) {
  if (value.is_string()) {
    PolicyPrincipal p = PrincipalFromText(value.text);
    p.span = value.span;
    return p;
  }
  PolicyPrincipal p;
  p.text = value.text;
  p.span = value.span;
  if (!value.is_expr()) return p;
  for (const std::string& r : value.refs) {
    if (r.starts_with("data.aws_caller_identity.") || r == "AWS::AccountId" || r.starts_with("aws_iam_role.") ||
        r.starts_with("aws_iam_user.")) {
      p.kind = PolicyPrincipal::Kind::kOwn;
      return p;
    }
  }
  if (value.fn == "Fn::GetAtt") {  // a role or user of the same stack
    p.kind = PolicyPrincipal::Kind::kOwn;
    return p;
  }
  // "arn:aws:iam::222222222222:role/${var.name}": the account is literal.
  std::string_view lit = value.literal;
  for (std::string_view svc : {"iam::", "sts::"}) {
    size_t at = lit.find(svc);
    if (at != std::string_view::npos && lit.size() >= at + svc.size() + 12 &&
        IsAccountId(lit.substr(at + svc.size(), 12))) {
      p.kind = PolicyPrincipal::Kind::kAccount;
      p.account = std::string(lit.substr(at + svc.size(), 12));
      return p;
    }
  }
  return p;
}

namespace {

// A statement's Action (or NotAction) list, lower-cased; `name`/`not_name`
// are the document's spelling (JSON policies or Terraform policy blocks).
void ReadActions(const Node& st, const char* name, const char* not_name, PolicyStatement* s) {
  const Node* actions = st.Get(name);
  if (!actions) {
    actions = st.Get(not_name);
    s->not_action = actions != nullptr;
  }
  if (!actions) return;
  for (const Node* a : actions->Each())
    if (a->is_string()) s->actions.push_back(Lower(a->text));
}

}  // namespace

Policy ReadPolicyTree(const Node& document) {
  Policy out;
  out.span = document.span;
  if (!document.is_map()) return out;
  out.known = true;
  const Node* statements = document.Get("Statement");
  if (!statements) return out;
  for (const Node* st : statements->Each()) {
    if (!st->is_map()) continue;
    PolicyStatement s;
    s.span = st->span;
    s.allow = st->Str("Effect") != "Deny";
    const Node* principal = st->Get("Principal");
    if (!principal) {
      principal = st->Get("NotPrincipal");
      s.not_principal = principal != nullptr;
    }
    if (principal) {
      if (principal->is_map()) {
        for (const Field& f : principal->fields)
          if (f.key == "AWS") AddPrincipals(f.value, &s);
      } else {
        AddPrincipals(*principal, &s);
      }
    }
    ReadActions(*st, "Action", "NotAction", &s);
    out.statements.push_back(std::move(s));
  }
  return out;
}

Policy ReadPolicyValue(const Node& value) {
  if (value.is_map()) return ReadPolicyTree(value);
  if (value.is_string() || (value.is_expr() && value.fn == "template" && !value.literal.empty())) {
    const std::string& text = value.is_string() ? value.text : value.literal;
    bool exact = value.is_string() && value.raw;
    Node tree;
    ParseError error;
    if (!ParseJson(text, value.span.file, exact ? value.raw_offset : 0, exact, value.span, &tree, &error)) {
      Policy unknown;
      unknown.span = value.span;
      return unknown;
    }
    if (value.is_expr()) RestoreHoles(&tree, value);
    Policy p = ReadPolicyTree(tree);
    p.span = value.span;
    return p;
  }
  if (value.is_expr() && value.fn == "jsonencode" && value.items.size() == 1) {
    Policy p = ReadPolicyTree(value.items[0]);
    p.span = value.span;
    return p;
  }
  Policy unknown;
  unknown.span = value.span;
  return unknown;
}

Policy ReadPolicyDocumentBlocks(const Node& body) {
  Policy out;
  out.known = true;
  out.span = body.span;
  const Node* statements = body.Get("statement");
  if (!statements) return out;
  for (const Node* st : statements->Each()) {
    if (!st->is_map()) continue;
    PolicyStatement s;
    s.span = st->span;
    s.allow = st->Str("effect") != "Deny";
    const Node* principals = st->Get("principals");
    if (!principals) {
      principals = st->Get("not_principals");
      s.not_principal = principals != nullptr;
    }
    if (principals) {
      for (const Node* block : principals->Each()) {
        std::string_view type = block->Str("type");
        const Node* ids = block->Get("identifiers");
        if (!ids || (type != "AWS" && type != "*")) continue;
        AddPrincipals(*ids, &s);
      }
    }
    ReadActions(*st, "actions", "not_actions", &s);
    out.statements.push_back(std::move(s));
  }
  return out;
}

bool Allows(const PolicyStatement& statement, std::string_view action) {
  if (!statement.allow) return false;
  std::string lowered = Lower(action);
  bool matched = std::any_of(statement.actions.begin(), statement.actions.end(), [&](const std::string& pattern) {
    return core::iam::GlobMatch(pattern, lowered, /*ignore_case=*/true);
  });
  return statement.not_action ? !matched && !statement.actions.empty() : matched;
}

bool Covers(const PolicyPrincipal& principal, const std::string& account) {
  if (principal.kind == PolicyPrincipal::Kind::kAnyone) return true;
  return principal.kind == PolicyPrincipal::Kind::kAccount && principal.account == account;
}

}  // namespace ck::tools::lint
