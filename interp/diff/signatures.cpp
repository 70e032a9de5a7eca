// Cause signatures of changed cases (see signatures.hpp): what each rule's trace block can depend on.
#include "diff/signatures.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "api/internals.hpp"
#include "eval/value.hpp"

namespace edict::diff {

namespace {

using Bits = std::vector<std::uint64_t>;

void set_bit(Bits& b, std::size_t i) { b[i / 64] |= std::uint64_t{1} << (i % 64); }
bool bit(const Bits& b, std::size_t i) { return (b[i / 64] >> (i % 64)) & 1u; }
void or_into(Bits& to, const Bits& from) {
  for (std::size_t i = 0; i < to.size(); ++i) to[i] |= from[i];
}

}  // namespace

// What the trace block of each rule or exemption of one program can depend on, besides the dates and the
// fired rules: the facts its condition can read (through definitions, parameters, tiers and fact defaults),
// and those of every entity sharing a definition, parameter or tier with it (these are memoised: the entity
// evaluated first shows their steps, so which entity that is depends on the other entity's facts).
struct ProgramReads {
  const CompiledProgram* p = nullptr;
  std::size_t words = 0;
  std::unordered_map<std::string_view, std::uint32_t> entity_by_name;
  std::vector<Bits> relevant;  // per entity: fact slots

  explicit ProgramReads(const CompiledProgram& program) : p(&program), words((program.facts.size() + 63) / 64 + 1) {
    const std::size_t items = program.definitions.size() + program.parameters.size() + program.tiers.size();
    std::vector<Bits> item_facts(items, Bits(words));  // memo: reads of each shared item
    std::vector<std::vector<std::uint32_t>> item_items(items);
    std::vector<std::uint8_t> item_state(items, 0);                          // 0 new, 1 running, 2 done
    std::vector<Bits> own(program.entities.size(), Bits(words));
    std::vector<std::vector<std::uint32_t>> touched(program.entities.size());
    // Adds the reads of `node` to (facts, items).
    const auto walk = [&](auto&& self, std::uint32_t node, Bits& facts, std::vector<std::uint32_t>& its) -> void {
      if (node == ir::kNone || node >= program.nodes.size()) return;
      const auto& n = program.nodes[node];
      const auto add_fact = [&](std::uint32_t slot) {
        for (int guard = 0; slot < program.facts.size() && guard < 8; ++guard) {
          set_bit(facts, slot);
          const auto d = program.facts[slot].default_node;
          if (d == ir::kNone || program.nodes[d].op != ir::Op::kFact) break;
          slot = program.nodes[d].a;
        }
      };
      const auto add_item = [&](std::uint32_t item, auto&& body) {
        its.push_back(item);
        if (item_state[item] == 0) {
          item_state[item] = 1;
          Bits f(words);
          std::vector<std::uint32_t> i2;
          body(f, i2);
          item_facts[item] = std::move(f);
          item_items[item] = std::move(i2);
          item_state[item] = 2;
        }
        or_into(facts, item_facts[item]);
        its.insert(its.end(), item_items[item].begin(), item_items[item].end());
      };
      switch (n.op) {
        case ir::Op::kConstBool: case ir::Op::kConstNum: case ir::Op::kConstStr: case ir::Op::kConstDate:
        case ir::Op::kConstEnum: case ir::Op::kClassified:
          return;
        case ir::Op::kFact:
        case ir::Op::kPresent: add_fact(n.a); return;
        case ir::Op::kDefinition:
          if (n.a < program.definitions.size()) {
            add_item(n.a, [&](Bits& f, std::vector<std::uint32_t>& i2) { self(self, program.definitions[n.a].node, f, i2); });
          }
          return;
        case ir::Op::kParameter:
          if (n.a < program.parameters.size()) {
            add_item(static_cast<std::uint32_t>(program.definitions.size() + n.a),
                     [&](Bits& f, std::vector<std::uint32_t>& i2) {
                       for (const auto& st : program.parameters[n.a].steps) self(self, st.value, f, i2);
                     });
          }
          return;
        case ir::Op::kTier:
          if (n.a < program.tiers.size()) {
            add_item(static_cast<std::uint32_t>(program.definitions.size() + program.parameters.size() + n.a),
                     [&](Bits& f, std::vector<std::uint32_t>& i2) {
                       for (const auto& c : program.tiers[n.a].cases) self(self, c.condition, f, i2);
                     });
          }
          return;
        case ir::Op::kSetGroup:
          if (n.a < program.groups.size()) self(self, program.groups[n.a].definition, facts, its);
          return;
        default:
          break;
      }
      self(self, n.a, facts, its);
      self(self, n.b, facts, its);
      self(self, n.c, facts, its);
      for (std::uint32_t k = 0; k < n.kid_count; ++k) self(self, program.kid_list[n.first_kid + k], facts, its);
    };
    for (std::uint32_t e = 0; e < program.entities.size(); ++e) {
      entity_by_name.emplace(program.entities[e].name, e);
      for (const auto& v : program.entities[e].versions) walk(walk, v.condition, own[e], touched[e]);
      std::sort(touched[e].begin(), touched[e].end());
      touched[e].erase(std::unique(touched[e].begin(), touched[e].end()), touched[e].end());
    }
    std::vector<Bits> sharers(items, Bits(words));  // per item: the facts of every entity touching it
    for (std::size_t e = 0; e < own.size(); ++e) {
      for (const auto item : touched[e]) or_into(sharers[item], own[e]);
    }
    relevant = own;
    for (std::size_t e = 0; e < own.size(); ++e) {
      for (const auto item : touched[e]) or_into(relevant[e], sharers[item]);
    }
  }
};

namespace {

void add_dates(const CompiledProgram& p, std::vector<Date>& out) {
  for (const auto& e : p.entities) {
    for (const auto& v : e.versions) {
      out.push_back(v.from);
      out.push_back(v.until);
    }
  }
  for (const auto& g : p.groups) {
    for (const auto& events : g.enum_events) {
      for (const auto& ev : events) out.push_back(ev.from);
    }
    for (const auto& events : g.entry_events) {
      for (const auto& ev : events) out.push_back(ev.from);
    }
  }
  for (const auto& prm : p.parameters) {
    for (const auto& st : prm.steps) out.push_back(st.from);
  }
}

void put(std::string& sig, std::string_view s) {
  const auto n = static_cast<std::uint32_t>(s.size());
  sig.append(reinterpret_cast<const char*>(&n), sizeof n);
  sig.append(s);
}

void put_decision(std::string& sig, const Decision& d) {
  put(sig, d.decision);
  sig += static_cast<char>(d.classifications.size());
  for (const auto c : d.classifications) put(sig, c);
  sig += static_cast<char>(d.fired.size());
  for (const auto f : d.fired) put(sig, f);
}

void mark(const ProgramReads& reads, Bits& mask, std::string_view entity) {
  const auto it = reads.entity_by_name.find(entity);
  if (it != reads.entity_by_name.end()) or_into(mask, reads.relevant[it->second]);
}

}  // namespace

CauseSignatures::CauseSignatures(const Policy& old_policy, const Policy& new_policy)
    : old_reads_(std::make_unique<ProgramReads>(program_of(old_policy))),
      new_reads_(std::make_unique<ProgramReads>(program_of(new_policy))) {
  add_dates(program_of(old_policy), boundaries_);
  add_dates(program_of(new_policy), boundaries_);
  std::sort(boundaries_.begin(), boundaries_.end());
  boundaries_.erase(std::unique(boundaries_.begin(), boundaries_.end()), boundaries_.end());
}

CauseSignatures::~CauseSignatures() = default;

// Marks the facts relevant to the entities that fired in `from` and not in `to`.
void CauseSignatures::mark_changed(const Decision& from, const Decision& to) {
  for (const auto f : from.fired) {
    if (std::find(to.fired.begin(), to.fired.end(), f) != to.fired.end()) continue;
    mark(*old_reads_, old_mask_, f);
    mark(*new_reads_, new_mask_, f);
  }
}

bool CauseSignatures::start(char kind, const Decision& a, const Decision& b, Date as_of) {
  if (a.indeterminate || b.indeterminate) return false;
  signature_.clear();
  signature_ += kind;
  put_decision(signature_, a);
  put_decision(signature_, b);
  const auto period = static_cast<std::uint32_t>(
      std::upper_bound(boundaries_.begin(), boundaries_.end(), as_of) - boundaries_.begin());
  signature_.append(reinterpret_cast<const char*>(&period), sizeof period);
  old_mask_.assign(old_reads_->words, 0);
  new_mask_.assign(new_reads_->words, 0);
  mark_changed(a, b);
  mark_changed(b, a);
  return true;
}

bool CauseSignatures::make(const Decision& a, const Decision& b, const Facts& facts, Date as_of) {
  if (!start('T', a, b, as_of)) return false;
  const auto& op = *old_reads_->p;
  const auto& np = *new_reads_->p;
  for (const auto& e : facts.entries()) {
    const auto oi = op.fact_index.find(e.path);
    bool used = oi != op.fact_index.end() && bit(old_mask_, oi->second);
    if (&op == &np) {
      used = used || (oi != op.fact_index.end() && bit(new_mask_, oi->second));
    } else if (!used) {
      const auto ni = np.fact_index.find(e.path);
      used = ni != np.fact_index.end() && bit(new_mask_, ni->second);
    }
    if (!used) continue;
    put(signature_, e.path);
    signature_ += static_cast<char>(e.value.kind);
    signature_ += e.value.boolean ? '1' : '0';
    put(signature_, e.value.text);
  }
  return true;
}

bool CauseSignatures::make_bound(const Decision& a, const Decision& b, const eval::BoundFacts& old_facts,
                                 const eval::BoundFacts& new_facts, Date as_of) {
  if (!start('B', a, b, as_of)) return false;
  if (old_reads_->p == new_reads_->p) {  // one program: one set of slots, read by either version
    put_bound(old_facts, old_mask_, new_mask_);
    return true;
  }
  put_bound(old_facts, old_mask_, old_mask_);
  signature_ += '|';  // the slot numbers of NEW's program follow
  put_bound(new_facts, new_mask_, new_mask_);
  return true;
}

void CauseSignatures::put_bound(const eval::BoundFacts& facts, const Bits& mask, const Bits& also) {
  for (std::uint32_t slot = 0; slot < facts.values.size(); ++slot) {
    if (!bit(mask, slot) && !bit(also, slot)) continue;
    const auto present = facts.present[slot];
    signature_.append(reinterpret_cast<const char*>(&slot), sizeof slot);
    signature_ += static_cast<char>(present);
    if (present == eval::kAbsent) continue;
    const auto& v = facts.values[slot];
    signature_ += static_cast<char>(v.kind);
    switch (v.kind) {
      case eval::Value::Kind::kBool: signature_ += v.boolean ? '1' : '0'; break;
      case eval::Value::Kind::kDate:
      case eval::Value::Kind::kEnum: signature_.append(reinterpret_cast<const char*>(&v.integer), sizeof v.integer); break;
      case eval::Value::Kind::kString: put(signature_, *v.string); break;
      case eval::Value::Kind::kNumber: {
        std::int64_t n = 0, d = 1;
        if (v.number.as_fraction(n, d)) {  // lowest terms: equal numbers, equal fractions
          signature_ += 's';
          signature_.append(reinterpret_cast<const char*>(&n), sizeof n);
          signature_.append(reinterpret_cast<const char*>(&d), sizeof d);
        } else {
          signature_ += 'b';
          put(signature_, v.number.to_rational().str());
        }
        break;
      }
      case eval::Value::Kind::kUnknown: break;
    }
  }
}

}  // namespace edict::diff
