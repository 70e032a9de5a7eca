// inventory_json(): the JSON form of Policy::inventory() (printed by `edict check --format json`).
#include <fmt/format.h>

#include "edict/inventory.hpp"
#include "core/json_writer.hpp"

namespace edict {

namespace {

using core::append_json_string;
using core::append_json_strings;

// `"key":"text"` after a comma (or without, for the first member of an object).
void member(std::string& out, const char* key, std::string_view text, bool first = false) {
  out += fmt::format("{}\"{}\":", first ? "" : ",", key);
  append_json_string(out, text);
}

// An open end (Date::min() or Date::max()) is null.
void date_member(std::string& out, const char* key, Date date, bool first = false) {
  if (date == Date::min() || date == Date::max()) {
    out += fmt::format("{}\"{}\":null", first ? "" : ",", key);
  } else {
    member(out, key, date.to_string(), first);
  }
}

void list_member(std::string& out, const char* key, const std::vector<std::string>& items) {
  out += fmt::format(",\"{}\":", key);
  append_json_strings(out, items);
}

// `"key":[f(item),...]` with f appending one object per item.
template <typename Items, typename Write>
void array_member(std::string& out, const char* key, const Items& items, Write write) {
  out += fmt::format(",\"{}\":[", key);
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    write(items[i]);
  }
  out += ']';
}

void append_fact(std::string& out, const FactInfo& f) {
  member(out, "path", f.path, true);
  member(out, "type", f.type);
  member(out, "description", f.description);
  out += fmt::format(",\"optional\":{}", f.optional ? "true" : "false");
  if (!f.default_value.empty()) {
    out += ",\"default\":{";
    member(out, f.default_is_fact ? "fact" : "value", f.default_value, true);
    out += '}';
  }
  if (!f.allowed_values.empty()) list_member(out, "allowed_values", f.allowed_values);
}

void append_version(std::string& out, const VersionInfo& v) {
  out += '{';
  member(out, "title", v.title, true);
  member(out, "citation", v.citation);
  date_member(out, "effective_from", v.from);
  date_member(out, "effective_until", v.until);
  date_member(out, "published", v.known_from);
  date_member(out, "superseded", v.known_until);
  member(out, "defined_by", v.defined_by);
  if (!v.decides.empty()) member(out, "decides", v.decides);
  if (!v.classifies.empty()) member(out, "classifies", v.classifies);
  if (!v.reason.empty()) member(out, "because", v.reason);
  if (!v.overrides.empty()) list_member(out, "overrides", v.overrides);
  out += '}';
}

void append_rule(std::string& out, const RuleInfo& r) {
  out += '{';
  member(out, "name", r.name, true);
  member(out, "kind", r.exemption ? "exemption" : "rule");
  out += ",\"location\":{";
  member(out, "file", r.file, true);
  out += fmt::format(",\"line\":{}}}", r.line);
  array_member(out, "versions", r.versions, [&](const VersionInfo& v) { append_version(out, v); });
  out += '}';
}

void append_parameter(std::string& out, const ParameterInfo& p) {
  out += '{';
  member(out, "name", p.name, true);
  member(out, "type", p.type);
  array_member(out, "steps", p.steps, [&](const ParameterStepInfo& s) {
    out += '{';
    date_member(out, "from", s.from, true);
    date_member(out, "published", s.known_from);
    date_member(out, "superseded", s.known_until);
    if (s.value) {
      member(out, "value", *s.value);
    } else {
      out += ",\"value\":null";
    }
    out += '}';
  });
  out += '}';
}

}  // namespace

std::string inventory_json(const PolicyInventory& inv) {
  std::string out = "{";
  member(out, "title", inv.title, true);
  list_member(out, "outcomes", inv.outcomes);
  member(out, "default", inv.default_outcome);
  list_member(out, "classifications", inv.classifications);
  array_member(out, "facts", inv.facts, [&](const FactInfo& f) {
    out += '{';
    append_fact(out, f);
    out += '}';
  });
  list_member(out, "definitions", inv.definitions);
  array_member(out, "groups", inv.groups, [&](const GroupInfo& g) {
    out += '{';
    member(out, "name", g.name, true);
    member(out, "element_type", g.element_type);
    out += fmt::format(",\"derived\":{}}}", g.derived ? "true" : "false");
  });
  array_member(out, "parameters", inv.parameters, [&](const ParameterInfo& p) { append_parameter(out, p); });
  array_member(out, "tiers", inv.tiers, [&](const TierInfo& t) {
    out += '{';
    member(out, "name", t.name, true);
    list_member(out, "labels", t.labels);
    out += '}';
  });
  array_member(out, "rules", inv.rules, [&](const RuleInfo& r) { append_rule(out, r); });
  out += '}';
  return out;
}

}  // namespace edict
