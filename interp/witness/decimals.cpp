// Exact decimals for candidate values (a bound, one unit of its last place either side, a rounded solution)
// and the raw fact values of a case.
#include "witness/search.hpp"

namespace edict::witness {

namespace {

Integer pow10(int k) { return boost::multiprecision::pow(Integer(10), static_cast<unsigned>(k)); }

}  // namespace

bool terminating(const Rational& r) {
  Integer d = boost::multiprecision::denominator(r);
  while (d % 2 == 0) d /= 2;
  while (d % 5 == 0) d /= 5;
  return d == 1;
}

Rational unit_of(const Rational& r) {
  for (int k = 0; k < 30; ++k) {
    const Rational scaled = r * Rational(pow10(k));
    if (boost::multiprecision::denominator(scaled) == 1) return k == 0 ? Rational(1) : Rational(Integer(1), pow10(k));
  }
  return Rational(Integer(1), pow10(30));
}

Rational round_to(const Rational& r, int digits, bool up) {
  const Integer scale = pow10(digits);
  const Rational scaled = r * Rational(scale);
  const Integer n = boost::multiprecision::numerator(scaled);
  const Integer d = boost::multiprecision::denominator(scaled);
  Integer q = n / d;  // truncates toward zero
  if (q * d != n) {
    if (n < 0 && !up) q -= 1;
    if (n > 0 && up) q += 1;
  }
  return Rational(q, scale);
}

FactValue number_value(const Rational& r) { return {FactValue::Kind::kNumber, false, core::format_decimal(r)}; }
FactValue string_value(std::string s) { return {FactValue::Kind::kString, false, std::move(s)}; }
FactValue bool_value(bool b) { return {FactValue::Kind::kBool, b, {}}; }

std::string value_text(const std::optional<FactValue>& v) {
  if (!v) return "(absent)";
  switch (v->kind) {
    case FactValue::Kind::kBool: return v->boolean ? "true" : "false";
    case FactValue::Kind::kNumber: return v->text;
    default: return "\"" + v->text + "\"";
  }
}

std::string assignment_text(const Assignment& a) {
  std::string text;
  for (const auto& [path, value] : a) text += path + "=" + value_text(value) + ";";
  return text;
}

Facts to_facts(const Assignment& a) {
  Facts facts;
  for (const auto& [path, value] : a) {
    if (value) facts.set(path, *value, "witness");
  }
  return facts;
}

}  // namespace edict::witness
