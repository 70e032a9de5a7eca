// What a compiled policy declares: its facts, outcomes, rules and exemptions, groups, parameters and tiers.
// For a host that builds an input form or a reviewer's index (`edict check POLICY --format json` prints it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "edict/export.h"
#include "edict/date.hpp"

namespace edict {

struct EDICT_API FactInfo {
  std::string path;          // "product.tpp"
  std::string type;          // "bool", "decimal", "integer", "string", "date", "names", or an enumeration's name
  std::string description;
  bool optional = false;
  std::string default_value;  // the default as written: a literal or another fact's path; empty when none
  bool default_is_fact = false;
  std::vector<std::string> allowed_values;  // an enumeration's codes; empty for other types
};

// [from, until) of effective dates and [known_from, known_until) of rulebook dates; Date::min()/max() when open.
struct EDICT_API VersionInfo {
  Date from;
  Date until;
  Date known_from;
  Date known_until;
  std::string title;
  std::string citation;
  std::string defined_by;  // the amendment's title, or the base file
  std::string decides;     // an outcome, for a decision rule or an exemption
  std::string classifies;  // a classification label, for a classifying rule
  std::string reason;      // `because`
  std::vector<std::string> overrides;  // exemptions: the rules (or exemptions) they override
};

struct EDICT_API RuleInfo {
  std::string name;
  bool exemption = false;
  std::vector<VersionInfo> versions;  // in the order of the rulebook
  std::string file;
  unsigned line = 0;
};

struct EDICT_API GroupInfo {
  std::string name;
  std::string element_type;  // an enumeration's name, "names" or "string"
  bool derived = false;      // defined by set algebra over other groups
};

struct EDICT_API ParameterStepInfo {
  Date from;
  Date known_from;
  Date known_until;
  std::optional<std::string> value;  // absent: `none`
};

struct EDICT_API ParameterInfo {
  std::string name;
  std::string type;
  std::vector<ParameterStepInfo> steps;
};

struct EDICT_API TierInfo {
  std::string name;
  std::vector<std::string> labels;  // in the order of its cases, then `otherwise`
};

struct EDICT_API PolicyInventory {
  std::string title;                  // the policy's title
  std::vector<std::string> outcomes;  // most severe first
  std::string default_outcome;
  std::vector<std::string> classifications;
  std::vector<FactInfo> facts;        // in declaration order
  std::vector<std::string> definitions;
  std::vector<GroupInfo> groups;      // named groups only (not set literals)
  std::vector<ParameterInfo> parameters;
  std::vector<TierInfo> tiers;
  std::vector<RuleInfo> rules;        // rules and exemptions, in declaration order
};

// The inventory as one JSON object (dates as "YYYY-MM-DD", open ends as null). Deterministic.
EDICT_API std::string inventory_json(const PolicyInventory& inventory);

}  // namespace edict
