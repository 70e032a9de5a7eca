// The compiled program as JSON (edict/ir_dump.hpp; the format is tests/reference/IR.md). Read-only over the
// program; every table is written in its index order, maps are sorted, numbers are exact strings.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "ir/dump_json.hpp"
#include "ir/queries.hpp"

namespace edict {

namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kInlineWidth = 100;  // containers whose one-line form fits stay on one line
constexpr int kFormatVersion = 1;

// Exact text of a rational: the shortest decimal when the denominator divides a power of ten ("5.92",
// "-0.125", "4800"), otherwise the reduced fraction "n/d" ("1/3").
std::string exact_text(const core::Rational& value) {
  auto text = core::format_decimal(value);  // a fraction comes with its approximation: "1/3 (≈0.333333)"
  text.resize(std::min(text.size(), text.find(' ')));
  return text;
}

// A date bound: null for the open ends (min/max), else "YYYY-MM-DD".
Json date_bound(Date date) {
  if (date == Date::min() || date == Date::max()) return nullptr;
  return date.to_string();
}

Json window(Date from, Date until) { return Json{{"from", date_bound(from)}, {"until", date_bound(until)}}; }

// A set literal, compiled to an anonymous group named after its source text (`{CN, HK}`, `({MO})`).
bool is_literal(const ir::Group& group) { return group.name.find('{') != std::string::npos; }

const char* type_kind(ir::Type type) {
  switch (type) {
    case ir::Type::kBool: return "bool";
    case ir::Type::kNumber: return "number";
    case ir::Type::kString: return "string";
    case ir::Type::kDate: return "date";
    case ir::Type::kEnum: return "enum";
    case ir::Type::kSet: return "set";
  }
  return "?";
}

class Dumper {
 public:
  explicit Dumper(const CompiledProgram& program) : p_(program) {}

  Json document() const {
    Json doc;
    doc["format"] = "edict-ir";
    doc["version"] = kFormatVersion;
    doc["policy"] = p_.policy_title;
    doc["digest"] = p_.digest;
    doc["outcomes"] = p_.outcomes;
    doc["default"] = p_.outcomes.empty() ? Json(nullptr) : Json(p_.outcomes[p_.default_outcome]);
    doc["labels"] = p_.labels;
    doc["enums"] = enums();
    doc["facts"] = facts();
    doc["definitions"] = definitions();
    doc["groups"] = groups();
    doc["parameters"] = parameters();
    doc["tiers"] = tiers();
    doc["rules"] = entities();
    doc["order"] = order();
    doc["tests"] = tests();
    return doc;
  }

 private:
  const CompiledProgram& p_;

  std::string location(syntax::Span span) const {
    if (span.file >= p_.sources.size()) return {};
    const auto& starts = p_.line_starts[span.file];
    const auto line = std::upper_bound(starts.begin(), starts.end(), span.begin) - starts.begin();
    return p_.sources[span.file].path + ":" + std::to_string(line);
  }

  Json type(const ir::TypeInfo& t) const {
    Json out{{"kind", type_kind(t.type)}};
    if (t.enum_id != ir::kNone && t.enum_id < p_.enums.size()) out["enum"] = p_.enums[t.enum_id].name;
    if (t.type == ir::Type::kSet && t.enum_id == ir::kNone) out["element"] = t.names ? "name" : "string";
    return out;
  }

  Json enums() const {
    Json out = Json::array();
    for (const auto& e : p_.enums) {
      const bool any_display =
          std::any_of(e.displays.begin(), e.displays.end(), [](const std::string& d) { return !d.empty(); });
      Json item{{"name", e.name}, {"codes", e.codes}};
      if (any_display) item["displays"] = e.displays;
      out.push_back(std::move(item));
    }
    return out;
  }

  Json facts() const {
    Json out = Json::array();
    for (const auto& f : p_.facts) {
      Json item{{"path", f.path}, {"type", type(f.type)}, {"integer", f.integer}, {"optional", f.optional}};
      item["default"] = f.default_node == ir::kNone ? Json(nullptr) : expr(f.default_node);
      item["doc"] = f.doc;
      out.push_back(std::move(item));
    }
    return out;
  }

  Json definitions() const {
    Json out = Json::array();
    for (const auto& d : p_.definitions) out.push_back(Json{{"name", d.name}, {"value", expr(d.node)}});
    return out;
  }

  static Json events(const std::vector<ir::MembershipEvent>& list) {
    Json out = Json::array();
    for (const auto& e : list) {
      out.push_back(Json{{"rulebook_from", date_bound(e.known_from)}, {"from", date_bound(e.from)}, {"add", e.add}});
    }
    return out;
  }

  // Members with their events, in member order (enumeration order, or first declaration for names).
  Json members(const ir::Group& g) const {
    Json out = Json::array();
    if (g.element.type == ir::Type::kEnum) {
      const auto& codes = p_.enums[g.element.enum_id].codes;
      for (std::size_t i = 0; i < g.enum_events.size() && i < codes.size(); ++i) {
        if (!g.enum_events[i].empty()) out.push_back(Json{{"member", codes[i]}, {"events", events(g.enum_events[i])}});
      }
      return out;
    }
    std::vector<std::vector<std::string>> keys(g.entries.size());
    for (const auto& [key, entry] : g.keys) keys[entry].push_back(key);
    for (std::size_t i = 0; i < g.entries.size(); ++i) {
      std::sort(keys[i].begin(), keys[i].end());
      out.push_back(Json{{"member", g.entries[i]}, {"keys", keys[i]}, {"events", events(g.entry_events[i])}});
    }
    return out;
  }

  Json group_body(const ir::Group& g) const {
    Json out{{"element", type(g.element)}};
    if (g.element.type != ir::Type::kEnum) out["element"]["kind"] = g.element.names ? "name" : "string";
    if (g.prefixes) out["prefixes"] = true;
    if (g.definition != ir::kNone) {
      out["definition"] = expr(g.definition);
    } else {
      out["members"] = members(g);
    }
    return out;
  }

  Json groups() const {
    Json out = Json::array();
    for (const auto& g : p_.groups) {
      if (is_literal(g)) continue;  // set literals are written where they are used
      Json item{{"name", g.name}};
      item.update(group_body(g));
      out.push_back(std::move(item));
    }
    return out;
  }

  Json parameters() const {
    Json out = Json::array();
    for (const auto& prm : p_.parameters) {
      Json steps = Json::array();
      for (const auto& s : prm.steps) {
        steps.push_back(Json{{"rulebook_from", date_bound(s.known_from)},
                             {"rulebook_until", date_bound(s.known_until)},
                             {"from", date_bound(s.from)},
                             {"value", s.value == ir::kNone ? Json(nullptr) : expr(s.value)}});
      }
      out.push_back(Json{{"name", prm.name}, {"type", type(prm.type)}, {"steps", std::move(steps)}});
    }
    return out;
  }

  Json tiers() const {
    Json out = Json::array();
    for (const auto& t : p_.tiers) {
      Json cases = Json::array();
      for (const auto& c : t.cases) cases.push_back(Json{{"label", p_.strings[c.label]}, {"when", expr(c.condition)}});
      out.push_back(Json{{"name", t.name},
                         {"cases", std::move(cases)},
                         {"otherwise", p_.strings[t.otherwise]},
                         {"labels", t.labels}});
    }
    return out;
  }

  Json then(const ir::RuleVersion& v) const {
    if (v.outcome == ir::kNone) return nullptr;
    if (v.outcome_kind == ir::OutcomeKind::kClassify) return Json{{"classify", p_.labels[v.outcome]}};
    return Json{{"decide", p_.outcomes[v.outcome]}, {"because", v.reason}};
  }

  Json version(const ir::Entity& entity, const ir::RuleVersion& v) const {
    Json item{{"rulebook", window(v.known_from, v.known_until)},
              {"effective", window(v.from, v.until)},
              {"defined_by", v.defined_by},
              {"at", location(v.span)},
              {"title", v.title},
              {"citation", v.citation},
              {"then", then(v)}};
    if (entity.exemption) {
      Json overrides = Json::array();
      for (const auto o : v.overrides) overrides.push_back(p_.entities[o].name);
      item["overrides"] = std::move(overrides);
    }
    item["when"] = v.condition == ir::kNone ? Json(nullptr) : expr(v.condition);
    return item;
  }

  Json entities() const {
    Json out = Json::array();
    for (const auto& entity : p_.entities) {
      Json versions = Json::array();
      for (const auto& v : entity.versions) versions.push_back(version(entity, v));
      out.push_back(Json{{"name", entity.name},
                         {"kind", entity.exemption ? "exemption" : "rule"},
                         {"versions", std::move(versions)}});
    }
    return out;
  }

  Json order() const {
    Json out = Json::array();
    for (const auto index : p_.order) out.push_back(p_.entities[index].name);
    return out;
  }

  Json tests() const {
    static const char* const kKinds[] = {"decision", "classifications", "classified", "not_classified",
                                         "deciding",  "exemption",       "missing",    "value",
                                         "obligation"};
    Json out = Json::array();
    for (const auto& t : p_.tests) {
      Json expect = Json::array();
      for (const auto& e : t.expectations) {
        expect.push_back(Json{{"kind", kKinds[static_cast<int>(e.kind)]}, {"values", e.values}});
      }
      out.push_back(Json{{"name", t.name},
                         {"at", t.file + ":" + std::to_string(t.line)},
                         {"as_of", t.as_of ? Json(t.as_of->to_string()) : Json(nullptr)},
                         {"rules_as_of", t.rules_as_of ? Json(t.rules_as_of->to_string()) : Json(nullptr)},
                         {"expect", std::move(expect)}});
    }
    return out;
  }

  // ---- expressions ----

  Json constant(const ir::Node& n) const {
    switch (n.op) {
      case ir::Op::kConstBool: return Json{{"bool", n.a != 0}};
      case ir::Op::kConstNum: return Json{{"number", exact_text(p_.numbers[n.a])}};
      case ir::Op::kConstStr: return Json{{"string", p_.strings[n.a]}};
      case ir::Op::kConstDate: return Json{{"date", Date::from_days(static_cast<std::int32_t>(n.a)).to_string()}};
      default: {
        const auto& e = p_.enums[n.type.enum_id];
        return Json{{"enum", e.codes[n.a]}, {"of", e.name}};
      }
    }
  }

  Json binary(const char* op, const ir::Node& n) const {
    return Json{{"op", op}, {"args", Json::array({expr(n.a), expr(n.b)})}};
  }

  Json compare(const ir::Node& n) const {
    Json args = Json::array();
    Json ops = Json::array();
    for (std::uint32_t i = 0; i < n.kid_count; ++i) {
      args.push_back(expr(p_.kid_list[n.first_kid + i]));
      if (i + 1 < n.kid_count) ops.push_back(ir::compare_symbol(p_.compare_ops[n.first_kid + i]));
    }
    return Json{{"op", "compare"}, {"ops", std::move(ops)}, {"args", std::move(args)}};
  }

  Json set_group(const ir::Node& n) const {
    const auto& g = p_.groups[n.a];
    if (!is_literal(g)) return Json{{"group", g.name}};
    Json out{{"literal", true}};
    out.update(group_body(g));
    return out;
  }

  Json expr(std::uint32_t index) const {
    if (index == ir::kNone || index >= p_.nodes.size()) return nullptr;
    const auto& n = p_.nodes[index];
    if (ir::is_constant(n.op)) return constant(n);
    switch (n.op) {
      case ir::Op::kFact: return Json{{"fact", p_.facts[n.a].path}};
      case ir::Op::kDefinition: return Json{{"define", p_.definitions[n.a].name}};
      case ir::Op::kParameter: return Json{{"parameter", p_.parameters[n.a].name}};
      case ir::Op::kTier: return Json{{"tier", p_.tiers[n.a].name}};
      case ir::Op::kClassified: return Json{{"classified", p_.labels[n.a]}};
      case ir::Op::kNeg: return Json{{"op", "neg"}, {"args", Json::array({expr(n.a)})}};
      case ir::Op::kNot: return Json{{"op", "not"}, {"args", Json::array({expr(n.a)})}};
      case ir::Op::kAnd: return binary("and", n);
      case ir::Op::kOr: return binary("or", n);
      case ir::Op::kAdd: return binary("+", n);
      case ir::Op::kSub: return binary("-", n);
      case ir::Op::kMul: return binary("*", n);
      case ir::Op::kDiv: return binary("/", n);
      case ir::Op::kCompare: return compare(n);
      case ir::Op::kIn: return Json{{"op", "in"}, {"negated", n.negated}, {"args", Json::array({expr(n.a), expr(n.b)})}};
      case ir::Op::kMatches: return Json{{"op", "matches"}, {"args", Json::array({expr(n.a), expr(n.b)})}};
      case ir::Op::kStartsWith: return Json{{"op", "starts_with"}, {"args", Json::array({expr(n.a), expr(n.b)})}};
      case ir::Op::kPresent: return Json{{"op", "present"}, {"negated", n.negated}, {"fact", p_.facts[n.a].path}};
      case ir::Op::kIf: return Json{{"op", "if"}, {"args", Json::array({expr(n.a), expr(n.b), expr(n.c)})}};
      case ir::Op::kSetGroup: return set_group(n);
      case ir::Op::kSetUnion: return binary("union", n);
      case ir::Op::kSetIntersect: return binary("intersect", n);
      case ir::Op::kSetExcept: return binary("except", n);
      default: return nullptr;
    }
  }
};

// ---- layout: a container stays on one line when it fits (or holds only scalars), else one item a line ----

std::string one_line(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool only_scalars(const Json& value) {
  return std::none_of(value.begin(), value.end(), [](const Json& v) { return v.is_structured(); });
}

void layout(const Json& value, std::size_t indent, std::size_t used, std::string& out) {
  const std::string flat = one_line(value);
  const bool fits = used + flat.size() <= kInlineWidth;
  if (!value.is_structured() || value.empty() || fits || (value.is_array() && only_scalars(value))) {
    out += flat;
    return;
  }
  const std::string pad(indent + 2, ' ');
  out += value.is_object() ? "{\n" : "[\n";
  bool first = true;
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (!first) out += ",\n";
    first = false;
    out += pad;
    std::size_t prefix = pad.size();
    if (value.is_object()) {
      const std::string key = one_line(Json(it.key())) + ": ";
      out += key;
      prefix += key.size();
    }
    layout(*it, indent + 2, prefix, out);
  }
  out += '\n';
  out += std::string(indent, ' ');
  out += value.is_object() ? '}' : ']';
}

}  // namespace

std::string ir::dump_json(const CompiledProgram& program) {
  std::string out;
  layout(Dumper(program).document(), 0, 0, out);
  out += '\n';
  return out;
}

}  // namespace edict
