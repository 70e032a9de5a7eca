// Plain JSON straight into a FactFrame (see plain_json.hpp). Every check here is a reason to give up, never
// an error message: the general path owns the messages. Where this reader is stricter than JSON (escapes,
// non-ASCII bytes, exponents, arrays), the general path reads the input instead.
#include "api/plain_json.hpp"

#include <bit>
#include <cstring>

namespace edict::api {

namespace {

static_assert(std::endian::native == std::endian::little, "plain_string finds a byte by the order of its bits");

class PlainReader {
 public:
  PlainReader(FrameState& frame, std::string_view text)
      : f_(frame), limits_(frame.program->limits), at_(text.data()), end_(text.data() + text.size()), size_(text.size()) {}

  // The whole text is one facts object.
  bool facts() {
    if (size_ > limits_.facts_bytes || limits_.facts_depth == 0) return false;
    return top_object_opened() && object(0, 1) && at_end();
  }

  // The whole text is one case object; its "facts" member goes into the frame.
  bool case_line(core::CaseLine& fields) {
    if (size_ > limits_.facts_bytes || limits_.facts_depth == 0 || !top_object_opened()) return false;
    unsigned seen = 0;  // a bit per field: a field twice is a duplicate key
    if (skip_ws() && *at_ == '}') return ++at_, at_end();
    for (;;) {
      std::string_view key;
      if (!member_key(key) || !count_entry()) return false;
      const unsigned bit = key == "id" ? 1u : key == "facts" ? 2u : key == "as_of" ? 4u : key == "rules_as_of" ? 8u : 0u;
      if (bit == 0 || (seen & bit) != 0) return false;
      seen |= bit;
      if (bit == 2) {
        if (*at_ != '{' || limits_.facts_depth <= 1) return false;  // the case object is the first level
        ++at_;
        if (!object(0, 2)) return false;
      } else if (!case_field(bit, fields)) {
        return false;
      }
      if (!skip_ws()) return false;
      if (*at_ == '}') return ++at_, at_end();
      if (*at_++ != ',') return false;
    }
  }

 private:
  // Whitespace as JSON has it; false at the end of the text. Machine-written JSON has none: a byte above
  // the space is the one test then.
  bool skip_ws() {
    if (at_ < end_ && static_cast<unsigned char>(*at_) > ' ') [[likely]] return true;
    while (at_ < end_ && (*at_ == ' ' || *at_ == '\n' || *at_ == '\r' || *at_ == '\t')) ++at_;
    return at_ < end_;
  }
  bool at_end() { return !skip_ws(); }
  bool top_object_opened() {
    if (!skip_ws() || *at_ != '{') return false;
    ++at_;
    return true;
  }
  // Every member value counts toward Limits::fact_entries, as in the general reader.
  bool count_entry() { return entries_++ < limits_.fact_entries; }

  // A string of printable ASCII without escapes, at the opening quote; `out` views its content. Eight bytes
  // at a time: the first quote, backslash, control or non-ASCII byte among them is found by its bit (the
  // lowest flagged byte is exact in each test below), and the string is plain when that byte is the quote.
  bool plain_string(std::string_view& out) {
    if (at_ >= end_ || *at_ != '"') return false;
    const char* start = ++at_;
    constexpr std::uint64_t kOnes = 0x0101010101010101u, kHigh = 0x8080808080808080u;
    const auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
    while (end_ - at_ >= 8) {
      std::uint64_t v;
      std::memcpy(&v, at_, 8);
      const std::uint64_t special = (v & kHigh) | ((v - 0x20 * kOnes) & ~v & kHigh) |
                                    zero_bytes(v ^ ('"' * kOnes)) | zero_bytes(v ^ ('\\' * kOnes));
      if (special != 0) {
        at_ += std::countr_zero(special) / 8;  // little-endian: the lowest bit is the first byte
        return closing_quote(start, out);
      }
      at_ += 8;
    }
    while (at_ < end_) {
      const auto c = static_cast<unsigned char>(*at_);
      if (c == '"' || c < 0x20 || c >= 0x80 || c == '\\') return closing_quote(start, out);
      ++at_;
    }
    return false;
  }
  // At the first special byte of a string that started at `start`: the end of a plain string, or not plain.
  bool closing_quote(const char* start, std::string_view& out) {
    if (*at_ != '"') return false;
    out = std::string_view(start, static_cast<std::size_t>(at_ - start));
    ++at_;
    return true;
  }
  // `"key" :` and the whitespace after it.
  bool member_key(std::string_view& key) {
    if (!skip_ws() || !plain_string(key) || !skip_ws() || *at_ != ':') return false;
    ++at_;
    return skip_ws();
  }
  // A number by the strict JSON grammar, without an exponent, within Limits::fact_number_digits.
  bool plain_number(std::string_view& out) {
    const char* start = at_;
    if (*at_ == '-') ++at_;
    const char* mantissa = at_;
    const auto digit = [&] { return at_ < end_ && *at_ >= '0' && *at_ <= '9'; };
    if (!digit()) return false;
    if (*at_ == '0') {
      ++at_;
      if (digit()) return false;
    } else {
      while (digit()) ++at_;
    }
    std::size_t digits = static_cast<std::size_t>(at_ - mantissa);
    if (at_ < end_ && *at_ == '.') {
      const char* fraction = ++at_;
      while (digit()) ++at_;
      if (at_ == fraction) return false;
      digits += static_cast<std::size_t>(at_ - fraction);
    }
    if (at_ < end_ && (*at_ == 'e' || *at_ == 'E')) return false;
    if (digits > limits_.fact_number_digits) return false;
    out = std::string_view(start, static_cast<std::size_t>(at_ - start));
    return true;
  }
  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - at_) < word.size()) return false;
    for (const char c : word) {
      if (*at_++ != c) return false;
    }
    return true;
  }

  // The members of an object whose `{` was read, found in schema node `node`. `depth` counts the objects
  // open, this one included (Limits::facts_depth).
  bool object(std::uint32_t node, std::size_t depth) {
    if (skip_ws() && *at_ == '}') return ++at_, true;
    for (;;) {
      if (!skip_ws()) return false;
      const auto* member = expected_member(node);
      if (member == nullptr) {
        std::string_view key;
        if (!plain_string(key) || (member = find(node, key)) == nullptr) return false;
      }
      if (!skip_ws() || *at_ != ':') return false;
      ++at_;
      if (!skip_ws() || !count_entry() || !member_value(*member, depth)) return false;
      if (!skip_ws()) return false;
      if (*at_ == '}') return ++at_, true;
      if (*at_++ != ',') return false;
    }
  }

  // Cases of one source list their keys in the same order: when the key at at_ is, quoted, the key of the
  // member after the last one found, it is taken (and read) at once, without scanning it first. A schema key
  // is plain (no quote, backslash or control byte), so the text matched is a plain string. Null otherwise,
  // with nothing read.
  const FrameState::Member* expected_member(std::uint32_t node) {
    auto& n = f_.schema[node];
    if (n.next >= n.members.size() || *at_ != '"') return nullptr;
    const auto& m = n.members[n.next];
    const std::size_t size = m.key.size();
    if (static_cast<std::size_t>(end_ - at_) < size + 2 || at_[size + 1] != '"' || !same_bytes(at_ + 1, m.key.data(), size)) {
      return nullptr;
    }
    at_ += size + 2;
    ++n.next;
    return &m;
  }

  // Keys are short: compared by whole words, the last one overlapping the one before (a key shorter than a
  // word by two overlapping halves, and so on), without a call to memcmp or a loop over bytes.
  static bool same_bytes(const char* a, const char* b, std::size_t size) {
    if (size >= 8) {
      for (std::size_t i = 0; i + 8 < size; i += 8) {
        if (load<std::uint64_t>(a + i) != load<std::uint64_t>(b + i)) return false;
      }
      return load<std::uint64_t>(a + size - 8) == load<std::uint64_t>(b + size - 8);
    }
    if (size >= 4) {
      return load<std::uint32_t>(a) == load<std::uint32_t>(b) &&
             load<std::uint32_t>(a + size - 4) == load<std::uint32_t>(b + size - 4);
    }
    if (size >= 2) {
      return load<std::uint16_t>(a) == load<std::uint16_t>(b) &&
             load<std::uint16_t>(a + size - 2) == load<std::uint16_t>(b + size - 2);
    }
    return size == 0 || *a == *b;
  }
  template <typename Word>
  static Word load(const char* at) {
    Word w;
    std::memcpy(&w, at, sizeof w);
    return w;
  }

  // The member `key` of schema node `node` (a key out of the usual order); null when there is none.
  const FrameState::Member* find(std::uint32_t node, std::string_view key) {
    auto& n = f_.schema[node];
    std::size_t found = n.members.size();
    if (!n.index.empty()) {
      const auto it = n.index.find(key);
      if (it != n.index.end()) found = it->second;
    } else {
      const auto same = [&](const FrameState::Member& m) {
        return m.key.size() == key.size() && same_bytes(m.key.data(), key.data(), key.size());
      };
      for (found = 0; found < n.members.size() && !same(n.members[found]); ++found) {
      }
    }
    if (found == n.members.size()) return nullptr;
    n.next = static_cast<std::uint32_t>(found + 1);
    return &n.members[found];
  }

  bool member_value(const FrameState::Member& member, std::size_t depth) {
    using Kind = FactValue::Kind;
    switch (*at_) {
      case '{': return nested_object(member, depth);
      case '"': {
        std::string_view text;
        return plain_string(text) && text.size() <= limits_.fact_string_bytes &&
               leaf(member, {Kind::kString, false, text});
      }
      case 't': return literal("true") && leaf(member, {Kind::kBool, true, {}});
      case 'f': return literal("false") && leaf(member, {Kind::kBool, false, {}});
      case 'n': return literal("null") && null_leaf(member);
      default: {
        std::string_view text;
        return plain_number(text) && leaf(member, {Kind::kNumber, false, text});
      }
    }
  }

  // An object on the way to declared facts (and not a fact itself), opened once in this text.
  bool nested_object(const FrameState::Member& member, std::size_t depth) {
    if (depth >= limits_.facts_depth || member.child == ir::kNone || member.slot != ir::kNone) return false;
    auto& opened = f_.schema[member.child].opened_in;
    if (opened == f_.read_count) return false;
    opened = f_.read_count;
    ++at_;
    return object(member.child, depth + 1);
  }

  // The member's fact slot, given once in this text; kNone otherwise.
  std::uint32_t first_slot(const FrameState::Member& member) {
    const auto slot = member.slot;
    if (slot == ir::kNone || f_.given_in[slot] == f_.read_count) return ir::kNone;
    f_.given_in[slot] = f_.read_count;
    return slot;
  }

  bool leaf(const FrameState::Member& member, const eval::RawValue& raw) {
    const auto slot = first_slot(member);
    if (slot == ir::kNone) return false;
    if (raw.kind == FactValue::Kind::kString && f_.short_codes[slot] != nullptr) {
      // A code by its word, as convert() finds it by its text; one that is not a code goes on to convert().
      if (const auto code = f_.short_codes[slot]->find(raw.text); code >= 0) {
        auto& value = f_.facts.values[slot];
        value.kind = eval::Value::Kind::kEnum;
        value.integer = code;
        f_.facts.present[slot] = eval::kGiven;
        return true;
      }
    }
    const auto& p = *f_.program;
    if (!eval::store_fact(p, slot, raw, limits_, f_.facts).empty()) return false;
    f_.facts.present[slot] = eval::kGiven;
    return true;
  }
  // null leaves an optional fact absent (bind does the same); for any other fact it is an error.
  bool null_leaf(const FrameState::Member& member) {
    const auto slot = first_slot(member);
    return slot != ir::kNone && f_.program->facts[slot].optional;
  }

  bool case_field(unsigned bit, core::CaseLine& fields) {
    if (bit == 1) {
      std::string_view id;
      if (*at_ == '"') {
        if (!plain_string(id)) return false;
        fields.id_json.assign(1, '"').append(id) += '"';  // what append_json_string gives a plain string
        return true;
      }
      if (!plain_number(id)) return false;
      fields.id_json.assign(id);
      return true;
    }
    std::string_view text;
    if (!plain_string(text)) return false;
    const auto date = Date::parse(text);
    if (!date) return false;
    (bit == 4 ? fields.as_of : fields.rules_as_of) = date;
    return true;
  }

  FrameState& f_;
  const Limits& limits_;
  const char* at_;
  const char* const end_;
  const std::size_t size_;
  std::size_t entries_ = 0;
};

// Every fact absent and a new read count, so that given_in tells the slots given by this read.
void start(FrameState& frame) {
  frame.clear();
  if (++frame.read_count == 0) {  // wrapped: forget every stamp
    std::fill(frame.given_in.begin(), frame.given_in.end(), 0);
    for (auto& node : frame.schema) node.opened_in = 0;
    frame.read_count = 1;
  }
}

}  // namespace

bool read_plain_facts(FrameState& frame, std::string_view json) {
  start(frame);
  return PlainReader(frame, json).facts();
}

bool read_plain_case(FrameState& frame, std::string_view json, core::CaseLine& fields) {
  start(frame);
  fields.id_json.clear();
  fields.problem.clear();
  fields.as_of.reset();
  fields.rules_as_of.reset();
  return PlainReader(frame, json).case_line(fields);
}

}  // namespace edict::api
