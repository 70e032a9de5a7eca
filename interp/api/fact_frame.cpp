// Prepared facts (edict/fact_frame.hpp): values converted by the one conversion bind() uses (eval::convert),
// one fact at a time, into bound facts that Session::decide reads as they are.
#include <algorithm>
#include <charconv>
#include <utility>

#include <fmt/format.h>

#include "api/fact_frame_state.hpp"
#include "api/internals.hpp"
#include "api/plain_json.hpp"

namespace edict {

api::FrameState::FrameState(std::shared_ptr<const CompiledProgram> p) : program(std::move(p)) {
  const auto count = program->facts.size();
  facts.values.resize(count);
  facts.present.assign(count, eval::kAbsent);
  facts.strings.resize(count);
  facts.name_keys.resize(count);
  facts.name_key_stale.resize(count, 1);
  given_in.assign(count, 0);
  schema.emplace_back();
  for (std::uint32_t slot = 0; slot < count; ++slot) {
    if (program->facts[slot].default_node != ir::kNone) defaulted_slots.push_back(slot);
    add_to_schema(slot);
  }
  code_tables.reserve(program->enums.size());  // the pointers below stay valid
  for (const auto& type : program->enums) code_tables.emplace_back(type);
  short_codes.assign(count, nullptr);
  for (std::uint32_t slot = 0; slot < count; ++slot) {
    const auto& type = program->facts[slot].type;
    if (type.type == ir::Type::kEnum && !code_tables[type.enum_id].empty()) short_codes[slot] = &code_tables[type.enum_id];
  }
  constexpr std::size_t kScanned = 16;  // members found by a linear scan up to this many
  for (auto& node : schema) {
    if (node.members.size() <= kScanned) continue;
    for (std::uint32_t m = 0; m < node.members.size(); ++m) node.index.emplace(node.members[m].key, m);
  }
}

// Puts fact `slot` in the schema tree, one node per object of its dotted path.
void api::FrameState::add_to_schema(std::uint32_t slot) {
  const std::string_view path = program->facts[slot].path;
  std::uint32_t node = 0;
  for (std::size_t start = 0;;) {
    const auto dot = path.find('.', start);
    const auto key = path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    auto& members = schema[node].members;
    auto it = std::find_if(members.begin(), members.end(), [&](const Member& m) { return m.key == key; });
    if (it == members.end()) it = members.insert(members.end(), Member{std::string(key), ir::kNone, ir::kNone});
    if (dot == std::string_view::npos) {
      it->slot = slot;
      return;
    }
    auto child = it->child;
    if (child == ir::kNone) {
      child = it->child = static_cast<std::uint32_t>(schema.size());
      schema.emplace_back();  // may move the nodes: `it` is not used after this
    }
    node = child;
    start = dot + 1;
  }
}

void api::FrameState::clear() {
  std::fill(facts.present.begin(), facts.present.end(), eval::kAbsent);
  errors.clear();
  warnings.clear();
  defaults_stale = true;
}

const eval::BoundFacts& api::FrameState::bound() {
  if (defaults_stale) {
    for (const auto slot : defaulted_slots) {
      if (facts.present[slot] == eval::kDefaulted) facts.present[slot] = eval::kAbsent;
    }
    for (const auto slot : defaulted_slots) eval::fill_default(*program, facts, slot);
    defaults_stale = false;
  }
  return facts;
}

FactFrame::FactFrame(const Policy& policy)
    : state_(std::make_unique<api::FrameState>(detail::Internals::shared_program(policy))) {}
FactFrame::~FactFrame() = default;
FactFrame::FactFrame(FactFrame&&) noexcept = default;
FactFrame& FactFrame::operator=(FactFrame&&) noexcept = default;

FactRef FactFrame::fact(std::string_view path) const {
  const auto& index = state_->program->fact_index;
  const auto it = index.find(path);
  return it == index.end() ? FactRef{} : FactRef{it->second};
}

FactCode FactFrame::code(FactRef fact, std::string_view text) const {
  const auto& p = *state_->program;
  if (!fact.valid() || fact.slot >= p.facts.size()) return {};
  const auto& type = p.facts[fact.slot].type;
  if (type.type != ir::Type::kEnum) return {};
  const auto& codes = p.enums[type.enum_id].index;
  const auto it = codes.find(text);
  return it == codes.end() ? FactCode{} : FactCode{static_cast<std::int32_t>(it->second)};
}

// By the one conversion of bind(); on a misfit the fact is absent and the error kept.
bool api::FrameState::put(FactRef fact, const eval::RawValue& raw) {
  auto& s = *this;
  const auto& p = *s.program;
  s.defaults_stale = true;
  if (!fact.valid() || fact.slot >= p.facts.size()) {
    s.errors.emplace_back("a FactRef that is not a fact of this policy (resolve it with FactFrame::fact)");
    return false;
  }
  auto message = eval::store_fact(p, fact.slot, raw, p.limits, s.facts);
  if (!message.empty()) {
    s.facts.present[fact.slot] = eval::kAbsent;
    s.errors.push_back(std::move(message));
    return false;
  }
  s.facts.present[fact.slot] = eval::kGiven;
  return true;
}

bool FactFrame::set_bool(FactRef fact, bool value) {
  return state_->put(fact, {FactValue::Kind::kBool, value, {}});
}

bool FactFrame::set_integer(FactRef fact, long long value) {
  auto& s = *state_;
  const auto& p = *s.program;
  char digits[24];
  const auto text = [&] {
    return std::string_view(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, value).ptr - digits));
  };
  // A whole number fits a number fact within the digit limit: the value is made without parsing its text
  // (what eval::convert would conclude from it); anything else goes through the one conversion. A long long
  // has at most 19 digits, so its text is only made under a lower limit.
  constexpr std::size_t kMaxDigits = 19;
  const bool within_limit =
      p.limits.fact_number_digits >= kMaxDigits || text().size() - (value < 0 ? 1 : 0) <= p.limits.fact_number_digits;
  if (fact.valid() && fact.slot < p.facts.size() && p.facts[fact.slot].type.type == ir::Type::kNumber && within_limit) {
    auto& v = s.facts.values[fact.slot];
    v.kind = eval::Value::Kind::kNumber;
    v.number.set_int(value);
    s.facts.present[fact.slot] = eval::kGiven;
    s.defaults_stale = true;
    return true;
  }
  return s.put(fact, {FactValue::Kind::kNumber, false, text()});
}

bool FactFrame::set_decimal(FactRef fact, std::string_view exact_text) {
  return state_->put(fact, {FactValue::Kind::kNumber, false, exact_text});
}

bool FactFrame::set_string(FactRef fact, std::string_view value) {
  return state_->put(fact, {FactValue::Kind::kString, false, value});
}

bool FactFrame::set_code(FactRef fact, FactCode code) {
  auto& s = *state_;
  const auto& p = *s.program;
  const bool is_code = fact.valid() && fact.slot < p.facts.size() && p.facts[fact.slot].type.type == ir::Type::kEnum;
  const std::size_t code_count = is_code ? p.enums[p.facts[fact.slot].type.enum_id].codes.size() : 0;
  if (!code.valid() || static_cast<std::size_t>(code.index) >= code_count) {
    s.defaults_stale = true;
    if (fact.valid() && fact.slot < p.facts.size()) s.facts.present[fact.slot] = eval::kAbsent;
    s.errors.push_back(fmt::format("`{}`: not a code of this fact (resolve it with FactFrame::code)",
                                   fact.valid() && fact.slot < p.facts.size() ? p.facts[fact.slot].path : "?"));
    return false;
  }
  // A code resolved by FactFrame::code is known to fit: no text to look up again.
  auto& value = s.facts.values[fact.slot];
  value.kind = eval::Value::Kind::kEnum;
  value.integer = code.index;
  s.facts.present[fact.slot] = eval::kGiven;
  s.defaults_stale = true;
  return true;
}

bool FactFrame::set_date(FactRef fact, Date value) {
  const auto text = value.to_string();
  return state_->put(fact, {FactValue::Kind::kString, false, text});
}

void FactFrame::set_absent(FactRef fact) {
  auto& s = *state_;
  if (fact.valid() && fact.slot < s.facts.present.size()) s.facts.present[fact.slot] = eval::kAbsent;
  s.defaults_stale = true;
}

void FactFrame::clear() { state_->clear(); }

// Plain JSON goes straight into the slots; anything else through the one JSON reader and bind(), which give
// the messages (api/plain_json.hpp).
bool FactFrame::assign_json(std::string_view json, std::string* error) {
  auto& s = *state_;
  if (api::read_plain_facts(s, json)) return true;
  s.clear();
  const auto& limits = s.program->limits;
  std::string message;
  if (!s.general.assign_json(json, &message, {}, limits)) {
    if (error != nullptr) *error = std::move(message);
    return false;
  }
  eval::bind(*s.program, s.general, limits, s.facts, &s.errors, &s.warnings);
  s.defaults_stale = false;  // bind() filled them
  return true;
}

const std::vector<std::string>& FactFrame::errors() const { return state_->errors; }
const std::vector<std::string>& FactFrame::warnings() const { return state_->warnings; }

}  // namespace edict
