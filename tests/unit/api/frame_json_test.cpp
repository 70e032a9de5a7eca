// JSON text straight into a FactFrame (FactFrame::assign_json and the batch's plain lines, issue 18): the fast
// reader takes plain text and leaves everything else to the general reader, so the frame must decide every
// text exactly as Facts::from_json + Session::decide do: same decision, errors and warnings, same refusals
// with the same message. Checked on the EAR catalog, on hand-picked texts at each edge of "plain", and on
// thousands of random edits of the catalog texts; the batch's case lines likewise against the general path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "edict/edict.hpp"
#include "../support/ear_support.hpp"

namespace {

const std::filesystem::path kRoot = EDICT_SOURCE_DIR;

const edict::Policy& ear() {
  static const auto policy = [] {
    auto result = edict::compile_path((kRoot / "policies/ear").string());
    REQUIRE(result.ok());
    return result.policy;
  }();
  return *policy;
}

// The catalog's facts files, each on one line.
const std::vector<std::string>& catalog_texts() {
  static const auto texts = [] {
    std::vector<std::string> out;
    for (const auto& file : edict_test::ear_catalog_files()) {
      auto line = edict_test::read_text_file(file);
      std::replace(line.begin(), line.end(), '\n', ' ');
      out.push_back(line);
    }
    return out;
  }();
  return texts;
}

std::string summary(const edict::Decision& d) {
  std::string out = d.ok ? "ok " : "not ok ";
  out += std::string(d.decision) + " |";
  for (const auto& c : d.classifications) out += " " + std::string(c);
  out += " | deciding";
  for (const auto& r : d.deciding_rules) out += " " + std::string(r);
  out += " | errors";
  for (const auto& e : *d.errors) out += " [" + e + "]";
  out += " | warnings";
  for (const auto& w : *d.warnings) out += " [" + w + "]";
  return out;
}

edict::EvalOptions options() {
  edict::EvalOptions o;
  o.as_of = edict::Date::parse("2024-06-01");
  return o;
}

// What the general path makes of `text`: the reader's error, or the decision.
std::string by_facts(edict::Session& session, const std::string& text) {
  std::string error;
  const auto facts = edict::Facts::from_json(text, &error, {}, ear().limits());
  if (!facts) return "refused: " + error;
  return summary(session.decide(*facts, options()));
}

std::string by_frame(edict::Session& session, edict::FactFrame& frame, const std::string& text) {
  std::string error;
  if (!frame.assign_json(text, &error)) return "refused: " + error;
  return summary(session.decide(frame, options()));
}

// Replaces the first `from` in `text` by `to`.
std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

// The escaped key is 5 bytes longer: positions after it, and the size of the line, differ by design.
std::string without_positions(const std::string& out) {
  static const std::regex position("line [0-9]+, column [0-9]+"), size("facts are [0-9]+ bytes");
  return std::regex_replace(std::regex_replace(out, position, "line L, column C"), size, "facts are N bytes");
}

}  // namespace

TEST_CASE("a frame read from JSON decides every catalog file as Facts::from_json does", "[frame-json]") {
  edict::Session session(ear()), general(ear());
  edict::FactFrame frame(ear());
  for (const auto& text : catalog_texts()) {
    INFO(text);
    const auto expected = by_facts(general, text);
    CHECK(expected.starts_with("ok "));
    CHECK(by_frame(session, frame, text) == expected);
  }
}

TEST_CASE("texts at each edge of plain JSON read alike by both paths", "[frame-json]") {
  const std::string base =
      R"({"product": {"name": "H20", "manufacturer": "NVIDIA", "kind": "ic", "tpp": 2368, "die_area_mm2": 814, )"
      R"("datacenter": true}, "destination": {"country": "CN"}, "transaction": {"date": "2024-06-01"}})";
  const std::vector<std::string> texts = {
      base,
      replaced(base, R"("tpp": 2368)", R"("tpp": 2368, "color": "red")"),              // unknown fact: a warning
      replaced(base, R"("tpp": 2368)", R"("tpp": 2368, "tpp": 4800)"),                 // duplicate key
      replaced(base, R"("destination")", R"("product": {"tpp": 1}, "destination")"),  // an object twice
      replaced(base, R"(, "die_area_mm2": 814)", "") + "",
      replaced(base, R"({"product": {)", R"({"product.die_area_mm2": 900, "product": {)"),  // dotted meets nested
      replaced(replaced(base, R"("tpp": 2368, )", ""), R"({"product": {)", R"({"product.tpp": 4800, "product": {)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": null)"),             // null for a required fact
      replaced(base, R"("datacenter": true)", R"("datacenter": null)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": [2368])"),           // an array
      replaced(base, R"("tpp": 2368)", R"("tpp": 2.368e3)"),          // an exponent
      replaced(base, R"("tpp": 2368)", R"("tpp": 2368.000)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": -0)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": 02368)"),            // a leading zero
      replaced(base, R"("tpp": 2368)", R"("tpp": 2368.)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": -)"),
      replaced(base, R"("tpp": 2368)", R"("tpp": "2368")"),           // a string for a number
      replaced(base, R"("tpp": 2368)", R"("tpp": 1234567890123456789012345678901234567890)"),  // too many digits
      replaced(base, R"("NVIDIA")", R"("N\u0056IDIA")"),              // an escape in a string
      replaced(base, R"("NVIDIA")", "\"NVIDI\xC3\x84\""),             // a non-ASCII string
      replaced(base, R"("NVIDIA")", "\"NVIDI\xC3\""),                 // broken UTF-8
      replaced(base, R"("tpp")", R"("t\u0070p")"),                    // an escape in a key
      replaced(base, R"("CN")", R"("XX")"),                           // not a country code
      replaced(base, R"("CN")", R"(7)"),
      replaced(base, R"("2024-06-01")", R"("2024-02-30")"),           // not a date
      replaced(base, R"("datacenter": true)", R"("datacenter": "yes")"),
      replaced(base, R"("datacenter": true)", R"("datacenter": tru)"),
      replaced(base, R"("datacenter": true)", R"("datacenter": truex)"),
      replaced(base, R"("destination": {"country": "CN"})", R"("destination": {"country": {"code": "CN"}})"),
      replaced(base, R"("destination": {"country": "CN"})", R"("destination": "CN")"),
      replaced(base, R"("destination": {"country": "CN"})", R"("destination": {})"),
      replaced(base, R"("destination": {"country": "CN"})", R"("destination": {}, "destination": {})"),
      replaced(base, R"(, "transaction")", R"(, "": 1, "transaction")"),
      replaced(base, "}}", "},}"),                                    // a trailing comma
      replaced(base, "}}", "}"),                                      // a brace short
      base + " x",
      base + " \t\r\n",
      " \n" + base,
      "{}",
      "{ }",
      "",
      "[]",
      "null",
      "\"facts\"",
      "{\"product\": }",
      "{\"product\": {\"tpp\": 4800,}}",
      "{\"product\" {\"tpp\": 4800}}",
  };
  edict::Session session(ear()), general(ear());
  edict::FactFrame frame(ear());
  for (const auto& text : texts) {
    INFO(text);
    CHECK(by_frame(session, frame, text) == by_facts(general, text));
  }
}

TEST_CASE("random edits of the catalog read alike by both paths", "[frame-json]") {
  std::mt19937 random(18);
  const std::string alphabet = "{}[]\":,.-+eE0123456789 tfnul\\xA\x80";
  edict::Session session(ear()), general(ear());
  edict::FactFrame frame(ear());
  int compared = 0, refused = 0;
  for (const auto& original : catalog_texts()) {
    for (int edit = 0; edit < 150; ++edit) {
      auto text = original;
      const int edits = 1 + static_cast<int>(random() % 3);
      for (int k = 0; k < edits && !text.empty(); ++k) {
        const auto at = random() % text.size();
        const char c = alphabet[random() % alphabet.size()];
        switch (random() % 3) {
          case 0: text.erase(at, 1); break;
          case 1: text.insert(at, 1, c); break;
          default: text[at] = c; break;
        }
      }
      INFO(text);
      const auto expected = by_facts(general, text);
      refused += expected.starts_with("refused") ? 1 : 0;
      REQUIRE(by_frame(session, frame, text) == expected);
      ++compared;
    }
  }
  CHECK(compared >= 1000);
  CHECK(refused > 0);             // the edits reach the errors,
  CHECK(refused < compared);      // and the decisions
}

TEST_CASE("a batch reads a plain case line as it reads the same line through the general path", "[frame-json]") {
  // An escape in the key `facts` means the same key to the general reader and sends the line there, so each
  // line is compared with its own general reading.
  const std::string facts_key = "\"facts\"", escaped_key = "\"f\\u0061cts\"";
  edict::BatchOptions batch;
  batch.as_of = edict::Date::parse("2024-06-01");
  edict::BatchLineEvaluator fast(ear(), batch), slow(ear(), batch);
  std::mt19937 random(1806);
  const std::string alphabet = "{}\":,.-0123456789 tfnu\\";
  int compared = 0;
  for (const auto& facts : catalog_texts()) {
    const std::vector<std::string> lines = {
        "{\"id\": 7, \"facts\": " + facts + "}",
        "{\"id\": \"case-7\", \"as_of\": \"2023-01-02\", \"facts\": " + facts + "}",
        "{\"facts\": " + facts + ", \"rules_as_of\": \"2023-10-20\", \"id\": -1.5}",
        "{\"facts\": " + facts + ", \"as_of\": \"2023-13-01\"}",
        "{\"facts\": " + facts + ", \"colour\": 1}",
        "{\"id\": 1, \"id\": 2, \"facts\": " + facts + "}",
    };
    for (auto line : lines) {
      for (int edit = 0; edit < 20; ++edit) {
        if (edit > 0) {  // the line itself first, then edits of it away from the key `facts`
          const auto key_at = line.find(facts_key);
          auto at = random() % line.size();
          if (key_at != std::string::npos && at >= key_at && at < key_at + facts_key.size()) continue;
          line[at] = alphabet[random() % alphabet.size()];
        }
        const auto key_at = line.find(facts_key);
        if (key_at == std::string::npos) continue;
        auto general_line = line;
        general_line.replace(key_at, facts_key.size(), escaped_key);
        INFO(line);
        REQUIRE(without_positions(fast.evaluate_line(line)) == without_positions(slow.evaluate_line(general_line)));
        ++compared;
      }
    }
  }
  CHECK(compared >= 500);
}

TEST_CASE("under tight limits, a frame and a batch refuse what the general path refuses", "[frame-json]") {
  // Each limit of the JSON reader, set just around the catalog's texts: the plain reader must give up where
  // the general reader refuses, so the messages are the general reader's.
  for (const auto& [name, set] : std::vector<std::pair<const char*, void (*)(edict::Limits&)>>{
           {"depth 1", [](edict::Limits& l) { l.facts_depth = 1; }},
           {"depth 2", [](edict::Limits& l) { l.facts_depth = 2; }},
           {"entries 5", [](edict::Limits& l) { l.fact_entries = 5; }},
           {"digits 3", [](edict::Limits& l) { l.fact_number_digits = 3; }},
           {"strings 5", [](edict::Limits& l) { l.fact_string_bytes = 5; }},
           {"bytes 180", [](edict::Limits& l) { l.facts_bytes = 180; }}}) {
    INFO(name);
    edict::CompileOptions compile_options;
    set(compile_options.limits);
    const auto compiled = edict::compile_path((kRoot / "policies/ear").string(), compile_options);
    REQUIRE(compiled.ok());
    const auto& policy = *compiled.policy;
    edict::Session session(policy), general(policy);
    edict::FactFrame frame(policy);
    edict::BatchOptions batch;
    batch.as_of = edict::Date::parse("2024-06-01");
    edict::BatchLineEvaluator lines(policy, batch);
    int refused = 0;
    for (const auto& text : catalog_texts()) {
      INFO(text);
      std::string error;
      const auto facts = edict::Facts::from_json(text, &error, {}, policy.limits());
      const auto expected = facts ? summary(general.decide(*facts, options())) : "refused: " + error;
      refused += facts ? 0 : 1;
      std::string frame_error;
      CHECK((frame.assign_json(text, &frame_error) ? summary(session.decide(frame, options()))
                                                   : "refused: " + frame_error) == expected);
      // The same facts in a case line, read by the batch (plain path) and with an escaped key (general path).
      const std::string line = "{\"id\": 1, \"facts\": " + text + "}";
      const std::string general_line = "{\"id\": 1, \"f\\u0061cts\": " + text + "}";
      const auto plain_out = lines.evaluate_line(line);
      CHECK(without_positions(plain_out) == without_positions(lines.evaluate_line(general_line)));
      refused += plain_out.find("\"error\"") != std::string::npos ? 1 : 0;
    }
    CHECK(refused > 0);  // each limit is reached by some catalog file, as facts or as a case line
  }
}
