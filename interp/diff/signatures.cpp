// Cause signatures of changed cases (see signatures.hpp): what each rule's trace block can depend on.
#include "diff/signatures.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "api/internals.hpp"

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
  const CompiledProgram& p;
  std::size_t words = 0;
  std::unordered_map<std::string_view, std::uint32_t> entity_by_name;
  std::vector<Bits> relevant;  // per entity: fact slots

  explicit ProgramReads(const CompiledProgram& program);

 private:
  // A shared item: a definition, then a parameter, then a tier, numbered in that order.
  struct Item {
    Bits facts;
    std::vector<std::uint32_t> items;  // the shared items it reads in turn
    std::uint8_t state = 0;            // 0 new, 1 running, 2 done
  };
  std::vector<Item> items_;

  void add_fact(std::uint32_t slot, Bits& facts) const;
  template <class Body>
  void add_item(std::uint32_t item, Bits& facts, std::vector<std::uint32_t>& its, Body&& body);
  void walk(std::uint32_t node, Bits& facts, std::vector<std::uint32_t>& its);
};

ProgramReads::ProgramReads(const CompiledProgram& program)
    : p(program), words((program.facts.size() + 63) / 64 + 1) {
  items_.resize(program.definitions.size() + program.parameters.size() + program.tiers.size(), Item{Bits(words), {}});
  std::vector<Bits> own(program.entities.size(), Bits(words));
  std::vector<std::vector<std::uint32_t>> touched(program.entities.size());
  for (std::uint32_t e = 0; e < program.entities.size(); ++e) {
    entity_by_name.emplace(program.entities[e].name, e);
    for (const auto& v : program.entities[e].versions) walk(v.condition, own[e], touched[e]);
    std::sort(touched[e].begin(), touched[e].end());
    touched[e].erase(std::unique(touched[e].begin(), touched[e].end()), touched[e].end());
  }
  std::vector<Bits> sharers(items_.size(), Bits(words));  // per item: the facts of every entity touching it
  for (std::size_t e = 0; e < own.size(); ++e) {
    for (const auto item : touched[e]) or_into(sharers[item], own[e]);
  }
  relevant = own;
  for (std::size_t e = 0; e < own.size(); ++e) {
    for (const auto item : touched[e]) or_into(relevant[e], sharers[item]);
  }
}

// The fact and the facts its default reads in turn.
void ProgramReads::add_fact(std::uint32_t slot, Bits& facts) const {
  for (int guard = 0; slot < p.facts.size() && guard < 8; ++guard) {
    set_bit(facts, slot);
    const auto d = p.facts[slot].default_node;
    if (d == ir::kNone || p.nodes[d].op != ir::Op::kFact) break;
    slot = p.nodes[d].a;
  }
}

template <class Body>
void ProgramReads::add_item(std::uint32_t item, Bits& facts, std::vector<std::uint32_t>& its, Body&& body) {
  its.push_back(item);
  if (items_[item].state == 0) {
    items_[item].state = 1;
    Bits f(words);
    std::vector<std::uint32_t> i2;
    body(f, i2);
    items_[item].facts = std::move(f);
    items_[item].items = std::move(i2);
    items_[item].state = 2;
  }
  or_into(facts, items_[item].facts);
  its.insert(its.end(), items_[item].items.begin(), items_[item].items.end());
}

// Adds the reads of `node` to (facts, its).
void ProgramReads::walk(std::uint32_t node, Bits& facts, std::vector<std::uint32_t>& its) {
  if (node == ir::kNone || node >= p.nodes.size()) return;
  const auto& n = p.nodes[node];
  const auto definitions = static_cast<std::uint32_t>(p.definitions.size());
  const auto parameters = static_cast<std::uint32_t>(p.parameters.size());
  switch (n.op) {
    case ir::Op::kConstBool: case ir::Op::kConstNum: case ir::Op::kConstStr: case ir::Op::kConstDate:
    case ir::Op::kConstEnum: case ir::Op::kClassified:
      return;
    case ir::Op::kFact:
    case ir::Op::kPresent: add_fact(n.a, facts); return;
    case ir::Op::kDefinition:
      if (n.a < definitions) {
        add_item(n.a, facts, its, [&](Bits& f, std::vector<std::uint32_t>& i2) { walk(p.definitions[n.a].node, f, i2); });
      }
      return;
    case ir::Op::kParameter:
      if (n.a < parameters) {
        add_item(definitions + n.a, facts, its, [&](Bits& f, std::vector<std::uint32_t>& i2) {
          for (const auto& st : p.parameters[n.a].steps) walk(st.value, f, i2);
        });
      }
      return;
    case ir::Op::kTier:
      if (n.a < p.tiers.size()) {
        add_item(definitions + parameters + n.a, facts, its, [&](Bits& f, std::vector<std::uint32_t>& i2) {
          for (const auto& c : p.tiers[n.a].cases) walk(c.condition, f, i2);
        });
      }
      return;
    case ir::Op::kSetGroup:
      if (n.a < p.groups.size()) walk(p.groups[n.a].definition, facts, its);
      return;
    default:
      break;
  }
  walk(n.a, facts, its);
  walk(n.b, facts, its);
  walk(n.c, facts, its);
  for (std::uint32_t k = 0; k < n.kid_count; ++k) walk(p.kid_list[n.first_kid + k], facts, its);
}

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

bool CauseSignatures::make(const Decision& a, const Decision& b, const Facts& facts, Date as_of) {
  if (a.indeterminate || b.indeterminate) return false;
  signature_.clear();
  put_decision(signature_, a);
  put_decision(signature_, b);
  const auto period = static_cast<std::uint32_t>(
      std::upper_bound(boundaries_.begin(), boundaries_.end(), as_of) - boundaries_.begin());
  signature_.append(reinterpret_cast<const char*>(&period), sizeof period);
  old_mask_.assign(old_reads_->words, 0);
  new_mask_.assign(new_reads_->words, 0);
  mark_changed(a, b);
  mark_changed(b, a);
  const auto& op = old_reads_->p;
  const auto& np = new_reads_->p;
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

}  // namespace edict::diff
