// Facts: raw input values by dotted path, built in code or read from JSON without losing number text.
#include "edict/facts.hpp"

#include <algorithm>
#include <cstddef>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace edict {

// ---- setters ----

void Facts::set(std::string path, FactValue value, std::string source) {
  for (FactEntry& entry : entries_) {
    if (entry.path == path) {
      entry.value = std::move(value);
      entry.source = std::move(source);
      return;
    }
  }
  entries_.push_back(FactEntry{std::move(path), std::move(value), std::move(source)});
}

void Facts::set_number(std::string path, std::string decimal_text) {
  set(std::move(path), FactValue{FactValue::Kind::kNumber, false, std::move(decimal_text)});
}

void Facts::set_integer(std::string path, long long value) {
  set(std::move(path), FactValue{FactValue::Kind::kNumber, false, std::to_string(value)});
}

void Facts::set_bool(std::string path, bool value) {
  set(std::move(path), FactValue{FactValue::Kind::kBool, value, {}});
}

void Facts::set_string(std::string path, std::string value) {
  set(std::move(path), FactValue{FactValue::Kind::kString, false, std::move(value)});
}

void Facts::set_date(std::string path, Date value) {
  set(std::move(path), FactValue{FactValue::Kind::kString, false, value.to_string()});
}

void Facts::set_null(std::string path) { set(std::move(path), FactValue{}); }

const FactEntry* Facts::find(std::string_view path) const {
  for (const FactEntry& entry : entries_) {
    if (entry.path == path) return &entry;
  }
  return nullptr;
}

// ---- merge ----

namespace {

std::string display_value(const FactValue& value) {
  switch (value.kind) {
    case FactValue::Kind::kNull:
      return "null";
    case FactValue::Kind::kBool:
      return value.boolean ? "true" : "false";
    case FactValue::Kind::kNumber:
      return value.text;
    case FactValue::Kind::kString:
      return nlohmann::json(value.text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    case FactValue::Kind::kObject:
      return "an object";
    case FactValue::Kind::kArray:
      return "an array";
  }
  return {};
}

std::string display_source(const std::string& source) {
  return source.empty() ? std::string() : fmt::format(" from {}", source);
}

}  // namespace

bool Facts::merge(const Facts& other, std::string* conflict) {
  for (const FactEntry& theirs : other.entries_) {
    const FactEntry* ours = find(theirs.path);
    if (ours != nullptr && ours->value != theirs.value) {
      if (conflict != nullptr) {
        *conflict = fmt::format("conflicting values for `{}`: {}{}, {}{}", theirs.path, display_value(ours->value),
                                display_source(ours->source), display_value(theirs.value),
                                display_source(theirs.source));
      }
      return false;
    }
  }
  for (const FactEntry& theirs : other.entries_) {
    if (find(theirs.path) == nullptr) entries_.push_back(theirs);
  }
  return true;
}

// ---- JSON ----

namespace {

using Json = nlohmann::json;

// Builds the entries from SAX events. Members of nested objects get dotted paths, and each nested object also
// gets a kObject entry at its own path; an array is recorded as one kArray entry at its path and its content
// is skipped (only its depth is checked).
class FactsSax final : public nlohmann::json_sax<Json> {
 public:
  FactsSax(std::string source, std::size_t max_depth, const std::vector<std::pair<std::size_t, std::string>>* overrides)
      : source_(std::move(source)), max_depth_(max_depth), overrides_(overrides) {}

  bool null() override { return value(FactValue{}); }
  bool boolean(bool b) override { return value(FactValue{FactValue::Kind::kBool, b, {}}); }
  bool number_integer(number_integer_t v) override { return number(std::to_string(v)); }
  bool number_unsigned(number_unsigned_t v) override { return number(std::to_string(v)); }
  // `s` is the number's text exactly as written (nlohmann also uses this path for integers beyond 64 bits).
  bool number_float(number_float_t /*v*/, const string_t& s) override { return number(s); }
  bool string(string_t& s) override { return value(FactValue{FactValue::Kind::kString, false, s}); }
  bool binary(binary_t& /*b*/) override { return fail("unexpected binary value"); }

  bool start_object(std::size_t /*elements*/) override {
    if (!enter()) return false;
    if (array_depth_ > 0) return true;
    if (objects_.empty()) {
      if (depth_ != 1) return fail("facts must be a JSON object");
      objects_.push_back(Object{{}, {}});
      return true;
    }
    // A nested object is marked by an entry at its own path, before its members: the binder reports it
    // when the schema expects a value there, and ignores it when it is the prefix of declared facts.
    if (!add(pending_, FactValue{FactValue::Kind::kObject, false, {}})) return false;
    objects_.push_back(Object{pending_, {}});
    return true;
  }

  bool key(string_t& k) override {
    if (array_depth_ > 0) return true;
    Object& object = objects_.back();
    pending_ = object.prefix.empty() ? k : fmt::format("{}.{}", object.prefix, k);
    if (!object.keys.insert(k).second) return fail(fmt::format("duplicate key `{}`", pending_));
    return true;
  }

  bool end_object() override {
    --depth_;
    if (array_depth_ > 0) return true;
    objects_.pop_back();
    return true;
  }

  bool start_array(std::size_t /*elements*/) override {
    if (!enter()) return false;
    if (array_depth_++ > 0) return true;
    if (objects_.empty()) return fail("facts must be a JSON object");
    return add(pending_, FactValue{FactValue::Kind::kArray, false, {}});
  }

  bool end_array() override {
    --depth_;
    --array_depth_;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    parse_failed_ = true;
    position_ = position;
    last_token_ = last_token;
    exception_id_ = ex.id;
    message_ = ex.what();
    return false;
  }

  std::vector<FactEntry> take_entries() { return std::move(entries_); }
  const std::string& error() const { return error_; }
  bool parse_failed() const { return parse_failed_; }
  std::size_t position() const { return position_; }
  const std::string& last_token() const { return last_token_; }
  int exception_id() const { return exception_id_; }
  const std::string& message() const { return message_; }
  std::size_t numbers_seen() const { return numbers_seen_; }

 private:
  struct Object {
    std::string prefix;
    std::unordered_set<std::string> keys;
  };

  bool enter() {
    if (++depth_ > max_depth_) return fail(fmt::format("facts are nested deeper than {} levels", max_depth_));
    return true;
  }

  bool number(const std::string& text) {
    const std::size_t index = numbers_seen_++;
    if (overrides_ != nullptr) {
      for (const auto& [number_index, original] : *overrides_) {
        if (number_index == index) return value(FactValue{FactValue::Kind::kNumber, false, original});
      }
    }
    return value(FactValue{FactValue::Kind::kNumber, false, text});
  }

  bool value(FactValue v) {
    if (array_depth_ > 0) return true;
    if (objects_.empty()) return fail("facts must be a JSON object");
    return add(pending_, std::move(v));
  }

  bool add(const std::string& path, FactValue v) {
    // Catches collisions between dotted keys and nested objects: {"a.b": 1, "a": {"b": 2}}.
    if (!paths_.insert(path).second) return fail(fmt::format("duplicate key `{}`", path));
    entries_.push_back(FactEntry{path, std::move(v), source_});
    return true;
  }

  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }

  std::string source_;
  std::size_t max_depth_;
  const std::vector<std::pair<std::size_t, std::string>>* overrides_;
  std::vector<Object> objects_;
  std::unordered_set<std::string> paths_;
  std::vector<FactEntry> entries_;
  std::string pending_;  // path of the value that follows the last key
  std::size_t depth_ = 0;
  std::size_t array_depth_ = 0;
  std::size_t numbers_seen_ = 0;
  std::string error_;

  bool parse_failed_ = false;
  std::size_t position_ = 0;
  std::string last_token_;
  int exception_id_ = 0;
  std::string message_;
};

// Line and column (1-based, bytes) of the last byte nlohmann read: `position` counts the bytes read.
std::pair<std::size_t, std::size_t> line_column(std::string_view text, std::size_t position) {
  const std::size_t index = std::min(position > 0 ? position - 1 : 0, text.size());
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < index; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, index - line_start + 1};
}

// "[json.exception.parse_error.101] parse error at line 1, column 10: syntax error while parsing object key -
// unexpected '}'; expected string literal" -> "unexpected `}`; expected string literal".
std::string clean_message(std::string message) {
  if (message.starts_with("[json.exception.")) {
    const std::size_t end = message.find("] ");
    if (end != std::string::npos) message.erase(0, end + 2);
  }
  if (message.starts_with("parse error")) {
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos) message.erase(0, colon + 2);
  }
  if (message.starts_with("syntax error while parsing ")) {
    const std::size_t dash = message.find(" - ");
    if (dash != std::string::npos) message.erase(0, dash + 3);
  }
  // Drop "; last read: '...'": nlohmann's token buffer, which may span several lines.
  const std::size_t last_read = message.find("; last read: '");
  if (last_read != std::string::npos) {
    const std::size_t content = last_read + 14;
    std::size_t close = message.find("'; ", content);
    std::size_t resume = close == std::string::npos ? std::string::npos : close + 1;
    if (close == std::string::npos && message.size() > content && message.back() == '\'') resume = message.size();
    if (resume != std::string::npos) message.erase(last_read, resume - last_read);
  }
  for (char& c : message) {
    if (c == '\'') c = '`';
  }
  return message;
}

}  // namespace

std::optional<Facts> Facts::from_json(std::string_view json, std::string* error, std::string source,
                                      std::size_t max_depth) {
  // nlohmann rejects numbers a double cannot hold (1e400, integers of more than 308 digits) although the
  // lexer accepted their text. Such a number is replaced by "0" padded with spaces (keeping every byte
  // offset) and the document is parsed again, substituting the original text for that number.
  constexpr std::size_t kMaxOverflowingNumbers = 100;
  std::string patched;
  std::vector<std::pair<std::size_t, std::string>> overrides;
  std::string_view input = json;
  for (;;) {
    FactsSax sax(source, max_depth, &overrides);
    const bool ok = Json::sax_parse(input.begin(), input.end(), &sax);
    if (ok) {
      Facts facts;
      facts.entries_ = sax.take_entries();
      return facts;
    }
    if (!sax.parse_failed()) {
      if (error != nullptr) *error = sax.error();
      return std::nullopt;
    }
    const std::string& token = sax.last_token();
    const std::size_t end = sax.position();
    if (sax.exception_id() == 406 && overrides.size() < kMaxOverflowingNumbers && !token.empty() &&
        end >= token.size() && end <= input.size() && input.substr(end - token.size(), token.size()) == token) {
      if (patched.empty()) patched.assign(json);
      patched.replace(end - token.size(), token.size(), "0" + std::string(token.size() - 1, ' '));
      overrides.emplace_back(sax.numbers_seen(), token);
      input = patched;
      continue;
    }
    if (error != nullptr) {
      const auto [line, column] = line_column(input, end);
      *error = fmt::format("line {}, column {}: {}", line, column, clean_message(sax.message()));
    }
    return std::nullopt;
  }
}

}  // namespace edict
