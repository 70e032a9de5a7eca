// Checking, part 5: the `overrides` lists of exemptions. A list holds names and selectors (`rules deciding
// OUTCOME`, `rules testing classified "LABEL"`); `amend exemption` may replace it or change it with
// `overrides add` / `overrides remove`. Each version's list is resolved to entities for the rulebook it
// belongs to: a selector takes the rules whose version in that rulebook decides the outcome or tests the
// label, so an exemption's version is split wherever a rule's version starts or ends inside it.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "ir/queries.hpp"
#include "print.hpp"
#include "sema/checker.hpp"
#include "sema/labels.hpp"

namespace edict::sema {

namespace {

bool is_selector(const syntax::OverrideItem& item) { return item.kind != syntax::OverrideKind::kName; }

bool has_selector(const std::vector<syntax::OverrideItem>& items) {
  return std::any_of(items.begin(), items.end(), is_selector);
}

// Which rules a selector takes in a rulebook; the labels each rule version tests are collected once.
class Selection {
 public:
  Selection(const CompiledProgram& program, const std::unordered_map<std::string, std::uint32_t>& label_index)
      : program_(program), label_index_(label_index), collector_(program) {}

  bool takes(const syntax::OverrideItem& selector, std::uint32_t rule, Date rulebook) {
    const auto* v = ir::visible_version(program_.entities[rule], rulebook);
    if (v == nullptr || v->outcome_kind != ir::OutcomeKind::kDecision) return false;
    if (selector.kind == syntax::OverrideKind::kRulesDeciding) {
      return v->outcome != ir::kNone && program_.outcomes[v->outcome] == selector.text;
    }
    const auto label = label_index_.find(selector.text);
    if (label == label_index_.end()) return false;
    auto [it, fresh] = tested_.try_emplace(v);
    if (fresh) it->second = collector_.collect(v->condition);
    return it->second.count(label->second) > 0;
  }

 private:
  const CompiledProgram& program_;
  const std::unordered_map<std::string, std::uint32_t>& label_index_;
  LabelCollector collector_;
  std::map<const ir::RuleVersion*, std::set<std::uint32_t>> tested_;
};

std::string listed(const std::vector<syntax::OverrideItem>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "`" : ", `") + grammar::print_override(item) + "`";
  return out.empty() ? "(empty)" : out;
}

}  // namespace

void Checker::change_overrides(std::uint32_t entity_index, std::uint32_t version_index,
                               const syntax::RuleBody& body) {
  const auto& entity = program_->entities[entity_index];
  auto& list = version_syntax_[entity_index][version_index].overrides;
  const bool changes = !body.overrides_added.empty() || !body.overrides_removed.empty();
  if (!body.has_overrides && !changes) return;
  const auto first_span = body.has_overrides && !body.overrides.empty() ? body.overrides.front().span
                          : !body.overrides_added.empty()                 ? body.overrides_added.front().span
                                                                          : body.overrides_removed.front().span;
  if (!entity.exemption) {
    error(first_span, "invalid-clause", "only exemptions have `overrides`");
    return;
  }
  if (body.has_overrides) {
    if (changes) {
      error(first_span, "invalid-clause", "`overrides` gives the whole list: it cannot go with `overrides add` or `overrides remove`",
            "keep either the whole list or the changes");
    }
    list = body.overrides;
    return;
  }
  if (version_index == 0) {
    error(first_span, "invalid-clause", "`overrides add` and `overrides remove` change the list of an earlier version",
          "in a declaration, write the whole list: `overrides NAME, ...`; use them in `amend exemption`");
    return;
  }
  for (const auto& item : body.overrides_removed) {
    const auto it = std::find_if(list.begin(), list.end(), [&](const auto& o) { return o.same_as(item); });
    if (it == list.end()) {
      error(item.span, "invalid-override",
            fmt::format("`{}` is not in the overrides list of exemption `{}`", grammar::print_override(item), entity.name),
            fmt::format("the list before this amendment: {}", listed(list)));
      continue;
    }
    list.erase(it);
  }
  for (const auto& item : body.overrides_added) {
    if (std::any_of(list.begin(), list.end(), [&](const auto& o) { return o.same_as(item); })) {
      error(item.span, "invalid-override",
            fmt::format("`{}` is already in the overrides list of exemption `{}`", grammar::print_override(item), entity.name));
      continue;
    }
    list.push_back(item);
  }
}

// Splits each exemption version whose list has a selector at every rulebook date inside it where a rule's
// version starts or ends: within each piece every rule reads one version, so the selector has one answer.
void Checker::split_for_selectors() {
  std::set<Date> boundaries;
  for (const auto& entity : program_->entities) {
    if (entity.exemption) continue;
    for (const auto& v : entity.versions) {
      boundaries.insert(v.known_from);
      boundaries.insert(v.known_until);
    }
  }
  for (std::uint32_t e = 0; e < program_->entities.size(); ++e) {
    auto& entity = program_->entities[e];
    if (!entity.exemption) continue;
    std::vector<ir::RuleVersion> versions;
    std::vector<VersionSyntax> syntaxes;
    for (std::uint32_t v = 0; v < entity.versions.size(); ++v) {
      const auto& version = entity.versions[v];
      const auto& syntax = version_syntax_[e][v];
      Date from = version.known_from;
      if (has_selector(syntax.overrides)) {
        for (auto it = boundaries.upper_bound(from); it != boundaries.end() && *it < version.known_until; ++it) {
          versions.push_back(version);
          versions.back().known_from = from;
          versions.back().known_until = *it;
          syntaxes.push_back(syntax);
          from = *it;
        }
      }
      versions.push_back(version);
      versions.back().known_from = from;
      syntaxes.push_back(syntax);
    }
    entity.versions = std::move(versions);
    version_syntax_[e] = std::move(syntaxes);
  }
}

void Checker::resolve_overrides() {
  std::vector<std::string> entity_names;
  for (const auto& other : program_->entities) entity_names.push_back(other.name);
  // An item is checked once: amendments and split versions copy it.
  std::set<std::pair<std::uint32_t, std::uint32_t>> checked;
  Selection selection(*program_, label_index_);
  std::map<std::pair<int, std::string>, bool> selected_any;  // per selector: whether it ever took a rule
  std::map<std::pair<int, std::string>, syntax::Span> selector_span;
  for (std::uint32_t e = 0; e < program_->entities.size(); ++e) {
    auto& entity = program_->entities[e];
    for (std::uint32_t v = 0; v < entity.versions.size(); ++v) {
      auto& version = entity.versions[v];
      const auto add = [&](std::uint32_t target) {
        if (std::find(version.overrides.begin(), version.overrides.end(), target) == version.overrides.end()) {
          version.overrides.push_back(target);
        }
      };
      for (const auto& item : version_syntax_[e][v].overrides) {
        const bool first_time = checked.insert({item.span.file, item.span.begin}).second;
        if (item.kind == syntax::OverrideKind::kName) {
          const auto it = names_.find(item.text);
          if (it == names_.end() || it->second.kind != NameKind::kEntity) {
            if (first_time) {
              error(item.span, "unknown-rule", fmt::format("`{}` is not a rule or exemption", item.text),
                    source::did_you_mean(item.text, entity_names));
            }
            continue;
          }
          if (it->second.index == e) {
            if (first_time) error(item.span, "invalid-override", "an exemption cannot override itself");
            continue;
          }
          add(it->second.index);
          continue;
        }
        const std::pair<int, std::string> key{static_cast<int>(item.kind), item.text};
        selector_span.emplace(key, item.span);
        bool& any = selected_any[key];
        for (std::uint32_t rule = 0; rule < program_->entities.size(); ++rule) {
          if (program_->entities[rule].exemption || !selection.takes(item, rule, version.known_from)) continue;
          add(rule);
          any = true;
        }
      }
    }
  }
  for (const auto& [key, any] : selected_any) {
    const auto span = selector_span.at(key);
    if (key.first == static_cast<int>(syntax::OverrideKind::kRulesDeciding) && !outcome_index_.count(key.second)) {
      error(span, "unknown-outcome", fmt::format("`{}` is not an outcome of this policy", key.second),
            source::did_you_mean(key.second, program_->outcomes));
    } else if (key.first == static_cast<int>(syntax::OverrideKind::kRulesTesting) && !label_index_.count(key.second)) {
      error(span, "unknown-classification", fmt::format("no rule classifies `{}`", key.second),
            source::did_you_mean(key.second, program_->labels));
    } else if (!any) {
      warning(span, "override-selects-nothing", "this selector takes no rule in any version of the rulebook",
              "a selector takes the rules that decide the outcome (or test the label) in the exemption's rulebook");
    }
  }
}

}  // namespace edict::sema
