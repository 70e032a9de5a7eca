// Regions of disagreement: merged where a check does not matter, described by the decisions and the checks
// of the changed rules that define them, with a cause and a witness evaluated with traces.
#include <algorithm>
#include <optional>

#include "render/values.hpp"
#include "witness/search.hpp"

namespace edict::witness {

std::string coarse_key(const RegionAcc& r) {
  std::string k = r.old_decision + "|" + r.new_decision + "|";
  for (const auto& c : r.old_classes) k += c + ",";
  k += "|";
  for (const auto& c : r.new_classes) k += c + ",";
  return k + r.value_states;
}

// Regions with the same decisions and classifications whose checks differ in one place only are one region
// in which that check does not matter ('*').
void Search::merge_regions(std::vector<RegionAcc>& regions) const {
  bool changed = true;
  while (changed) {
    changed = false;
    for (std::size_t k = 0; k < atoms_.size() && !changed; ++k) {
      std::map<std::string, std::vector<std::size_t>> by;
      for (std::size_t i = 0; i < regions.size(); ++i) {
        auto sig = regions[i].signature;
        if (sig[2 * k] == '*') continue;
        sig[2 * k] = sig[2 * k + 1] = '*';
        by[coarse_key(regions[i]) + "#" + sig].push_back(i);
      }
      for (const auto& [key, members] : by) {
        if (members.size() < 2) continue;
        RegionAcc merged = regions[members[0]];
        merged.cases = 0;
        for (const auto m : members) {
          merged.cases += regions[m].cases;
          if (regions[m].best.better_than(merged.best)) {
            merged.best = regions[m].best;
            merged.choice = regions[m].choice;
            merged.date = regions[m].date;
          }
        }
        merged.signature[2 * k] = merged.signature[2 * k + 1] = '*';
        std::vector<RegionAcc> next;
        for (std::size_t i = 0; i < regions.size(); ++i) {
          if (std::find(members.begin(), members.end(), i) == members.end()) next.push_back(std::move(regions[i]));
        }
        next.push_back(std::move(merged));
        regions = std::move(next);
        changed = true;
        break;
      }
    }
  }
}

std::string classes_text(const std::vector<std::string>& c) {
  if (c.empty()) return "no classification";
  std::string out;
  for (const auto& x : c) out += (out.empty() ? "" : ", ") + x;
  return out;
}

Witness Search::make_witness(const RegionAcc& r) const {
  Witness w;
  Assignment a;
  w.facts = facts_of(r.choice, &a);
  w.as_of = dates_[r.date];
  for (int i = 0; i < 2; ++i) {
    EvalOptions eo;
    eo.as_of = w.as_of;
    eo.rules_as_of = sides_[i].rules_option;
    eo.trace = true;
    (i == 0 ? w.old_result : w.new_result) = sides_[i].policy->evaluate(w.facts, eo);
  }
  const auto values = value_changes(w.old_result.values, w.new_result.values);
  w.region = describe(r, values);
  w.cause = causes(w);
  w.cases = r.cases;
  w.decision_changed = r.old_decision != r.new_decision;
  w.values_changed = !r.value_states.empty();
  w.transition = transition_text(r, values);
  if (const auto at = w.region.find(" where "); at != std::string::npos) w.where = w.region.substr(at + 7);
  for (const auto& c : w.cause) {
    for (const auto& change : changes_) {
      if (change.subject == c) w.changes.push_back(change.text);
    }
  }
  return w;
}

std::string transition_key(const Witness& w) {
  return w.transition.substr(0, w.transition.find("; value ")) +
         value_changes(w.old_result.values, w.new_result.values, /*states_only=*/true);
}

// "no_license_required [] -> license_required [3A090.a]"
std::string transition_text(const RegionAcc& r, const std::string& values) {
  auto side = [](const std::string& d, const std::vector<std::string>& classes) {
    std::string out = d + " [";
    for (std::size_t i = 0; i < classes.size(); ++i) out += (i ? "," : "") + classes[i];
    return out + "]";
  };
  return side(r.old_decision, r.old_classes) + " -> " + side(r.new_decision, r.new_classes) + values;
}

namespace {

// The negation of a check as a reviewer writes it: `x not in G` for `not (x in G)`, `x < 5.92` for
// `not (x >= 5.92)`; a check that is not one plain comparison or membership keeps `not (...)`.
std::string negated(const std::string& text) {
  const std::string present = " is present";
  if (text.ends_with(present) && text.find(' ') == text.size() - present.size()) {
    return text.substr(0, text.size() - present.size()) + " is absent";
  }
  static const std::pair<const char*, const char*> kFlip[] = {
      {" not in ", " in "}, {" in ", " not in "}, {" >= ", " < "}, {" <= ", " > "}, {" > ", " <= "},
      {" < ", " >= "},      {" == ", " != "},     {" != ", " == "}};
  for (const auto& [op, flipped] : kFlip) {
    const auto at = text.find(op);
    if (at == std::string::npos) continue;
    const auto rest = text.substr(at + std::string(op).size());
    const bool plain = text.find_first_of("()") == std::string::npos && text.find(" and ") == std::string::npos &&
                       text.find(" or ") == std::string::npos && rest.find_first_of("<>=!") == std::string::npos &&
                       text.substr(0, at).find_first_of("<>=!") == std::string::npos;
    if (plain) return text.substr(0, at) + flipped + rest;
    break;
  }
  return "not (" + text + ")";
}

// A lower and an upper bound on the same value, on the same side, as one interval: `product.tpp >= 1600
// (NEW)` and `product.tpp < 4800 (NEW)` read `1600 <= product.tpp < 4800 (NEW)`.
void join_intervals(std::vector<std::string>& parts) {
  struct Bound {
    std::string value, op, limit, side;
  };
  auto parse = [](const std::string& part) -> std::optional<Bound> {
    static const char* const kOps[] = {" >= ", " <= ", " > ", " < "};
    for (const char* op : kOps) {
      const auto at = part.find(op);
      if (at == std::string::npos) continue;
      auto rest = part.substr(at + std::string(op).size());
      std::string side;
      if (const auto paren = rest.find(" ("); paren != std::string::npos) {
        side = rest.substr(paren);
        rest = rest.substr(0, paren);
      }
      const auto value = part.substr(0, at);
      if (value.find_first_of(" ()") != std::string::npos || rest.find_first_of(" ()") != std::string::npos) return {};
      return Bound{value, std::string(op).substr(1, std::string(op).size() - 2), rest, side};
    }
    return {};
  };
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto lo = parse(parts[i]);
    if (!lo || lo->op[0] != '>') continue;
    for (std::size_t j = 0; j < parts.size(); ++j) {
      const auto hi = parse(parts[j]);
      if (!hi || hi->op[0] != '<' || hi->value != lo->value || hi->side != lo->side) continue;
      parts[i] = lo->limit + (lo->op == ">=" ? " <= " : " < ") + lo->value + " " + hi->op + " " + hi->limit + lo->side;
      parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(j));
      break;
    }
  }
}

}  // namespace

// "OLD allow (no classification), NEW deny (no classification) where origin in {CN, RU}; ..."
std::string Search::describe(const RegionAcc& r, const std::string& values) const {
  std::string where;
  std::set<std::string> said;  // `x in G` and `not (x not in G)` are one condition: said once
  std::vector<std::string> parts;
  for (std::size_t k = 0; k < atoms_.size(); ++k) {
    const char o = r.signature[2 * k], n = r.signature[2 * k + 1];
    if (o == '*' || (o == '.' && n == '.')) continue;
    auto word = [](char c) { return c == '1' ? "true" : c == '0' ? "false" : c == '.' ? "not evaluated" : "unknown"; };
    std::string part;
    if (o == n || o == '.' || n == '.') {
      const char c = o == '.' ? n : o;
      const std::string side = o == n ? "" : o == '.' ? " (NEW)" : " (OLD)";
      part = c == '1' ? atoms_[k].text + side : c == '0' ? negated(atoms_[k].text) + side
                                                         : atoms_[k].text + " unknown" + side;
    } else {
      part = atoms_[k].text + " (OLD " + word(o) + ", NEW " + word(n) + ")";
    }
    if (!said.insert(part).second) continue;
    parts.push_back(std::move(part));
  }
  join_intervals(parts);
  // `kind != "computer"` says nothing more where `kind == "ic"` is said.
  for (const auto& part : parts) {
    const auto ne = part.find(" != ");
    const bool implied = ne != std::string::npos && std::any_of(parts.begin(), parts.end(), [&](const std::string& p) {
      return p.starts_with(part.substr(0, ne) + " == ");
    });
    if (!implied) where += (where.empty() ? "" : "; ") + part;
  }
  std::string region = "OLD " + r.old_decision + " (" + classes_text(r.old_classes) + "), NEW " + r.new_decision + " (" +
             classes_text(r.new_classes) + ")" + values;
  if (!where.empty()) region += " where " + where;
  return region;
}

// Changed entities that behave differently in the witness or decide on either side, and the changed groups and
// parameters they use.
std::vector<std::string> Search::causes(const Witness& w) const {
  std::vector<std::string> out;
  std::map<std::string, std::string> status[2];
  for (int i = 0; i < 2; ++i) {
    const auto& res = i == 0 ? w.old_result : w.new_result;
    if (!res.trace) continue;
    for (const auto& st : res.trace->steps) {
      if (st.kind == TraceStep::Kind::kRule || st.kind == TraceStep::Kind::kExemption) {
        status[i][std::string(st.subject)] = st.result;
      }
    }
  }
  std::set<std::string> cause;
  for (const auto& name : relevant_) {
    const auto o = status[0].count(name) ? status[0].at(name) : std::string("absent");
    const auto n = status[1].count(name) ? status[1].at(name) : std::string("absent");
    auto acts = [](const std::string& x) { return x == "fired" || x == "applied" || x == "indeterminate"; };
    // A changed entity that acts on either side, or any entity whose action differs.
    if ((acts(o) || acts(n)) && (differing_.count(name) || o != n)) cause.insert(name);
  }
  for (const auto& name : cause) {
    for (int i = 0; i < 2; ++i) {
      const auto idx = sides_[i].entity_index(name);
      const auto* v = idx == kNone ? nullptr : sides_[i].visible(sides_[i].p->entities[idx]);
      if (!v) continue;
      Structure st{sides_[i], {}};
      const auto text = st.node(v->condition) + st.results(*v);  // its values and due dates too
      for (const auto& g : differing_groups_) if (text.find("G(" + g + ":") != std::string::npos) out.push_back("group " + g);
      for (const auto& p : differing_parameters_) if (text.find("P(" + p + ":") != std::string::npos) out.push_back("parameter " + p);
    }
  }
  for (const auto& name : cause) {
    const auto idx1 = sides_[1].entity_index(name);
    const auto idx0 = sides_[0].entity_index(name);
    const bool ex = idx1 != kNone ? sides_[1].p->entities[idx1].exemption : sides_[0].p->entities[idx0].exemption;
    out.push_back(std::string(ex ? "exemption " : "rule ") + name);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}


}  // namespace edict::witness
