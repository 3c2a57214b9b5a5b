#include "services/dynamodb/decimal.h"

#include <algorithm>
#include <cstdint>

namespace ck::services::ddb {

namespace {

constexpr size_t kMaxDigits = 38;
// Magnitudes between 1E-130 and 9.99...E+125: 0.d × 10^exp with exp in [-129, 126].
constexpr int kMinExp = -129;
constexpr int kMaxExp = 126;

// Big unsigned integers as decimal digit strings without leading zeros.
int CompareMag(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string AddMag(const std::string& a, const std::string& b) {
  std::string r;
  int carry = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()) || carry; ++i) {
    int s = carry;
    if (i < a.size()) s += a[a.size() - 1 - i] - '0';
    if (i < b.size()) s += b[b.size() - 1 - i] - '0';
    r.push_back(static_cast<char>('0' + s % 10));
    carry = s / 10;
  }
  std::reverse(r.begin(), r.end());
  return r;
}

// a >= b.
std::string SubMag(const std::string& a, const std::string& b) {
  std::string r;
  int borrow = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    int s = (a[a.size() - 1 - i] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = s < 0;
    if (s < 0) s += 10;
    r.push_back(static_cast<char>('0' + s));
  }
  while (r.size() > 1 && r.back() == '0') r.pop_back();
  std::reverse(r.begin(), r.end());
  return r;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view t) {
  size_t i = 0;
  bool neg = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg = t[i++] == '-';
  std::string all;  // every mantissa digit
  int point = -1;   // digits before the point
  bool any = false;
  for (; i < t.size(); ++i) {
    char c = t[i];
    if (c >= '0' && c <= '9') {
      all.push_back(c);
      any = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<int>(all.size());
    } else {
      break;
    }
  }
  if (!any) return std::nullopt;
  if (point < 0) point = static_cast<int>(all.size());
  long long e10 = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) eneg = t[i++] == '-';
    if (i >= t.size()) return std::nullopt;
    for (; i < t.size(); ++i) {
      if (t[i] < '0' || t[i] > '9') return std::nullopt;
      e10 = e10 * 10 + (t[i] - '0');
      if (e10 > 100000) return std::nullopt;
    }
    if (eneg) e10 = -e10;
  }
  if (i != t.size()) return std::nullopt;
  // Strip leading zeros (adjusting the point) and trailing zeros.
  size_t lead = 0;
  while (lead < all.size() && all[lead] == '0') ++lead;
  Decimal d;
  if (lead == all.size()) return d;  // zero
  size_t end = all.size();
  while (end > lead && all[end - 1] == '0') --end;
  d.digits_ = all.substr(lead, end - lead);
  d.negative_ = neg;
  long long exp = static_cast<long long>(point) - static_cast<long long>(lead) + e10;
  if (d.digits_.size() > kMaxDigits || exp < kMinExp || exp > kMaxExp) return std::nullopt;
  d.exp_ = static_cast<int>(exp);
  return d;
}

std::string Decimal::ToString() const {
  if (digits_.empty()) return "0";
  std::string out = negative_ ? "-" : "";
  int n = static_cast<int>(digits_.size());
  if (exp_ <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp_), '0');
    out += digits_;
  } else if (exp_ >= n) {
    out += digits_;
    out.append(static_cast<size_t>(exp_ - n), '0');
  } else {
    out += digits_.substr(0, static_cast<size_t>(exp_));
    out += '.';
    out += digits_.substr(static_cast<size_t>(exp_));
  }
  return out;
}

std::string Decimal::SortableBytes() const {
  std::string out;
  if (digits_.empty()) return std::string(1, '\x02');
  uint16_t biased = static_cast<uint16_t>(exp_ + 1000);
  if (!negative_) {
    out.push_back('\x03');
    out.push_back(static_cast<char>(biased >> 8));
    out.push_back(static_cast<char>(biased & 0xff));
    out += digits_;
    out.push_back('\x00');  // shorter (smaller) mantissa sorts first
  } else {
    // Larger magnitude is smaller: invert everything.
    uint16_t inv = static_cast<uint16_t>(0xffff - biased);
    out.push_back('\x01');
    out.push_back(static_cast<char>(inv >> 8));
    out.push_back(static_cast<char>(inv & 0xff));
    for (char c : digits_) out.push_back(static_cast<char>(0xff - static_cast<unsigned char>(c)));
    out.push_back('\xff');
  }
  return out;
}

int Decimal::Compare(const Decimal& a, const Decimal& b) {
  int c = a.SortableBytes().compare(b.SortableBytes());
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Decimal Decimal::Negated() const {
  Decimal d = *this;
  if (!d.digits_.empty()) d.negative_ = !d.negative_;
  return d;
}

std::optional<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  if (a.is_zero()) return b;
  if (b.is_zero()) return a;
  // Integers scaled to the smaller unit exponent: value = mag × 10^(unit).
  int unit_a = a.exp_ - static_cast<int>(a.digits_.size());
  int unit_b = b.exp_ - static_cast<int>(b.digits_.size());
  int unit = std::min(unit_a, unit_b);
  std::string ma = a.digits_ + std::string(static_cast<size_t>(unit_a - unit), '0');
  std::string mb = b.digits_ + std::string(static_cast<size_t>(unit_b - unit), '0');
  std::string mag;
  bool neg;
  if (a.negative_ == b.negative_) {
    mag = AddMag(ma, mb);
    neg = a.negative_;
  } else {
    int c = CompareMag(ma, mb);
    if (c == 0) return Decimal();
    mag = c > 0 ? SubMag(ma, mb) : SubMag(mb, ma);
    neg = c > 0 ? a.negative_ : b.negative_;
  }
  std::string text = (neg ? "-" : "") + mag + "E" + std::to_string(unit);
  return Parse(text);
}

}  // namespace ck::services::ddb
