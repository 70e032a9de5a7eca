// Checking, part 2: rules and exemptions, and how amendments version them. Each `rule`, `amend` and
// `repeal` closes or opens a version in the rulebook dimension (rules_as_of); effective windows are the
// as_of dimension.
#include <algorithm>

#include <fmt/format.h>

#include "sema/checker.hpp"

namespace edict::sema {

namespace {
const char* kind_word(bool exemption) { return exemption ? "exemption" : "rule"; }
}  // namespace

void Checker::declare_entity(const syntax::RuleDecl& decl) {
  const bool exemption = decl.kind == syntax::RuleKind::kExemption;
  const auto index = static_cast<std::uint32_t>(program_->entities.size());
  if (names_.count(decl.name.text)) {
    declare_name(decl.name.text, NameKind::kEntity, index, decl.name.span);  // reports the duplicate
    return;
  }
  if (program_->entities.size() == limits_.rules) {
    error(decl.name.span, "limit-exceeded",
          fmt::format("the policy has more than {} rules and exemptions", limits_.rules),
          "split the policy, or raise Limits::rules");
  }
  ir::Entity entity;
  entity.name = decl.name.text;
  entity.exemption = exemption;
  entity.span = decl.name.span;
  ir::RuleVersion version;
  version.known_from = known_from_;
  version.defined_by = defined_by_;
  version.span = decl.span;
  entity.versions.push_back(std::move(version));
  program_->entities.push_back(std::move(entity));
  version_syntax_.emplace_back(1);
  declare_name(decl.name.text, NameKind::kEntity, index, decl.name.span);
  apply_body(index, 0, decl.body);

  const auto& b = decl.body;
  const auto missing = [&](bool present, const char* clause) {
    if (!present) {
      error(decl.name.span, "missing-clause", fmt::format("{} `{}` has no `{}` clause", kind_word(exemption),
                                                          decl.name.text, clause));
    }
  };
  missing(b.title.has_value(), "title");
  missing(b.citation.has_value(), "citation");
  missing(b.when != nullptr, "when");
  missing(b.then.has_value(), "then");
  if (exemption) missing(b.has_overrides || !b.overrides_added.empty() || !b.overrides_removed.empty(), "overrides");
}

// Sets the clauses present in `body` on a version (all of them for a new rule, some for an amendment).
void Checker::apply_body(std::uint32_t entity_index, std::uint32_t version_index, const syntax::RuleBody& body) {
  auto& entity = program_->entities[entity_index];
  auto& version = entity.versions[version_index];
  auto& syntax = version_syntax_[entity_index][version_index];
  if (body.title) version.title = body.title->value;
  if (body.citation) version.citation = body.citation->value;
  if (body.has_effective) {
    version.from = Date::min();
    version.until = Date::max();
    if (body.effective_from) version.from = parse_date(*body.effective_from).value_or(Date::min());
    if (body.effective_until) version.until = parse_date(*body.effective_until).value_or(Date::max());
    if (version.until <= version.from) {
      error(body.effective_span, "empty-window", "the effective window is empty: `until` must be after `from`");
    }
  }
  if (body.when) syntax.when = body.when.get();
  change_overrides(entity_index, version_index, body);
  change_sets(entity_index, version_index, body);
  if (body.then) {
    const auto& then = *body.then;
    version.reason = then.reason ? then.reason->value : std::string();
    if (then.kind == syntax::OutcomeKind::kClassify) {
      if (entity.exemption) {
        error(then.span, "invalid-clause", "an exemption gives a decision, not a classification");
      }
      version.outcome_kind = ir::OutcomeKind::kClassify;
      auto [it, inserted] = label_index_.emplace(then.label, static_cast<std::uint32_t>(program_->labels.size()));
      if (inserted) program_->labels.push_back(then.label);
      version.outcome = it->second;
    } else {
      version.outcome_kind = ir::OutcomeKind::kDecision;
      const auto it = outcome_index_.find(then.label);
      if (it == outcome_index_.end()) {
        if (have_policy_) {
          error(then.span, "unknown-outcome", fmt::format("`{}` is not an outcome of this policy", then.label),
                source::did_you_mean(then.label, program_->outcomes));
        }
      } else {
        version.outcome = it->second;
      }
    }
  }
}

void Checker::amend(const syntax::AmendDecl& decl) {
  if (!in_amendment_) {
    error(decl.span, "amend-outside-amendment", "`amend` is only allowed in an amendment file",
          "start the file with `amendment \"Title\" published YYYY-MM-DD end`");
    return;
  }
  const auto it = names_.find(decl.name.text);
  const auto unknown = [&](const char* what) {
    std::vector<std::string> candidates;
    for (const auto& [name, entry] : names_) candidates.push_back(name);
    std::sort(candidates.begin(), candidates.end());
    error(decl.name.span, "unknown-name", fmt::format("there is no {} `{}` to amend", what, decl.name.text),
          source::did_you_mean(decl.name.text, candidates));
  };
  switch (decl.target) {
    case syntax::AmendTarget::kRule:
    case syntax::AmendTarget::kExemption: {
      const bool exemption = decl.target == syntax::AmendTarget::kExemption;
      if (it == names_.end() || it->second.kind != NameKind::kEntity ||
          program_->entities[it->second.index].exemption != exemption) {
        unknown(kind_word(exemption));
        return;
      }
      const auto index = it->second.index;
      auto& entity = program_->entities[index];
      auto& latest = entity.versions.back();
      if (latest.known_until != Date::max()) {
        error(decl.name.span, "amend-repealed", fmt::format("{} `{}` was repealed", kind_word(exemption), entity.name));
        return;
      }
      latest.known_until = known_from_;
      ir::RuleVersion next = latest;
      next.known_from = known_from_;
      next.known_until = Date::max();
      next.defined_by = defined_by_;
      next.span = decl.span;
      next.condition = ir::kNone;
      next.overrides.clear();
      entity.versions.push_back(std::move(next));
      version_syntax_[index].push_back(version_syntax_[index].back());
      apply_body(index, static_cast<std::uint32_t>(entity.versions.size() - 1), decl.body);
      return;
    }
    case syntax::AmendTarget::kGroup: {
      if (it == names_.end() || it->second.kind != NameKind::kGroup) {
        unknown("group");
        return;
      }
      add_group_changes(program_->groups[it->second.index], decl.changes, known_from_);
      return;
    }
    case syntax::AmendTarget::kParameter: {
      if (it == names_.end() || it->second.kind != NameKind::kParameter) {
        unknown("parameter");
        return;
      }
      add_parameter_steps(it->second.index, decl.steps);
      return;
    }
  }
}

void Checker::repeal(const syntax::RepealDecl& decl) {
  if (!in_amendment_) {
    error(decl.span, "amend-outside-amendment", "`repeal` is only allowed in an amendment file");
    return;
  }
  const bool exemption = decl.kind == syntax::RuleKind::kExemption;
  const auto it = names_.find(decl.name.text);
  if (it == names_.end() || it->second.kind != NameKind::kEntity ||
      program_->entities[it->second.index].exemption != exemption) {
    error(decl.name.span, "unknown-name", fmt::format("there is no {} `{}` to repeal", kind_word(exemption),
                                                      decl.name.text));
    return;
  }
  auto& latest = program_->entities[it->second.index].versions.back();
  if (latest.known_until != Date::max()) {
    error(decl.name.span, "amend-repealed", fmt::format("`{}` was already repealed", decl.name.text));
    return;
  }
  latest.known_until = known_from_;
}

// Tables derived from all versions: which rules classify each label.
void Checker::finish_entities() {
  program_->label_rules.assign(program_->labels.size(), {});
  for (std::uint32_t e = 0; e < program_->entities.size(); ++e) {
    for (const auto& v : program_->entities[e].versions) {
      if (v.outcome_kind != ir::OutcomeKind::kClassify || v.outcome == ir::kNone) continue;
      auto& rules = program_->label_rules[v.outcome];
      if (std::find(rules.begin(), rules.end(), e) == rules.end()) rules.push_back(e);
    }
  }
}

void Checker::lower_entities() {
  for (std::uint32_t e = 0; e < program_->entities.size(); ++e) {
    auto& entity = program_->entities[e];
    for (std::uint32_t v = 0; v < entity.versions.size(); ++v) {
      const auto& syntax = version_syntax_[e][v];
      if (syntax.when != nullptr) {
        // Amended versions that keep their condition share the lowered nodes (and report errors once).
        auto [it, inserted] = lowered_when_.emplace(syntax.when, ir::kNone);
        if (inserted) it->second = lower_condition(*syntax.when);
        entity.versions[v].condition = it->second;
      }
      lower_sets(e, v);
    }
  }
  split_for_selectors();
  resolve_overrides();
}

}  // namespace edict::sema
