// The candidate values of each fact: at, just below and just above each bound it is compared with (at the
// bound's decimal precision), a member of each cell of the overlap of the sets it is tested against, each
// value compared with ==, absent when it may be; and the facts varied together (those of a derived value).
#include <algorithm>
#include <functional>

#include "ir/walk.hpp"
#include "witness/search.hpp"

namespace edict::witness {

const ir::FactSlot* Search::slot(const Path& path) const {
  for (int i = 1; i >= 0; --i) {
    const auto it = sides_[i].p->fact_index.find(path);
    if (it != sides_[i].p->fact_index.end()) return &sides_[i].p->facts[it->second];
  }
  return nullptr;
}

// The value a fact takes when it is not varied (and the "default" for minimality): absent when that is
// allowed (optional, defaulted, or only tested for presence), else a neutral value of its type.
std::optional<FactValue> Search::representative(const Path& path) const {
  if (const auto it = rep_cache_.find(path); it != rep_cache_.end()) return it->second;
  auto rep = compute_representative(path);
  rep_cache_.emplace(path, rep);
  return rep;
}

std::optional<FactValue> Search::compute_representative(const Path& path) const {
  const auto* f = slot(path);
  if (f == nullptr) return std::nullopt;
  const auto it = knowledge_.facts.find(path);
  const bool present_tested = it != knowledge_.facts.end() && it->second.present_tested;
  if (f->optional || f->default_node != kNone || present_tested) return std::nullopt;
  // A fact that no condition of either side reads may stay absent.
  bool used = false;
  for (const auto& s : sides_) {
    const auto fi = s.p->fact_index.find(path);
    if (fi == s.p->fact_index.end()) continue;
    for (const auto& n : s.p->nodes) {
      if ((n.op == ir::Op::kFact || n.op == ir::Op::kPresent) && n.a == fi->second) used = true;
    }
  }
  if (!used) return std::nullopt;
  switch (f->type.type) {
    case ir::Type::kBool: return bool_value(false);
    case ir::Type::kNumber:
      return number_value(Rational(it != knowledge_.facts.end() && it->second.denominator ? 1 : 0));
    case ir::Type::kString: return string_value("Unlisted Party");
    case ir::Type::kDate: return string_value(dates_.front().to_string());
    case ir::Type::kEnum: {
      const auto* p = sides_[1].p->fact_index.count(path) ? sides_[1].p : sides_[0].p;
      // The most significant code (group_weights), not the first in the enumeration: CN rather than AD.
      const auto& codes = p->enums[f->type.enum_id].codes;
      if (codes.empty()) return std::nullopt;
      const auto weight = group_weights(f->type.enum_id, p);
      const auto best = std::max_element(weight.begin(), weight.end()) - weight.begin();
      return string_value(codes[static_cast<std::size_t>(best)]);
    }
    default: return std::nullopt;
  }
}

void Search::score(Candidate& c) const {
  c.non_default = 0;
  for (const auto& [path, value] : c.values) {
    if (value != representative(path)) ++c.non_default;
  }
}

std::vector<Candidate> Search::single_candidates(const Path& path) {
  std::vector<Candidate> out;
  const auto* f = slot(path);
  const auto& info = knowledge_.facts[path];
  const auto add = [&](std::optional<FactValue> v, int at) {
    Candidate c;
    c.values[path] = std::move(v);
    c.at_bound = at;
    out.push_back(std::move(c));
  };
  const bool absent_ok = f->optional || f->default_node != kNone || info.present_tested;
  if (absent_ok) add(std::nullopt, 0);
  switch (f->type.type) {
    case ir::Type::kBool:
      add(bool_value(false), 0);
      add(bool_value(true), 0);
      break;
    case ir::Type::kNumber:
      for (const auto& b : info.bounds) {
        const auto u = unit_of(b);
        for (const Rational& v : {Rational(b - u), b, Rational(b + u)}) {
          if (f->integer && !core::is_integer(v)) continue;
          add(number_value(v), v == b ? 1 : 0);
        }
      }
      break;
    case ir::Type::kDate:
      for (const auto d : info.date_bounds) {
        for (int k = -1; k <= 1; ++k) add(string_value(Date::from_days(d + k).to_string()), k == 0 ? 1 : 0);
      }
      break;
    case ir::Type::kEnum: set_candidates(path, f->type.enum_id, out); break;
    case ir::Type::kString: name_candidates(path, out); break;
    default: break;
  }
  if (out.empty() || (out.size() == 1 && absent_ok)) {
    auto rep = representative(path);
    if (rep || !absent_ok) add(rep, 0);
  }
  for (auto& c : out) score(c);
  return out;
}

// Which sets (as of every date) and which compared values a raw value of `path` is in: values with the same
// text are in the same cell of the overlap, and one of them is enough.
std::string Search::cell(const Path& path, const FactValue& raw) {
  const auto& info = knowledge_.facts[path];
  std::string sig;
  for (const auto& use : info.sets) {
    const auto& s = sides_[use.side];
    const auto slot_index = s.slot_of(path);
    if (slot_index == kNone) continue;
    eval::Value element;
    std::string storage;
    const bool typed = eval::to_value(*s.p, slot_index, raw, element, storage);
    for (const auto d : dates_) sig += typed && s.probe->contains(use.set_node, element, d, s.rules) ? '1' : '0';
  }
  for (const auto& e : info.equal_to) sig += e == raw.text ? '1' : '0';
  return sig;
}

// Per code of an enumeration: the number of named groups of `p` (listed or defined by set algebra) it is a
// member of at some explored date. The significance of a member: CN (in D:1, D:4, D:5, china, ...) before AD.
std::vector<int> Search::group_weights(std::uint32_t enum_id, const CompiledProgram* p) const {
  const Side* side = sides_[1].p == p ? &sides_[1] : &sides_[0];
  const auto& codes = p->enums[enum_id].codes;
  std::vector<int> weight(codes.size(), 0);
  for (const auto& g : p->groups) {
    if (g.name.empty() || g.name[0] == '{' || g.element.enum_id != enum_id) continue;
    for (std::size_t i = 0; i < codes.size(); ++i) {
      if (g.definition == kNone) {
        weight[i] += i < g.enum_events.size() && !g.enum_events[i].empty() ? 1 : 0;
        continue;
      }
      eval::Value element;
      element.kind = eval::Value::Kind::kEnum;
      element.integer = static_cast<std::int32_t>(i);
      for (const auto d : dates_) {
        if (side->probe->contains(g.definition, element, d, side->rules)) {
          ++weight[i];
          break;
        }
      }
    }
  }
  return weight;
}

// An enumerated fact: one member of each cell of the overlap of the sets used (as of every date), plus the
// codes compared with ==; a small enumeration without sets: every member.
void Search::set_candidates(const Path& path, std::uint32_t enum_id, std::vector<Candidate>& out) {
  const auto* p = sides_[1].p->fact_index.count(path) ? sides_[1].p : sides_[0].p;
  const auto& e = p->enums[enum_id];
  std::vector<std::string> codes;
  if (knowledge_.facts[path].sets.empty() && e.codes.size() <= 32) {
    codes = e.codes;
  } else {
    // One code per cell: the most significant member, the one that belongs to the most named groups of
    // either side (CN before AD); ties: the first in the enumeration.
    std::map<std::string, std::string> cells;  // cell -> its most significant code
    const auto weight = group_weights(enum_id, p);
    for (std::size_t i = 0; i < e.codes.size(); ++i) {
      auto [it, fresh] = cells.emplace(cell(path, string_value(e.codes[i])), e.codes[i]);
      if (!fresh && weight[i] > weight[e.index.at(it->second)]) it->second = e.codes[i];
    }
    for (const auto& [sig, code] : cells) codes.push_back(code);
    std::sort(codes.begin(), codes.end(),
              [&](const std::string& a, const std::string& b) { return e.index.at(a) < e.index.at(b); });
  }
  for (auto& code : codes) {
    Candidate c;
    c.values[path] = string_value(std::move(code));
    out.push_back(std::move(c));
  }
}

namespace {

// The entries of every name group a set expression is made of.
void name_entries(const CompiledProgram& p, std::uint32_t n, std::vector<std::string>& names) {
  const auto& node = p.nodes[n];
  if (node.op == ir::Op::kSetGroup && p.groups[node.a].definition == kNone) {
    names.insert(names.end(), p.groups[node.a].entries.begin(), p.groups[node.a].entries.end());
  }
  ir::for_each_child(p, node, ir::kGroups, [&](std::uint32_t kid) { name_entries(p, kid, names); });
}

}  // namespace

// A string fact: one name per cell of the overlap of the name groups and the strings compared with ==, and
// one name in none of them.
void Search::name_candidates(const Path& path, std::vector<Candidate>& out) {
  const auto& info = knowledge_.facts[path];
  std::vector<std::string> names(info.equal_to.begin(), info.equal_to.end());
  for (const auto& use : info.sets) name_entries(*sides_[use.side].p, use.set_node, names);
  names.push_back("Unlisted Party");
  std::set<std::string> cells;
  for (auto& name : names) {
    auto value = string_value(std::move(name));
    if (!cells.insert(cell(path, value)).second) continue;
    Candidate c;
    c.values[path] = std::move(value);
    out.push_back(std::move(c));
  }
}

void Search::build_variables() {
  // Union the facts that appear together in a derived value.
  std::map<Path, Path> parent;
  std::function<Path(const Path&)> find = [&](const Path& x) -> Path {
    auto it = parent.find(x);
    if (it == parent.end() || it->second == x) return x;
    return it->second = find(it->second);
  };
  for (const auto& p : varied_) parent[p] = p;
  for (const auto& s : knowledge_.solves) {
    const auto& first = *s.facts.begin();
    for (const auto& f : s.facts) {
      if (!parent.count(f)) parent[f] = f;
      parent[find(f)] = find(first);
    }
  }
  std::map<Path, std::vector<Path>> groups;
  for (const auto& [p, _] : parent) {
    if (slot(p) == nullptr) continue;
    groups[find(p)].push_back(p);
  }
  for (auto& [root, paths] : groups) {
    std::sort(paths.begin(), paths.end());
    Variable v;
    v.paths = paths;
    v.candidates = paths.size() == 1 && std::none_of(knowledge_.solves.begin(), knowledge_.solves.end(),
                                                     [&first = paths[0]](const Solve& s) { return s.facts.count(first) > 0; })
                       ? single_candidates(paths[0])
                       : joint_candidates(paths);
    if (v.candidates.empty()) continue;
    variables_.push_back(std::move(v));
  }
  // Every other fact of either schema: its representative.
  for (const auto& s : sides_) {
    for (const auto& f : s.p->facts) {
      if (parent.count(f.path)) continue;
      if (auto rep = representative(f.path)) fixed_[f.path] = rep;
    }
  }
}

}  // namespace edict::witness
