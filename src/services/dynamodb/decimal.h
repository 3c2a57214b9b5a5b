// Decimal: DynamoDB's N type, exact. Numbers travel as strings and are kept
// as strings; this type parses them (up to 38 significant digits, exponent
// range 1E-130..9.99E+125, as DynamoDB enforces), normalizes them the way
// DynamoDB echoes them (no leading/trailing zeros, plain notation), compares
// them numerically with arbitrary precision, adds/subtracts them exactly, and
// encodes them into bytes whose memcmp order is the numeric order (sort keys).
//
// Thread safety: value type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ck::services::ddb {

class Decimal {
 public:
  // Nullopt when the text is not a number DynamoDB accepts, or out of range.
  static std::optional<Decimal> Parse(std::string_view text);

  // Plain notation, normalized: "100", "-0.5", "0".
  std::string ToString() const;
  // Order-preserving bytes (memcmp order == numeric order).
  std::string SortableBytes() const;

  // -1, 0, 1.
  static int Compare(const Decimal& a, const Decimal& b);
  // Exact sum; nullopt when the result leaves DynamoDB's range or precision.
  static std::optional<Decimal> Add(const Decimal& a, const Decimal& b);
  Decimal Negated() const;
  bool is_zero() const { return digits_.empty(); }

 private:
  // value = sign * 0.d1d2d3... * 10^exp; digits_ has no leading/trailing zeros;
  // zero has empty digits_.
  bool negative_ = false;
  std::string digits_;
  int exp_ = 0;
};

}  // namespace ck::services::ddb
