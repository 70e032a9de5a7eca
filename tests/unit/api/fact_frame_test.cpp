// Prepared facts (edict/fact_frame.hpp, issue 18): a frame filled value by value decides exactly as the same
// facts by path do (the whole EAR catalog, to many destinations, on many dates, with full traces compared);
// a value that does not fit is an error of the decision, never a silently absent fact; defaults follow the
// facts that are set and cleared.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "edict/edict.hpp"

namespace {

const std::filesystem::path kRoot = EDICT_SOURCE_DIR;

std::shared_ptr<const edict::Policy> compiled(const char* path) {
  const auto result = edict::compile_path((kRoot / path).string());
  REQUIRE(result.ok());
  return result.policy;
}

const std::shared_ptr<const edict::Policy>& ear() {
  static const auto policy = compiled("policies/ear");
  return policy;
}

std::vector<edict::Facts> catalog() {
  std::vector<edict::Facts> out;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(kRoot / "policies/ear/catalog")) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    std::string error;
    auto facts = edict::Facts::from_json(text.str(), &error);
    REQUIRE(facts);
    out.push_back(std::move(*facts));
  }
  return out;
}

// The facts by path, copied into the frame value by value (as a host fills it).
void fill(edict::FactFrame& frame, const edict::Facts& facts) {
  frame.clear();
  for (const auto& entry : facts.entries()) {
    const auto ref = frame.fact(entry.path);
    if (!ref.valid()) continue;  // an unknown fact: ignored by both (the Facts path warns)
    switch (entry.value.kind) {
      case edict::FactValue::Kind::kBool: frame.set_bool(ref, entry.value.boolean); break;
      case edict::FactValue::Kind::kNumber: frame.set_decimal(ref, entry.value.text); break;
      case edict::FactValue::Kind::kString: frame.set_string(ref, entry.value.text); break;
      default: break;
    }
  }
}

}  // namespace

TEST_CASE("a prepared frame decides as the facts by path do, trace included", "[fact-frame]") {
  const auto policy = ear();
  edict::Session by_path(*policy), by_frame(*policy);
  edict::FactFrame frame(*policy);
  const char* countries[] = {"CN", "HK", "MO", "RU", "AE", "SA", "IN", "GB", "DE", "US", "VN", "NI"};
  const char* dates[] = {"2022-10-01", "2022-10-07", "2023-10-17", "2023-11-17", "2024-04-04", "2025-01-15", "2025-06-01"};
  std::size_t compared = 0;
  for (auto facts : catalog()) {
    for (const char* country : countries) {
      facts.set_string("destination.country", country);
      fill(frame, facts);
      REQUIRE(frame.errors().empty());
      for (const char* date : dates) {
        edict::EvalOptions options;
        options.as_of = edict::Date::parse(date);
        const auto& a = by_path.decide(facts, options);
        const std::string a_decision(a.decision);
        const std::vector<std::string_view> a_rules = a.deciding_rules;
        const auto& b = by_frame.decide(frame, options);
        REQUIRE(a.ok == b.ok);
        CHECK(a_decision == std::string(b.decision));
        CHECK(a_rules == b.deciding_rules);
        options.trace = true;
        CHECK(edict::render_text(by_path.evaluate(facts, options)) ==
              edict::render_text(by_frame.evaluate(frame, options)));
        ++compared;
      }
    }
  }
  CHECK(compared > 1000);
}

TEST_CASE("a value that does not fit is an error of the decision until clear()", "[fact-frame]") {
  const auto policy = ear();
  edict::Session session(*policy);
  edict::FactFrame frame(*policy);
  CHECK_FALSE(frame.fact("product.tpp_total").valid());
  const auto tpp = frame.fact("product.tpp");
  const auto country = frame.fact("destination.country");
  const auto datacenter = frame.fact("product.datacenter");
  REQUIRE(tpp.valid());
  CHECK_FALSE(frame.code(country, "China").valid());
  CHECK_FALSE(frame.code(tpp, "CN").valid());  // not a code-typed fact
  CHECK(frame.code(country, "CN").valid());

  CHECK_FALSE(frame.set_string(tpp, "4800"));
  CHECK_FALSE(frame.set_decimal(tpp, "48OO"));
  CHECK_FALSE(frame.set_string(country, "China"));
  CHECK_FALSE(frame.set_decimal(datacenter, "1"));
  REQUIRE(frame.errors().size() == 4);
  CHECK(frame.errors()[0] == "`product.tpp`: expected a number, got the string \"4800\"");
  CHECK(frame.errors()[2].find("\"China\" is not a valid `country` code") != std::string::npos);

  edict::EvalOptions options;
  options.as_of = edict::Date::parse("2024-06-01");
  const auto& refused = session.decide(frame, options);
  CHECK_FALSE(refused.ok);
  CHECK(refused.errors->size() == 4);

  frame.clear();
  CHECK(frame.errors().empty());
  CHECK(frame.set_integer(tpp, 15832));
  CHECK(frame.set_code(country, frame.code(country, "CN")));
  CHECK(frame.set_bool(datacenter, true));
  CHECK(frame.set_string(frame.fact("product.kind"), "ic"));
  CHECK(frame.set_decimal(frame.fact("product.die_area_mm2"), "814"));
  CHECK(frame.set_decimal(frame.fact("product.io_bandwidth_gbps"), "528"));
  const auto& decided = session.decide(frame, options);
  REQUIRE(decided.ok);
  CHECK(decided.decision == "license_required");

  edict::EvalOptions undated;
  CHECK_FALSE(session.decide(frame, undated).ok);  // no date: an error, never a guessed one
}

TEST_CASE("a frame of another policy is refused", "[fact-frame]") {
  const auto other = compiled("policies/examples/chips/chips.edict");
  edict::FactFrame frame(*other);
  edict::Session session(*ear());
  edict::EvalOptions options;
  options.as_of = edict::Date::parse("2024-06-01");
  const auto& d = session.decide(frame, options);
  CHECK_FALSE(d.ok);
  REQUIRE(d.errors->size() == 1);
  CHECK(d.errors->front().find("another policy") != std::string::npos);
}

TEST_CASE("defaults follow the facts that are set, cleared and set absent", "[fact-frame]") {
  const auto policy = ear();
  edict::FactFrame frame(*policy);
  edict::Session session(*policy);
  const auto country = frame.fact("destination.country");
  const auto hq = frame.fact("end_user.hq_country");
  edict::EvalOptions options;
  options.as_of = edict::Date::parse("2024-06-01");
  options.trace = true;
  const auto hq_line = [&] {
    const auto text = edict::render_text(session.evaluate(frame, options));
    const auto at = text.find("end_user.hq_country");
    return at == std::string::npos ? std::string() : text.substr(at, text.find('\n', at) - at);
  };
  fill(frame, catalog().front());
  frame.set_string(country, "CN");
  frame.set_string(hq, "US");
  const auto given = hq_line();
  frame.set_absent(hq);  // now the default: the destination
  const auto defaulted = hq_line();
  CHECK(given != defaulted);

  // The same by path: the frame agrees in both states.
  auto facts = catalog().front();
  facts.set_string("destination.country", "CN");
  CHECK(edict::render_text(session.evaluate(frame, options)) == edict::render_text(session.evaluate(facts, options)));
  facts.set_string("end_user.hq_country", "US");
  frame.set_string(hq, "US");
  CHECK(edict::render_text(session.evaluate(frame, options)) == edict::render_text(session.evaluate(facts, options)));
}
