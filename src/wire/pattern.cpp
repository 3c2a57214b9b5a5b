#include "wire/pattern.h"

#include <functional>
#include <utility>
#include <vector>

namespace ck::wire {

namespace {

using Cp = char32_t;

// Decodes UTF-8; an invalid byte becomes U+FFFD so matching still proceeds.
std::u32string DecodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (n < 0 || i + n >= s.size() + (n == 0 ? 1 : 0)) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    Cp cp = n == 0 ? c : (c & (0x3F >> n));
    bool ok = true;
    for (int k = 1; k <= n; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += n + 1;
  }
  return out;
}

bool IsWord(Cp c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
bool IsDigit(Cp c) { return c >= '0' && c <= '9'; }
bool IsSpace(Cp c) { return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r'; }
bool IsUnicodeSpace(Cp c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
         c == 0x202F || c == 0x205F || c == 0x3000;
}
bool IsUnicodeNumber(Cp c) {
  return IsDigit(c) || c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0xBC && c <= 0xBE) || (c >= 0x660 && c <= 0x669) ||
         (c >= 0x6F0 && c <= 0x6F9) || (c >= 0x966 && c <= 0x96F) || (c >= 0xFF10 && c <= 0xFF19);
}
// An approximation of \p{L}: ASCII letters, and non-ASCII code points that are
// not in the Latin-1 symbol range, general punctuation, CJK punctuation or
// the private/surrogate areas.
bool IsUnicodeLetter(Cp c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c < 0xC0) return c == 0xAA || c == 0xB5 || c == 0xBA;
  if (c == 0xD7 || c == 0xF7) return false;
  if (IsUnicodeSpace(c) || IsUnicodeNumber(c)) return false;
  if (c >= 0x2000 && c <= 0x2BFF) return false;
  if (c >= 0x3000 && c <= 0x303F) return false;
  if (c >= 0xD800 && c <= 0xF8FF) return false;
  if (c >= 0xFE30 && c <= 0xFE4F) return false;
  if (c >= 0xFF00 && c <= 0xFF20) return false;
  return true;
}

enum class Builtin { kWord, kDigit, kSpace, kLetter, kNumber, kSeparator, kPrint };

bool InBuiltin(Builtin b, Cp c) {
  switch (b) {
    case Builtin::kWord: return IsWord(c);
    case Builtin::kDigit: return IsDigit(c);
    case Builtin::kSpace: return IsSpace(c);
    case Builtin::kLetter: return IsUnicodeLetter(c);
    case Builtin::kNumber: return IsUnicodeNumber(c);
    case Builtin::kSeparator: return IsUnicodeSpace(c);
    case Builtin::kPrint: return c >= 0x20 && c <= 0x7E;
  }
  return false;
}

struct CharSet {
  bool negated = false;
  std::vector<std::pair<Cp, Cp>> ranges;
  std::vector<std::pair<Builtin, bool>> builtins;  // (class, negated)
  bool Contains(Cp c) const {
    bool in = false;
    for (auto& [lo, hi] : ranges)
      if (c >= lo && c <= hi) {
        in = true;
        break;
      }
    if (!in)
      for (auto& [b, neg] : builtins)
        if (InBuiltin(b, c) != neg) {
          in = true;
          break;
        }
    return in != negated;
  }
};

}  // namespace

struct Pattern::Node {
  enum Kind { kSet, kAny, kBol, kEol, kGroup, kLookahead, kNegLookahead } kind = kSet;
  CharSet set;
  bool dotall = false;
  int min = 1, max = 1;  // max < 0: unbounded
  std::vector<std::vector<Node>> alternatives;  // kGroup / lookaheads
};

namespace {

using Node = Pattern::Node;
using Seq = std::vector<Node>;

class Parser {
 public:
  explicit Parser(std::u32string p) : p_(std::move(p)) {}

  bool Parse(std::vector<Seq>* alts) {
    if (!ParseAlternation(alts)) return false;
    return i_ == p_.size();
  }

 private:
  bool More() const { return i_ < p_.size(); }
  Cp Peek() const { return p_[i_]; }

  bool ParseAlternation(std::vector<Seq>* alts) {
    alts->emplace_back();
    while (More()) {
      Cp c = Peek();
      if (c == ')') return true;
      if (c == '|') {
        ++i_;
        alts->emplace_back();
        continue;
      }
      if (!ParseItem(&alts->back())) return false;
    }
    return true;
  }

  bool ParseHex(int digits, Cp* out) {
    Cp v = 0;
    for (int k = 0; k < digits; ++k) {
      if (!More()) return false;
      Cp c = p_[i_++];
      int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + d;
    }
    *out = v;
    return true;
  }

  // After a backslash. Fills either a single code point or a builtin class.
  bool ParseEscape(Cp* cp, std::optional<std::pair<Builtin, bool>>* builtin) {
    if (!More()) return false;
    Cp c = p_[i_++];
    switch (c) {
      case 'w': *builtin = {{Builtin::kWord, false}}; return true;
      case 'W': *builtin = {{Builtin::kWord, true}}; return true;
      case 'd': *builtin = {{Builtin::kDigit, false}}; return true;
      case 'D': *builtin = {{Builtin::kDigit, true}}; return true;
      case 's': *builtin = {{Builtin::kSpace, false}}; return true;
      case 'S': *builtin = {{Builtin::kSpace, true}}; return true;
      case 'p':
      case 'P': {
        if (!More() || p_[i_] != '{') return false;
        size_t end = p_.find(U'}', i_);
        if (end == std::u32string::npos) return false;
        std::u32string name = p_.substr(i_ + 1, end - i_ - 1);
        i_ = end + 1;
        Builtin b;
        if (name == U"L" || name == U"IsAlphabetic" || name == U"Alpha") b = Builtin::kLetter;
        else if (name == U"N" || name == U"Nd") b = Builtin::kNumber;
        else if (name == U"Z" || name == U"Zs") b = Builtin::kSeparator;
        else if (name == U"Print" || name == U"Graph") b = Builtin::kPrint;
        else return false;
        *builtin = {{b, c == 'P'}};
        return true;
      }
      case 't': *cp = '\t'; return true;
      case 'n': *cp = '\n'; return true;
      case 'r': *cp = '\r'; return true;
      case 'f': *cp = '\f'; return true;
      case 'u': {
        if (!ParseHex(4, cp)) return false;
        // Java reads \uD83D\uDE00 as one supplementary code point.
        if (*cp >= 0xD800 && *cp <= 0xDBFF && i_ + 6 <= p_.size() && p_.compare(i_, 2, U"\\u") == 0) {
          size_t save = i_;
          i_ += 2;
          Cp low;
          if (ParseHex(4, &low) && low >= 0xDC00 && low <= 0xDFFF) {
            *cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
          } else {
            i_ = save;
          }
        }
        return true;
      }
      case 'x': return ParseHex(2, cp);
      default:
        if (IsWord(c) && !IsDigit(c)) return false;  // unknown letter escape
        *cp = c;
        return true;
    }
  }

  bool ParseClass(CharSet* set) {
    // p_[i_-1] == '['
    if (More() && Peek() == '^') {
      set->negated = true;
      ++i_;
    }
    bool first = true;
    while (More() && (Peek() != ']' || first)) {
      first = false;
      Cp lo;
      std::optional<std::pair<Builtin, bool>> builtin;
      Cp c = p_[i_++];
      if (c == '[') return false;  // nested classes / intersections: unsupported
      if (c == '\\') {
        if (!ParseEscape(&lo, &builtin)) return false;
        if (builtin) {
          set->builtins.push_back(*builtin);
          continue;
        }
      } else {
        lo = c;
      }
      Cp hi = lo;
      if (i_ + 1 < p_.size() && Peek() == '-' && p_[i_ + 1] != ']') {
        ++i_;
        Cp c2 = p_[i_++];
        if (c2 == '\\') {
          std::optional<std::pair<Builtin, bool>> b2;
          if (!ParseEscape(&hi, &b2) || b2) return false;
        } else {
          hi = c2;
        }
        if (hi < lo) return false;
      }
      set->ranges.emplace_back(lo, hi);
    }
    if (!More()) return false;
    ++i_;  // ']'
    return true;
  }

  bool ParseQuantifier(Node* n) {
    if (!More()) return true;
    Cp c = Peek();
    if (c == '*') n->min = 0, n->max = -1, ++i_;
    else if (c == '+') n->min = 1, n->max = -1, ++i_;
    else if (c == '?') n->min = 0, n->max = 1, ++i_;
    else if (c == '{') {
      size_t j = i_ + 1;
      auto number = [&](int* out) {
        size_t start = j;
        int v = 0;
        while (j < p_.size() && IsDigit(p_[j])) v = v * 10 + (p_[j++] - '0');
        *out = v;
        return j > start;
      };
      int lo, hi;
      if (!number(&lo)) return true;  // a literal '{'
      hi = lo;
      if (j < p_.size() && p_[j] == ',') {
        ++j;
        if (!number(&hi)) hi = -1;
      }
      if (j >= p_.size() || p_[j] != '}') return false;
      i_ = j + 1;
      n->min = lo;
      n->max = hi;
    } else {
      return true;
    }
    // Lazy and possessive suffixes: treated as greedy (same answer for a full match
    // except possessive, which the models do not use).
    if (More() && (Peek() == '?' || Peek() == '+')) ++i_;
    return true;
  }

  bool ParseItem(Seq* seq) {
    Cp c = p_[i_++];
    Node n;
    switch (c) {
      case '(': {
        n.kind = Node::kGroup;
        if (More() && Peek() == '?') {
          ++i_;
          if (!More()) return false;
          Cp k = p_[i_++];
          if (k == ':') {
          } else if (k == '=') {
            n.kind = Node::kLookahead;
          } else if (k == '!') {
            n.kind = Node::kNegLookahead;
          } else if (k == 's' && More() && Peek() == ')') {
            ++i_;
            dotall_ = true;
            return true;
          } else {
            return false;
          }
        }
        if (!ParseAlternation(&n.alternatives)) return false;
        if (!More() || Peek() != ')') return false;
        ++i_;
        break;
      }
      case '[':
        if (!ParseClass(&n.set)) return false;
        break;
      case '.':
        n.kind = Node::kAny;
        n.dotall = dotall_;
        break;
      case '^': n.kind = Node::kBol; seq->push_back(std::move(n)); return true;
      case '$': n.kind = Node::kEol; seq->push_back(std::move(n)); return true;
      case '\\': {
        Cp cp;
        std::optional<std::pair<Builtin, bool>> builtin;
        if (!ParseEscape(&cp, &builtin)) return false;
        if (builtin) n.set.builtins.push_back(*builtin);
        else n.set.ranges.emplace_back(cp, cp);
        break;
      }
      case ')':
      case '*':
      case '+':
      case '?':
        return false;
      default:
        n.set.ranges.emplace_back(c, c);
    }
    if (n.kind == Node::kLookahead || n.kind == Node::kNegLookahead) {
      seq->push_back(std::move(n));
      return true;
    }
    if (!ParseQuantifier(&n)) return false;
    seq->push_back(std::move(n));
    return true;
  }

  std::u32string p_;
  size_t i_ = 0;
  bool dotall_ = false;
};

class Matcher {
 public:
  using Cont = std::function<bool(size_t)>;
  explicit Matcher(const std::u32string& s) : s_(s) {}

  bool MatchAlts(const std::vector<Seq>& alts, size_t pos, const Cont& k) {
    for (const Seq& seq : alts)
      if (MatchSeq(seq, 0, pos, k)) return true;
    return false;
  }

  bool out_of_budget() const { return steps_ > kBudget; }

 private:
  static constexpr long kBudget = 2'000'000;

  bool Single(const Node& n, Cp c) const {
    if (n.kind == Node::kAny) return n.dotall || (c != '\n' && c != '\r' && c != 0x85 && c != 0x2028 && c != 0x2029);
    return n.set.Contains(c);
  }

  bool MatchSeq(const Seq& seq, size_t i, size_t pos, const Cont& k) {
    if (++steps_ > kBudget) return true;
    if (i == seq.size()) return k(pos);
    const Node& n = seq[i];
    switch (n.kind) {
      case Node::kBol:
        return pos == 0 && MatchSeq(seq, i + 1, pos, k);
      case Node::kEol:
        return pos == s_.size() && MatchSeq(seq, i + 1, pos, k);
      case Node::kLookahead:
      case Node::kNegLookahead: {
        bool found = MatchAlts(n.alternatives, pos, [](size_t) { return true; });
        if (found != (n.kind == Node::kLookahead)) return false;
        return MatchSeq(seq, i + 1, pos, k);
      }
      case Node::kGroup:
        return MatchGroup(seq, i, n, 0, pos, k);
      default: {
        size_t limit = n.max < 0 ? s_.size() - pos : std::min<size_t>(n.max, s_.size() - pos);
        size_t count = 0;
        while (count < limit && Single(n, s_[pos + count])) ++count;
        if (count < static_cast<size_t>(n.min)) return false;
        for (size_t c = count + 1; c-- > static_cast<size_t>(n.min);) {
          if (MatchSeq(seq, i + 1, pos + c, k)) return true;
          if (steps_ > kBudget) return true;
        }
        return false;
      }
    }
  }

  bool MatchGroup(const Seq& seq, size_t i, const Node& n, int done, size_t pos, const Cont& k) {
    if (n.max < 0 || done < n.max) {
      bool matched = MatchAlts(n.alternatives, pos, [&](size_t p) {
        if (p == pos && done >= n.min) return false;  // an empty iteration would loop forever
        return MatchGroup(seq, i, n, done + 1, p, k);
      });
      if (matched) return true;
    }
    return done >= n.min && MatchSeq(seq, i + 1, pos, k);
  }

  const std::u32string& s_;
  long steps_ = 0;
};

}  // namespace

std::optional<Pattern> Pattern::Compile(std::string_view pattern) {
  auto root = std::make_shared<Node>();
  root->kind = Node::kGroup;
  Parser parser(DecodeUtf8(pattern));
  if (!parser.Parse(&root->alternatives)) return std::nullopt;
  Pattern p;
  p.source_ = std::string(pattern);
  p.root_ = std::move(root);
  return p;
}

bool Pattern::Matches(std::string_view utf8) const {
  std::u32string s = DecodeUtf8(utf8);
  Matcher m(s);
  bool ok = m.MatchAlts(root_->alternatives, 0, [&](size_t p) { return p == s.size(); });
  return ok || m.out_of_budget();
}

}  // namespace ck::wire
