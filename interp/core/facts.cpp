// Facts: raw input values by dotted path, built in code or read from JSON without losing number text.
#include "edict/facts.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
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

void Facts::assign(std::string_view path, FactValue::Kind kind, std::string_view text, bool boolean) {
  FactEntry* entry = nullptr;
  for (FactEntry& e : entries_) {
    if (e.path == path) {
      entry = &e;
      break;
    }
  }
  if (entry == nullptr) {
    if (spare_.empty()) {
      entry = &entries_.emplace_back();
    } else {
      entry = &entries_.emplace_back(std::move(spare_.back()));
      spare_.pop_back();
    }
    entry->path.assign(path);
  }
  entry->value.kind = kind;
  entry->value.boolean = boolean;
  entry->value.text.assign(text);
  entry->source.clear();
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
  const auto it = std::ranges::find(entries_, path, &FactEntry::path);
  return it == entries_.end() ? nullptr : &*it;
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
//
// A small non-recursive reader over the input bytes: an explicit stack of open containers (depth limited by
// Limits::facts_depth), the current path built in one reusable string, entries written into the existing elements of
// the entry vector so that their strings keep their capacity when a Facts is refilled (assign_json).

namespace {

// Entry `count` of `entries` (which then counts count + 1 used elements), reusing an existing element or a
// spare one when there is one.
FactEntry& next_entry(std::vector<FactEntry>& entries, std::vector<FactEntry>& spare, std::size_t& count) {
  if (count == entries.size()) {
    if (!spare.empty()) {
      entries.push_back(std::move(spare.back()));
      spare.pop_back();
    } else {
      entries.emplace_back();
    }
  }
  return entries[count++];
}

// Keeps entries[0, count); the others go to `spare` with their storage.
void truncate_entries(std::vector<FactEntry>& entries, std::vector<FactEntry>& spare, std::size_t count) {
  try {
    // Last first, so that the next call takes them back in their order.
    for (std::size_t i = entries.size(); i > count; --i) spare.push_back(std::move(entries[i - 1]));
  } catch (const std::exception&) {  // no room to keep them: they are simply released
  }
  entries.resize(count);
}

struct Frame {
  bool array;            // an array: its content is validated and skipped
  std::uint32_t prefix;  // object: length of the path prefix of its members (0 at the top level)
};

// Per-thread scratch storage, reused across parses.
struct Scratch {
  std::string path;
  std::string skipped;  // strings inside arrays and their keys: validated, then dropped
  std::vector<Frame> frames;
  std::vector<std::uint32_t> order;  // duplicate detection in large documents
  std::vector<std::uint32_t> key_at;  // per entry: byte offset of its key (for duplicate-key errors)
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

const char* const kControlNames[32] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF",
                                       "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                       "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};

class JsonReader {
 public:
  JsonReader(std::string_view text, std::string_view source, const Limits& limits, std::vector<FactEntry>& entries,
             std::vector<FactEntry>& spare)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        source_(source),
        limits_(limits),
        entries_(entries),
        spare_(spare),
        s_(scratch()) {}

  // Fills entries_[0, count()) (reusing elements) and returns true, or sets the error and returns false.
  bool run();
  std::size_t count() const { return count_; }
  std::string take_error() { return std::move(error_); }

 private:
  bool fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
    return false;
  }
  // "line L, column C" of the byte at `at` (the end of input is one column past the last byte).
  std::string position(const char* at) const {
    std::size_t line = 1;
    const char* line_start = begin_;
    for (const char* q = begin_; q < at; ++q) {
      if (*q == '\n') {
        ++line;
        line_start = q + 1;
      }
    }
    return fmt::format("line {}, column {}", line, static_cast<std::size_t>(at - line_start) + 1);
  }
  // "line L, column C: message".
  bool fail_at(const char* at, std::string_view message) { return fail(fmt::format("{}: {}", position(at), message)); }
  // As fail_at, naming the path of the value being read when there is one: "line 2, column 9: `a.b`: ...".
  bool fail_value(const char* at, std::string_view message) {
    if (!in_value_ || s_.path.empty()) return fail_at(at, message);
    return fail_at(at, fmt::format("`{}`: {}", s_.path, message));
  }
  bool unexpected(std::string_view expected) {
    return fail_at(p_, fmt::format("unexpected {}; expected {}", describe(p_), expected));
  }
  std::string describe(const char* at) const {
    if (at >= end_) return "end of input";
    const unsigned char c = static_cast<unsigned char>(*at);
    if (c == '"') return "string literal";
    if (c == '-' || (c >= '0' && c <= '9')) return "number literal";
    if (c > 0x20 && c < 0x7f) return fmt::format("`{}`", static_cast<char>(c));
    return fmt::format("byte 0x{:02X}", static_cast<unsigned>(c));
  }

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  FactEntry& acquire(FactValue::Kind kind) {
    if (s_.key_at.size() <= count_) s_.key_at.resize(count_ + 1);
    s_.key_at[count_] = key_at_;
    FactEntry& entry = next_entry(entries_, spare_, count_);
    entry.path.assign(s_.path);
    entry.source.assign(source_);
    entry.value.kind = kind;
    entry.value.boolean = false;
    entry.value.text.clear();
    return entry;
  }

  bool push(bool array) {
    if (s_.frames.size() >= limits_.facts_depth) {
      return fail_at(p_ - 1, fmt::format("facts are nested deeper than {} levels", limits_.facts_depth));
    }
    s_.frames.push_back(Frame{array, static_cast<std::uint32_t>(s_.path.size())});
    if (array) ++arrays_;
    return true;
  }

  bool unterminated_string(const char* at) {
    return fail_value(at, "unexpected end of input in a string; expected `\"`");
  }

  bool string(std::string& out);
  bool utf8_sequence(std::string& out);
  bool escape_sequence(std::string& out);
  bool hex4(const char* at, std::uint32_t& cp);
  bool unicode_escape(const char* escape, std::string& out);
  bool string_value(std::string& out);
  bool number(std::string* out);
  bool literal(std::string_view word);
  bool value();
  bool check_duplicates();

  const char* const begin_;
  const char* p_;
  const char* const end_;
  std::string_view source_;
  const Limits& limits_;
  std::vector<FactEntry>& entries_;
  std::vector<FactEntry>& spare_;
  Scratch& s_;
  std::size_t count_ = 0;
  std::size_t arrays_ = 0;  // open arrays: while positive, values are validated but not recorded
  bool in_value_ = false;    // reading a value (not a key): errors name s_.path
  std::uint32_t key_at_ = 0;  // byte offset of the key of the member being read
  std::string error_;
};

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Reads the string at p_ (on its opening quote), appending its unescaped, UTF-8-validated content to `out`.
bool JsonReader::string(std::string& out) {
  ++p_;
  for (;;) {
    const char* run = p_;
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    out.append(run, static_cast<std::size_t>(p_ - run));
    if (p_ >= end_) return unterminated_string(p_);
    const unsigned char c = static_cast<unsigned char>(*p_);
    if (c == '"') {
      ++p_;
      return true;
    }
    if (c < 0x20) {
      return fail_value(p_, fmt::format("invalid string: control character U+{:04X} ({}) must be escaped",
                                     static_cast<unsigned>(c), kControlNames[c]));
    }
    if (!(c >= 0x80 ? utf8_sequence(out) : escape_sequence(out))) return false;
  }
}

// Copies the UTF-8 sequence whose lead byte (0x80 or above) is at p_ to `out` and moves p_ past it: one
// well-formed sequence (RFC 3629: no overlong forms, surrogates or code points past U+10FFFF).
bool JsonReader::utf8_sequence(std::string& out) {
  const unsigned char c = static_cast<unsigned char>(*p_);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    length = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    length = 3;
    if (c == 0xE0) low = 0xA0;
    if (c == 0xED) high = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    length = 4;
    if (c == 0xF0) low = 0x90;
    if (c == 0xF4) high = 0x8F;
  } else {
    return fail_value(p_, "invalid string: ill-formed UTF-8 byte");
  }
  for (std::size_t i = 1; i < length; ++i) {
    const char* q = p_ + i;
    if (q >= end_) return unterminated_string(q);
    const unsigned char b = static_cast<unsigned char>(*q);
    if (b < (i == 1 ? low : 0x80) || b > (i == 1 ? high : 0xBF)) {
      return fail_value(q, "invalid string: ill-formed UTF-8 byte");
    }
  }
  out.append(p_, length);
  p_ += length;
  return true;
}

// Appends the character of the backslash escape at p_ to `out` and moves p_ past the escape.
bool JsonReader::escape_sequence(std::string& out) {
  const char* escape = p_;
  if (++p_ >= end_) return unterminated_string(p_);
  switch (*p_) {
    case '"': out += '"'; break;
    case '\\': out += '\\'; break;
    case '/': out += '/'; break;
    case 'b': out += '\b'; break;
    case 'f': out += '\f'; break;
    case 'n': out += '\n'; break;
    case 'r': out += '\r'; break;
    case 't': out += '\t'; break;
    case 'u':
      if (!unicode_escape(escape, out)) return false;
      break;
    default: {
      const unsigned char e = static_cast<unsigned char>(*p_);
      if (e > 0x20 && e < 0x7f) {
        return fail_value(escape, fmt::format("invalid string: invalid escape `\\{}`", static_cast<char>(e)));
      }
      return fail_value(escape, "invalid string: invalid escape");
    }
  }
  ++p_;
  return true;
}

// Reads the 4 hex digits at `at` into `cp`.
bool JsonReader::hex4(const char* at, std::uint32_t& cp) {
  cp = 0;
  for (int i = 0; i < 4; ++i) {
    if (at + i >= end_) return unterminated_string(at + i);
    const int d = hex_digit(at[i]);
    if (d < 0) return fail_value(at + i, "invalid string: `\\u` must be followed by 4 hex digits");
    cp = cp * 16 + static_cast<std::uint32_t>(d);
  }
  return true;
}

// The `\uXXXX` escape (or surrogate pair of them) starting at `escape`, with p_ on its `u`: appends the code
// point to `out` as UTF-8 and leaves p_ on the last hex digit.
bool JsonReader::unicode_escape(const char* escape, std::string& out) {
  std::uint32_t cp = 0;
  if (!hex4(p_ + 1, cp)) return false;
  p_ += 4;  // on the last hex digit
  if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return fail_value(escape, "invalid string: low surrogate U+DC00..U+DFFF must follow a high surrogate");
  }
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    const char* next = p_ + 1;
    if (next + 1 >= end_ || next[0] != '\\' || next[1] != 'u') {
      return fail_value(next < end_ ? next : end_,
                        "invalid string: high surrogate U+D800..U+DBFF must be followed by `\\u` and a low "
                        "surrogate U+DC00..U+DFFF");
    }
    std::uint32_t low_cp = 0;
    if (!hex4(next + 2, low_cp)) return false;
    if (low_cp < 0xDC00 || low_cp > 0xDFFF) {
      return fail_value(next, "invalid string: high surrogate U+D800..U+DBFF must be followed by a low "
                              "surrogate U+DC00..U+DFFF");
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low_cp - 0xDC00);
    p_ = next + 5;
  }
  append_utf8(out, cp);
  return true;
}

// A string value at p_, within Limits::fact_string_bytes.
bool JsonReader::string_value(std::string& out) {
  const char* start = p_;
  if (!string(out)) return false;
  if (out.size() > limits_.fact_string_bytes) {
    return fail_value(start, fmt::format("string is {} bytes, more than the limit of {} bytes", out.size(),
                                         limits_.fact_string_bytes));
  }
  return true;
}

// Reads the number at p_ (strict RFC 8259 grammar), appending its text as written to *out when given. The
// digits before the exponent are bounded by Limits::fact_number_digits, the exponent by kMaxFactExponent.
bool JsonReader::number(std::string* out) {
  constexpr long kMaxFactExponent = 10000;  // as core::kMaxDecimalExponent (LANGUAGE.md section 8)
  const char* start = p_;
  const auto digit = [&] { return p_ < end_ && *p_ >= '0' && *p_ <= '9'; };
  std::size_t mantissa_digits = 0;
  const auto digits = [&](std::string_view after) {
    if (!digit()) {
      return fail_value(p_, p_ < end_ ? fmt::format("invalid number: expected a digit after `{}`", after)
                                      : fmt::format("unexpected end of input; expected a digit after `{}`", after));
    }
    while (digit()) ++p_;
    return true;
  };
  if (*p_ == '-') ++p_;
  const char* mantissa = p_;
  if (p_ < end_ && *p_ == '0') {
    ++p_;
    if (digit()) return fail_value(p_, "invalid number: leading zero");
  } else if (!digits(start < p_ ? "-" : "")) {
    return false;
  }
  mantissa_digits = static_cast<std::size_t>(p_ - mantissa);
  if (p_ < end_ && *p_ == '.') {
    ++p_;
    const char* fraction = p_;
    if (!digits(".")) return false;
    mantissa_digits += static_cast<std::size_t>(p_ - fraction);
  }
  if (mantissa_digits > limits_.fact_number_digits) {
    return fail_value(start, fmt::format("number has {} digits, more than the limit of {}", mantissa_digits,
                                         limits_.fact_number_digits));
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    const char exponent = *p_++;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
      const char sign = *p_++;
      if (!digits(std::string{exponent, sign})) return false;
    } else if (!digits(std::string(1, exponent))) {
      return false;
    }
    const char* q = p_;
    while (q[-1] >= '0' && q[-1] <= '9') --q;  // the exponent's digits are [q, p_)
    while (q + 1 < p_ && *q == '0') ++q;
    long value = 0;
    for (; q < p_ && value <= kMaxFactExponent; ++q) value = value * 10 + (*q - '0');
    if (value > kMaxFactExponent) {
      return fail_value(start, fmt::format("exponent of `{}` is beyond the limit of +-{}",
                                           std::string_view(start, static_cast<std::size_t>(p_ - start)),
                                           kMaxFactExponent));
    }
  }
  if (out != nullptr) out->append(start, static_cast<std::size_t>(p_ - start));
  return true;
}

bool JsonReader::literal(std::string_view word) {
  for (const char c : word) {
    if (p_ >= end_ || *p_ != c) return fail_at(p_, "invalid literal");
    ++p_;
  }
  return true;
}

// Reads one value at p_ (whitespace skipped). Objects and arrays are only opened here: run() reads their
// content. Outside arrays, an entry is recorded at the current path.
bool JsonReader::value() {
  if (p_ >= end_) return unexpected("`[`, `{`, or a literal");
  const bool record = arrays_ == 0;
  in_value_ = true;
  if (record && count_ >= limits_.fact_entries) {
    return fail_value(p_, fmt::format("facts have more than {} entries", limits_.fact_entries));
  }
  using Kind = FactValue::Kind;
  switch (*p_) {
    case '{':
      if (record) acquire(Kind::kObject);
      ++p_;
      return push(false);
    case '[':
      if (record) acquire(Kind::kArray);
      ++p_;
      return push(true);
    case '"':
      if (record) return string_value(acquire(Kind::kString).value.text);
      s_.skipped.clear();
      return string_value(s_.skipped);
    case 't':
      if (record) acquire(Kind::kBool).value.boolean = true;
      return literal("true");
    case 'f':
      if (record) acquire(Kind::kBool);
      return literal("false");
    case 'n':
      if (record) acquire(Kind::kNull);
      return literal("null");
    default:
      if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return number(record ? &acquire(Kind::kNumber).value.text : nullptr);
      return unexpected("`[`, `{`, or a literal");
  }
}

bool JsonReader::run() {
  s_.path.clear();
  s_.frames.clear();
  const auto size = static_cast<std::size_t>(end_ - begin_);
  if (size > limits_.facts_bytes) {
    return fail(fmt::format("facts are {} bytes, more than the limit of {} bytes", size, limits_.facts_bytes));
  }
  skip_ws();
  if (p_ >= end_) return unexpected("`{`");
  if (*p_ != '{') {
    // A malformed literal is reported as such ("not json": invalid literal); any other value is the wrong kind.
    const char c = *p_;
    if (c == 't' && !literal("true")) return false;
    if (c == 'f' && !literal("false")) return false;
    if (c == 'n' && !literal("null")) return false;
    if (c != '[' && c != '"' && c != '-' && (c < '0' || c > '9') && c != 't' && c != 'f' && c != 'n') {
      return unexpected("`{`");
    }
    const char* kind = c == '[' ? "an array" : c == '"' ? "a string" : (c == 't' || c == 'f') ? "a boolean"
                       : c == 'n' ? "null" : "a number";
    return fail(fmt::format("facts must be a JSON object, got {}", kind));
  }
  ++p_;
  if (!push(false)) return false;
  bool opened = true;  // just after `{` or `[`
  while (!s_.frames.empty()) {
    skip_ws();
    const Frame frame = s_.frames.back();
    const char close = frame.array ? ']' : '}';
    if (p_ < end_ && *p_ == close) {
      ++p_;
      if (frame.array) --arrays_;
      s_.frames.pop_back();
      opened = false;
      continue;
    }
    if (!opened) {
      if (p_ >= end_ || *p_ != ',') return unexpected(frame.array ? "`,` or `]`" : "`,` or `}`");
      ++p_;
      skip_ws();
    }
    if (!frame.array) {
      if (p_ >= end_ || *p_ != '"') return unexpected("string literal");
      in_value_ = false;
      if (arrays_ == 0) {
        key_at_ = static_cast<std::uint32_t>(p_ - begin_);
        s_.path.resize(frame.prefix);
        if (frame.prefix > 0) s_.path += '.';
        if (!string(s_.path)) return false;
      } else {
        s_.skipped.clear();
        if (!string(s_.skipped)) return false;
      }
      skip_ws();
      if (p_ >= end_ || *p_ != ':') return unexpected("`:`");
      ++p_;
      skip_ws();
    }
    const std::size_t depth = s_.frames.size();
    if (!value()) return false;
    opened = s_.frames.size() > depth;  // a container was opened
  }
  skip_ws();
  if (p_ < end_) return unexpected("end of input");
  return check_duplicates();
}

// Two entries at one path: the same key twice in an object, or a dotted key and a nested object giving the
// same path ({"a.b": 1, "a": {"b": 2}}). Reports the first entry whose path occurred before, where its key is,
// and where the earlier one is.
bool JsonReader::check_duplicates() {
  const std::size_t n = count_;
  std::size_t second = n, first = n;
  if (n <= 64) {
    for (std::size_t j = 1; j < n && second == n; ++j) {
      for (std::size_t i = 0; i < j; ++i) {
        if (entries_[i].path == entries_[j].path) {
          second = j;
          first = i;
          break;
        }
      }
    }
  } else {
    auto& order = s_.order;
    order.resize(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const int c = entries_[a].path.compare(entries_[b].path);
      return c != 0 ? c < 0 : a < b;
    });
    std::size_t run_start = 0;  // the first (lowest) index of the current run of equal paths
    for (std::size_t k = 1; k < n; ++k) {
      if (entries_[order[k]].path != entries_[order[k - 1]].path) {
        run_start = k;
      } else if (order[k] < second) {
        second = order[k];
        first = order[run_start];
      }
    }
  }
  if (second == n) return true;
  in_value_ = false;
  return fail_at(begin_ + s_.key_at[second], fmt::format("duplicate key `{}` (first at {})", entries_[second].path,
                                                         position(begin_ + s_.key_at[first])));
}

}  // namespace

bool Facts::assign_json(std::string_view json, std::string* error, std::string_view source, const Limits& limits) {
  std::size_t count = 0;
  bool ok = false;
  std::string message;
  try {
    if (entries_.capacity() < 16) entries_.reserve(16);
    JsonReader reader(json, source, limits, entries_, spare_);
    ok = reader.run();
    count = reader.count();
    if (!ok) message = reader.take_error();
  } catch (const std::exception&) {  // std::bad_alloc, std::length_error
    ok = false;
    message = "out of memory while reading JSON";
  }
  if (!ok) count = 0;
  // Surplus elements keep their storage in spare_ for the next call.
  truncate_entries(entries_, spare_, count);
  if (!ok && error != nullptr) *error = std::move(message);
  return ok;
}

void Facts::clear() { truncate_entries(entries_, spare_, 0); }

void Facts::assign_subtree(const Facts& from, std::string_view prefix) {
  if (&from == this) {
    const Facts copy = from;
    assign_subtree(copy, prefix);
    return;
  }
  std::size_t count = 0;
  for (const FactEntry& e : from.entries_) {
    std::size_t cut = 0;
    if (!prefix.empty()) {
      if (e.path.size() <= prefix.size() || e.path[prefix.size()] != '.' || !e.path.starts_with(prefix)) continue;
      cut = prefix.size() + 1;
    }
    FactEntry& entry = next_entry(entries_, spare_, count);
    entry.path.assign(e.path, cut);
    entry.value.kind = e.value.kind;
    entry.value.boolean = e.value.boolean;
    entry.value.text.assign(e.value.text);
    entry.source.assign(e.source);
  }
  truncate_entries(entries_, spare_, count);
}

std::optional<Facts> Facts::from_json(std::string_view json, std::string* error, std::string source,
                                      const Limits& limits) {
  Facts facts;
  if (!facts.assign_json(json, error, source, limits)) return std::nullopt;
  facts.spare_ = {};
  return facts;
}

std::optional<Facts> Facts::from_json(std::string_view json, std::string* error, std::string source,
                                      std::size_t max_depth) {
  Limits limits;
  limits.facts_depth = max_depth;
  return from_json(json, error, std::move(source), limits);
}

}  // namespace edict
