// Decision records: the canonical facts JSON, the log line and its reader (see decision_record.hpp).
#include "audit/decision_record.hpp"

#include <algorithm>
#include <cstdint>
#include <chrono>
#include <ctime>
#include <map>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/json_writer.hpp"
#include "core/sha256.hpp"

namespace edict::audit {

// {========================================================================== canonical facts

namespace {

struct FactNode {
  const FactValue* value = nullptr;  // a scalar at this path
  std::map<std::string, FactNode> children;
};

void append_object(std::string& out, const FactNode& node);

// The members of `node`'s object: a child with children becomes a nested object, or, when it also has a
// value, dotted keys after its own (see canonical_facts_json).
void collect_members(const FactNode& node, const std::string& prefix,
                     std::vector<std::pair<std::string, std::string>>& members) {
  for (const auto& [name, child] : node.children) {
    const std::string key = prefix + name;
    if (child.value != nullptr) {
      std::string value;
      core::append_fact_json(value, *child.value);
      members.emplace_back(key, std::move(value));
      if (!child.children.empty()) collect_members(child, key + ".", members);
    } else {
      std::string object;
      append_object(object, child);
      members.emplace_back(key, std::move(object));
    }
  }
}

void append_object(std::string& out, const FactNode& node) {
  std::vector<std::pair<std::string, std::string>> members;
  collect_members(node, "", members);
  std::sort(members.begin(), members.end());
  out += '{';
  for (bool first = true; const auto& [key, value] : members) {
    if (!std::exchange(first, false)) out += ',';
    core::append_json_string(out, key);
    out += ':';
    out += value;
  }
  out += '}';
}

}  // namespace

std::string canonical_facts_json(const Facts& facts) {
  FactNode root;
  for (const auto& entry : facts.entries()) {
    if (entry.value.kind == FactValue::Kind::kArray) continue;
    FactNode* node = &root;
    std::size_t from = 0;
    for (;;) {
      const auto dot = entry.path.find('.', from);
      node = &node->children[entry.path.substr(from, dot == std::string::npos ? std::string::npos : dot - from)];
      if (dot == std::string::npos) break;
      from = dot + 1;
    }
    if (entry.value.kind != FactValue::Kind::kObject) node->value = &entry.value;
  }
  std::string out;
  append_object(out, root);
  return out;
}

// }==========================================================================

DecisionRecord make_record(const EvalResult& result, const Facts& facts, std::string decision_id,
                           std::string time, FactsInLog facts_in_log) {
  DecisionRecord r;
  r.decision_id = std::move(decision_id);
  r.time = std::move(time);
  r.policy_digest = result.policy_digest;
  r.as_of = result.as_of.to_string();
  r.rules_as_of = result.rules_as_of ? result.rules_as_of->to_string() : "latest";
  r.facts_json = canonical_facts_json(facts);
  if (facts_in_log == FactsInLog::kDigest) {
    r.facts_digest = core::sha256_hex(r.facts_json);
    r.facts_json.clear();
  }
  r.decision = result.decision;
  r.classifications = result.classifications;
  r.deciding_rules = result.deciding_rules;
  r.exemptions = result.exemptions;
  return r;
}

std::string to_log_line(const DecisionRecord& r) {
  std::string out;
  out.reserve(256 + r.facts_json.size());
  const auto string_field = [&](std::string_view key, std::string_view value) {
    out += out.empty() ? "{" : ",";
    core::append_json_string(out, key);
    out += ':';
    core::append_json_string(out, value);
  };
  const auto list_field = [&](std::string_view key, const std::vector<std::string>& values) {
    out += ',';
    core::append_json_string(out, key);
    out += ':';
    core::append_json_strings(out, values);
  };
  string_field("decision_id", r.decision_id);
  string_field("time", r.time);
  string_field("policy_digest", r.policy_digest);
  string_field("as_of", r.as_of);
  string_field("rules_as_of", r.rules_as_of);
  if (!r.facts_digest.empty()) {
    string_field("facts_digest", r.facts_digest);
  } else {
    out += ",\"facts\":";
    out += r.facts_json.empty() ? "{}" : r.facts_json;
  }
  string_field("decision", r.decision);
  list_field("classifications", r.classifications);
  list_field("deciding_rules", r.deciding_rules);
  list_field("exemptions", r.exemptions);
  out += '}';
  return out;
}

// {========================================================================== the reader

namespace {

bool is_hex64(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// RFC 3339 in UTC as the records write it: YYYY-MM-DDTHH:MM:SS, optional fraction, `Z`.
bool is_utc_time(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z' || !Date::parse(text.substr(0, 10))) return false;
  const auto clock = text.substr(11, 8);
  if (clock[2] != ':' || clock[5] != ':') return false;
  const auto hh = clock.substr(0, 2), mm = clock.substr(3, 2), ss = clock.substr(6, 2);
  if (!is_digits(hh) || !is_digits(mm) || !is_digits(ss) || hh > "23" || mm > "59" || ss > "60") return false;
  const auto rest = text.substr(19, text.size() - 20);  // between the seconds and `Z`
  return rest.empty() || (rest[0] == '.' && is_digits(rest.substr(1)));
}

// The keys of a record, in their written order.
constexpr std::string_view kKeys[] = {"decision_id", "time",     "policy_digest",   "as_of",
                                      "rules_as_of", "facts",    "facts_digest",    "decision",
                                      "classifications", "deciding_rules", "exemptions"};

class RecordReader {
 public:
  explicit RecordReader(std::string_view line) : text_(line) {}

  std::optional<DecisionRecord> read(std::string* error) {
    DecisionRecord r;
    if (!read_object(r) || !check(r)) {
      if (error != nullptr) *error = std::move(error_);
      return std::nullopt;
    }
    return r;
  }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }
  bool fail_at(std::string_view what) { return fail(fmt::format("column {}: {}", at_ + 1, what)); }
  bool fail_key(std::string_view key, std::string_view what) { return fail(fmt::format("`{}`: {}", key, what)); }

  void skip_ws() {
    while (at_ < text_.size() && (text_[at_] == ' ' || text_[at_] == '\t' || text_[at_] == '\r' || text_[at_] == '\n')) {
      ++at_;
    }
  }
  bool peek(char c) {
    skip_ws();
    return at_ < text_.size() && text_[at_] == c;
  }
  bool expect(char c, std::string_view what) {
    if (!peek(c)) return fail_at(fmt::format("expected `{}` {}", c, what));
    ++at_;
    return true;
  }

  // A JSON string token at at_, decoded (escapes, UTF-8 checked by nlohmann-json); false when there is none.
  bool string(std::string& out) {
    skip_ws();
    if (at_ >= text_.size() || text_[at_] != '"') return false;
    const auto begin = at_++;
    while (at_ < text_.size() && text_[at_] != '"') at_ += text_[at_] == '\\' ? 2 : 1;
    if (at_ >= text_.size()) return fail_at("unterminated string");
    ++at_;
    const auto token = text_.substr(begin, at_ - begin);
    auto value = nlohmann::json::parse(token.begin(), token.end(), nullptr, false);
    if (value.is_discarded() || !value.is_string()) {
      at_ = begin;
      return fail_at("invalid string (bad escape, control character or invalid UTF-8)");
    }
    out = value.get<std::string>();
    return true;
  }

  bool string_value(std::string_view key, std::string& out) {
    if (string(out)) return true;
    return error_.empty() ? fail_key(key, "must be a string") : false;
  }

  bool string_list(std::string_view key, std::vector<std::string>& out) {
    if (!peek('[')) return fail_key(key, "must be an array of strings");
    ++at_;
    if (peek(']')) {
      ++at_;
      return true;
    }
    for (;;) {
      std::string item;
      if (!string(item)) return error_.empty() ? fail_key(key, "must be an array of strings") : false;
      out.push_back(std::move(item));
      if (peek(']')) {
        ++at_;
        return true;
      }
      if (!expect(',', fmt::format("or `]` in `{}`", key))) return false;
    }
  }

  // The facts object: its extent is found here (strings skipped), its content read by the facts reader.
  bool facts(std::string& out) {
    if (!peek('{')) return fail_key("facts", "must be a JSON object");
    const auto begin = at_;
    std::size_t depth = 0;
    while (at_ < text_.size()) {
      const char c = text_[at_++];
      if (c == '"') {
        while (at_ < text_.size() && text_[at_] != '"') at_ += text_[at_] == '\\' ? 2 : 1;
        ++at_;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if ((c == '}' || c == ']') && --depth == 0) {
        break;
      }
    }
    if (depth != 0 || at_ > text_.size()) return fail_key("facts", "the object is not closed");
    std::string problem;
    const auto parsed = Facts::from_json(text_.substr(begin, at_ - begin), &problem, "facts");
    if (!parsed) return fail_key("facts", problem);
    for (const auto& entry : parsed->entries()) {
      if (entry.value.kind == FactValue::Kind::kArray) {
        return fail_key("facts", fmt::format("`{}` is an array: a record's facts hold no arrays", entry.path));
      }
    }
    out = canonical_facts_json(*parsed);
    return true;
  }

  bool value(std::string_view key, DecisionRecord& r) {
    if (key == "decision_id") return string_value(key, r.decision_id);
    if (key == "time") return string_value(key, r.time);
    if (key == "policy_digest") return string_value(key, r.policy_digest);
    if (key == "as_of") return string_value(key, r.as_of);
    if (key == "rules_as_of") return string_value(key, r.rules_as_of);
    if (key == "facts") return facts(r.facts_json);
    if (key == "facts_digest") return string_value(key, r.facts_digest);
    if (key == "decision") return string_value(key, r.decision);
    if (key == "classifications") return string_list(key, r.classifications);
    if (key == "deciding_rules") return string_list(key, r.deciding_rules);
    return string_list(key, r.exemptions);
  }

  bool read_object(DecisionRecord& r) {
    skip_ws();
    if (at_ >= text_.size()) return fail("empty line");
    if (text_[at_] != '{') return fail_at("a record must be a JSON object");
    ++at_;
    if (peek('}')) return fail("missing key `decision_id`");
    for (;;) {
      std::string key;
      if (!string(key)) return error_.empty() ? fail_at("expected a key (a string)") : false;
      const auto known = std::find(std::begin(kKeys), std::end(kKeys), key);
      if (known == std::end(kKeys)) {
        return fail(fmt::format("unknown key `{}` (a record has decision_id, time, policy_digest, as_of, "
                                "rules_as_of, facts or facts_digest, decision, classifications, deciding_rules, "
                                "exemptions)",
                                key));
      }
      const auto index = static_cast<std::size_t>(known - std::begin(kKeys));
      if (seen_[index]) return fail(fmt::format("duplicate key `{}`", key));
      seen_[index] = true;
      if (!expect(':', fmt::format("after key `{}`", key)) || !value(key, r)) return false;
      if (peek('}')) {
        ++at_;
        break;
      }
      if (!expect(',', "or `}` after a value")) return false;
    }
    skip_ws();
    if (at_ != text_.size()) return fail_at("unexpected text after the record");
    return true;
  }

  // Every key present, and the values well formed.
  bool check(const DecisionRecord& r) {
    for (std::size_t i = 0; i < std::size(kKeys); ++i) {
      if (!seen_[i] && kKeys[i] != "facts" && kKeys[i] != "facts_digest") {
        return fail(fmt::format("missing key `{}`", kKeys[i]));
      }
    }
    const bool has_facts = seen_[5], has_digest = seen_[6];
    if (has_facts == has_digest) {
      return fail(has_facts ? "`facts` and `facts_digest` are both given: a record keeps one of them"
                            : "missing key `facts` (or `facts_digest`)");
    }
    if (r.decision_id.empty()) return fail_key("decision_id", "is empty");
    if (!is_utc_time(r.time)) {
      return fail_key("time", fmt::format("`{}` is not a UTC time YYYY-MM-DDTHH:MM:SS[.fff]Z", r.time));
    }
    if (!is_hex64(r.policy_digest)) {
      return fail_key("policy_digest", fmt::format("`{}` is not a SHA-256 digest (64 lowercase hex digits)",
                                                   r.policy_digest));
    }
    if (!Date::parse(r.as_of)) return fail_key("as_of", fmt::format("`{}` is not a date (YYYY-MM-DD)", r.as_of));
    if (r.rules_as_of != "latest" && !Date::parse(r.rules_as_of)) {
      return fail_key("rules_as_of", fmt::format("`{}` is not a date (YYYY-MM-DD) or \"latest\"", r.rules_as_of));
    }
    if (has_digest && !is_hex64(r.facts_digest)) {
      return fail_key("facts_digest", fmt::format("`{}` is not a SHA-256 digest (64 lowercase hex digits)",
                                                  r.facts_digest));
    }
    if (r.decision.empty()) return fail_key("decision", "is empty");
    return true;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  bool seen_[std::size(kKeys)] = {};
  std::string error_;
};

}  // namespace

std::optional<DecisionRecord> parse_log_line(std::string_view line, std::string* error) {
  return RecordReader(line).read(error);
}

// }==========================================================================

// A random 64-bit prefix per thread (OpenSSL's generator, once) and a counter: ids stay unique without a call
// into the generator per decision, which costs a getpid() system call and a lock each time (a service answers
// tens of thousands of decisions a second).
std::string new_decision_id() {
  thread_local const std::string prefix = core::random_hex(8);
  thread_local std::uint64_t counter = 0;
  return prefix + fmt::format("{:016x}", ++counter);
}

std::string now_utc() {
  using namespace std::chrono;
  const auto now = time_point_cast<milliseconds>(system_clock::now());
  const auto seconds = time_point_cast<std::chrono::seconds>(now);
  const auto millis = (now - seconds).count();
  const std::time_t t = system_clock::to_time_t(seconds);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

std::vector<FieldDifference> compare_decisions(const DecisionRecord& logged, const DecisionRecord& replayed) {
  std::vector<FieldDifference> out;
  const auto quoted = [](std::string_view text) {
    std::string s;
    core::append_json_string(s, text);
    return s;
  };
  const auto list = [](const std::vector<std::string>& items) {
    std::string s;
    core::append_json_strings(s, items);
    return s;
  };
  if (logged.decision != replayed.decision) {
    out.push_back({"decision", quoted(logged.decision), quoted(replayed.decision)});
  }
  const auto compare_set = [&](const char* field, std::vector<std::string> a, std::vector<std::string> b) {
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    if (a != b) out.push_back({field, list(a), list(b)});
  };
  compare_set("classifications", logged.classifications, replayed.classifications);
  compare_set("deciding_rules", logged.deciding_rules, replayed.deciding_rules);
  compare_set("exemptions", logged.exemptions, replayed.exemptions);
  return out;
}

}  // namespace edict::audit
