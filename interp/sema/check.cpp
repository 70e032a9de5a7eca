// Checking, part 1: declarations. Files are read base first, then amendments in publication order; every
// name is declared before any expression is lowered, so declarations may appear in any order.
#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "edict/files.hpp"
#include "core/names.hpp"
#include "core/number.hpp"
#include "core/suggest.hpp"
#include "ir/queries.hpp"
#include "ir/walk.hpp"
#include "sema/checker.hpp"

namespace edict::sema {

namespace {
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

const syntax::AmendmentDecl* amendment_of(const syntax::File& file) {
  for (const auto& decl : file.decls) {
    if (const auto* a = std::get_if<syntax::AmendmentDecl>(&decl)) return a;
  }
  return nullptr;
}

bool has_error(const std::vector<source::SpanDiagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const source::SpanDiagnostic& d) { return d.severity == Severity::kError; });
}
}  // namespace

Checker::Checker(Loaded loaded, const CompileOptions& options)
    : program_(std::make_shared<CompiledProgram>()),
      loaded_(std::move(loaded)),
      limits_(options.effective_limits()) {}

void Checker::error(syntax::Span span, std::string code, std::string message, std::string help) {
  diagnostics_.push_back({Severity::kError, std::move(code), std::move(message), std::move(help), span, true});
}

void Checker::warning(syntax::Span span, std::string code, std::string message, std::string help) {
  diagnostics_.push_back({Severity::kWarning, std::move(code), std::move(message), std::move(help), span, true});
}

std::optional<Date> Checker::parse_date(const syntax::DateLit& date) {
  auto parsed = Date::parse(date.text);
  if (!parsed) error(date.span, "invalid-date", fmt::format("`{}` is not a valid calendar date", date.text));
  return parsed;
}

source::LineColumn Checker::line_column(syntax::Span span) const {
  if (span.file >= line_indexes_.size()) return {};
  return line_indexes_[span.file].line_column(span.begin);
}

CheckResult Checker::run() {
  program_->sources = loaded_.sources;
  program_->limits = limits_;
  for (const auto& source : program_->sources) line_indexes_.emplace_back(source.text);
  diagnostics_ = std::move(loaded_.diagnostics);
  const std::size_t load_diagnostics = diagnostics_.size();
  const bool load_failed = has_error(diagnostics_);
  order_files();
  declare_enums_and_policy();
  for (const auto* file : ordered_files_) declare_file(*file);
  finish_entities();
  lower_fact_defaults();
  lower_bodies();
  order_rules();
  collect_exemption_candidates();
  warn_possible_conflicts();
  warn_unknown_givens();
  check_value_expectations();
  for (const auto& n : program_->numbers) program_->num_constants.push_back(core::Num::from_rational(n));
  ir::index_enum_sets(*program_);
  ir::index_name_facts(*program_);
  for (const auto& index : line_indexes_) program_->line_starts.push_back(index.starts());
  for (const auto& d : program_->definitions) {  // for traces: the expression as written
    if (d.node >= program_->nodes.size()) {
      program_->definition_texts.emplace_back();
      continue;
    }
    const auto& node = program_->nodes[d.node];
    program_->definition_texts.push_back(node.text != ir::kNone ? program_->strings[node.text]
                                                                : ir::span_text(program_->sources, node.span));
  }
  // A file that did not load or parse declares nothing, so most of what the checks found since (unknown
  // names, types and outcomes, a missing policy, the type errors they lead to) would only echo it: the load
  // errors stand alone, and the checks speak again once every file parses.
  if (load_failed) diagnostics_.resize(load_diagnostics);
  CheckResult result;
  const bool failed = has_error(diagnostics_);
  result.diagnostics = std::move(diagnostics_);
  result.sources = program_->sources;
  if (!failed) result.program = std::move(program_);
  return result;
}

// Base files (no `amendment`) in load order, then amendments by publication date, ties by path.
void Checker::order_files() {
  std::vector<std::pair<Date, const LoadedFile*>> amendments;
  for (const auto& file : loaded_.files) {
    const auto* amendment = amendment_of(file.tree);
    if (amendment == nullptr) {
      ordered_files_.push_back(&file);
      continue;
    }
    const auto date = Date::parse(amendment->published.text);
    amendments.emplace_back(date.value_or(Date::min()), &file);
  }
  std::stable_sort(amendments.begin(), amendments.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return program_->sources[a.second->index].path < program_->sources[b.second->index].path;
  });
  for (const auto& [date, file] : amendments) ordered_files_.push_back(file);
}

void Checker::declare_enums_and_policy() {
  for (const auto* file : ordered_files_) {
    for (const auto& decl : file->tree.decls) {
      if (const auto* e = std::get_if<syntax::EnumDecl>(&decl)) {
        if (names_.count(e->name.text) || std::any_of(program_->enums.begin(), program_->enums.end(),
                                                      [&](const auto& x) { return x.name == e->name.text; })) {
          error(e->name.span, "duplicate-name", fmt::format("`{}` is declared twice", e->name.text));
          continue;
        }
        ir::EnumType type;
        type.name = e->name.text;
        for (const auto& m : e->members) {
          if (type.codes.size() == limits_.group_members) {
            error(m.span, "limit-exceeded",
                  fmt::format("enum `{}` has more than {} members", type.name, limits_.group_members));
            break;
          }
          if (type.index.count(m.code)) {
            error(m.span, "duplicate-member", fmt::format("`{}` is listed twice in enum `{}`", m.code, type.name));
            continue;
          }
          type.index[m.code] = static_cast<std::uint32_t>(type.codes.size());
          type.codes.push_back(m.code);
          type.displays.push_back(m.display.value_or(""));
        }
        program_->enums.push_back(std::move(type));
      } else if (const auto* p = std::get_if<syntax::PolicyDecl>(&decl)) {
        if (have_policy_) {
          error(p->span, "duplicate-policy", "a policy has exactly one `policy` declaration");
          continue;
        }
        have_policy_ = true;
        program_->policy_title = p->title.value;
        for (const auto& o : p->outcomes) {
          if (outcome_index_.count(o.text)) {
            error(o.span, "duplicate-outcome", fmt::format("outcome `{}` is listed twice", o.text));
            continue;
          }
          outcome_index_[o.text] = static_cast<std::uint32_t>(program_->outcomes.size());
          program_->outcomes.push_back(o.text);
        }
        const auto d = outcome_index_.find(p->default_outcome.text);
        if (d == outcome_index_.end()) {
          error(p->default_outcome.span, "unknown-outcome",
                fmt::format("default `{}` is not one of the outcomes", p->default_outcome.text),
                source::did_you_mean(p->default_outcome.text, program_->outcomes));
        } else {
          program_->default_outcome = d->second;
        }
      }
    }
  }
  const bool any_rules = std::any_of(ordered_files_.begin(), ordered_files_.end(), [](const LoadedFile* f) {
    return !f->from_stdlib && !f->tree.decls.empty();
  });
  // Also for a policy without any declaration (an empty file), unless a file did not load or parse: it has
  // no outcomes to decide.
  const bool load_errors = std::any_of(diagnostics_.begin(), diagnostics_.end(),
                                       [](const source::SpanDiagnostic& d) { return d.severity == Severity::kError; });
  if (!have_policy_ && (any_rules || !load_errors)) {
    syntax::Span span{ordered_files_.empty() ? 0 : ordered_files_.front()->index, 0, 0};
    diagnostics_.push_back({Severity::kError, "missing-policy", "the policy has no `policy` declaration",
                            "add `policy \"Title\" outcomes a > b default b end` to one of its files", span,
                            !ordered_files_.empty()});
  }
}

void Checker::declare_name(const std::string& name, NameKind kind, std::uint32_t index, syntax::Span span) {
  if (program_->fact_index.count(name)) {
    error(span, "duplicate-name", fmt::format("`{}` is already a fact", name));
    return;
  }
  const auto [it, inserted] = names_.emplace(name, NameEntry{kind, index, span});
  if (!inserted) {
    const auto& other = program_->sources[it->second.span.file];
    const auto at = line_column(it->second.span);
    error(span, "duplicate-name", fmt::format("`{}` is declared twice", name),
          fmt::format("first declared at {}:{}:{}; use `amend` in an amendment to change it", other.path, at.line,
                      at.column));
  }
}

void Checker::declare_file(const LoadedFile& file) {
  const auto* amendment = amendment_of(file.tree);
  in_amendment_ = amendment != nullptr;
  known_from_ = Date::min();
  defined_by_ = program_->sources[file.index].path;
  if (amendment != nullptr) {
    if (auto date = parse_date(amendment->published)) known_from_ = *date;
    defined_by_ = amendment->title.value;
    if (!std::holds_alternative<syntax::AmendmentDecl>(file.tree.decls.front())) {
      error(amendment->span, "misplaced-amendment", "`amendment` must be the first declaration of its file");
    }
  }
  bool seen_amendment = false;
  for (const auto& decl : file.tree.decls) {
    std::visit(Overloaded{
                   [&](const syntax::AmendmentDecl& d) {
                     if (seen_amendment) error(d.span, "duplicate-amendment", "a file has at most one `amendment`");
                     seen_amendment = true;
                   },
                   [&](const syntax::PolicyDecl&) {}, [&](const syntax::ImportDecl&) {},
                   [&](const syntax::UseDecl&) {}, [&](const syntax::EnumDecl&) {},
                   [&](const syntax::FactDecl& d) { declare_fact(d); },
                   [&](const syntax::OutputDecl& d) { declare_output(d); },
                   [&](const syntax::DefineDecl& d) {
                     const auto index = static_cast<std::uint32_t>(program_->definitions.size());
                     program_->definitions.push_back({d.name.text, ir::kNone, d.name.span});
                     definition_state_.push_back(LowerState::kPending);
                     definition_syntax_.push_back(d.value.get());
                     declare_name(d.name.text, NameKind::kDefinition, index, d.name.span);
                   },
                   [&](const syntax::GroupDecl& d) { declare_group(d); },
                   [&](const syntax::ParameterDecl& d) { declare_parameter(d); },
                   [&](const syntax::TierDecl& d) { declare_tier(d); },
                   [&](const syntax::RuleDecl& d) { declare_entity(d); },
                   [&](const syntax::AmendDecl& d) { amend(d); },
                   [&](const syntax::RepealDecl& d) { repeal(d); },
                   [&](const syntax::TestDecl& d) { declare_test(d, file.index); },
               },
               decl);
  }
}

std::optional<ir::TypeInfo> Checker::resolve_type(const syntax::TypeRef& type, const std::string& path) {
  using syntax::BaseType;
  switch (type.base) {
    case BaseType::kDecimal:
    case BaseType::kInteger: return ir::TypeInfo{ir::Type::kNumber};
    case BaseType::kBool: return ir::TypeInfo{ir::Type::kBool};
    case BaseType::kString: return ir::TypeInfo{ir::Type::kString};
    case BaseType::kDate: return ir::TypeInfo{ir::Type::kDate};
    case BaseType::kOneOf: {
      ir::EnumType e;
      e.name = "one of " + path;
      for (const auto& v : type.one_of) {
        if (e.index.count(v.value)) {
          error(v.span, "duplicate-member", fmt::format("`{}` is listed twice", v.value));
          continue;
        }
        e.index[v.value] = static_cast<std::uint32_t>(e.codes.size());
        e.codes.push_back(v.value);
        e.displays.emplace_back();
      }
      program_->enums.push_back(std::move(e));
      return ir::TypeInfo{ir::Type::kEnum, static_cast<std::uint32_t>(program_->enums.size() - 1)};
    }
    case BaseType::kNamed: {
      std::vector<std::string> known = {"decimal", "integer", "bool", "string", "date"};
      for (std::uint32_t i = 0; i < program_->enums.size(); ++i) {
        if (program_->enums[i].name == type.named.text) return ir::TypeInfo{ir::Type::kEnum, i};
        if (program_->enums[i].name.rfind("one of ", 0) != 0) known.push_back(program_->enums[i].name);
      }
      auto help = source::did_you_mean(type.named.text, known);
      if (help.empty() && type.named.text == "country") help = "`country` is defined by the stdlib: add `use iso3166`";
      error(type.named.span, "unknown-type", fmt::format("unknown type `{}`", type.named.text), help);
      return std::nullopt;
    }
  }
  return std::nullopt;
}

void Checker::declare_fact(const syntax::FactDecl& decl) {
  const auto& path = decl.path.text;
  if (program_->fact_index.count(path) || names_.count(path)) {
    error(decl.path.span, "duplicate-name", fmt::format("fact `{}` is declared twice", path));
    return;
  }
  for (const auto& other : program_->facts) {
    if (other.path.rfind(path + ".", 0) == 0 || path.rfind(other.path + ".", 0) == 0) {
      error(decl.path.span, "fact-path-conflict",
            fmt::format("fact `{}` cannot be both a value and an object (see `{}`)", path, other.path));
      return;
    }
  }
  auto type = resolve_type(decl.type, path);
  if (!type) return;
  ir::FactSlot slot;
  slot.path = path;
  slot.type = *type;
  slot.optional = decl.type.optional;
  slot.doc = decl.doc.value;
  slot.span = decl.path.span;
  slot.integer = decl.type.base == syntax::BaseType::kInteger;  // integrality is checked when binding
  const auto index = static_cast<std::uint32_t>(program_->facts.size());
  program_->fact_index[path] = index;
  program_->facts.push_back(std::move(slot));
  if (decl.default_value) pending_fact_defaults_.emplace_back(index, decl.default_value.get());
}

void Checker::lower_fact_defaults() {
  for (const auto& [index, expr] : pending_fact_defaults_) {
    const auto node = lower(*expr);
    if (node == ir::kNone) continue;
    if (program_->facts[index].type.type == ir::Type::kEnum && program_->nodes[node].op == ir::Op::kConstStr) {
      ir::Node fact;
      fact.op = ir::Op::kFact;
      fact.type = program_->facts[index].type;
      fact.a = index;
      const auto fact_node = add_node(fact);
      if (!coerce_string_literal(*this, node, fact_node)) continue;  // reports an unknown code
    }
    const auto& n = program_->nodes[node];
    if (!ir::is_constant(n.op) && n.op != ir::Op::kFact) {
      error(expr->span, "invalid-default", "a fact default must be a literal or another fact");
      continue;
    }
    if (n.op == ir::Op::kFact && program_->facts[n.a].default_node != ir::kNone) {
      error(expr->span, "invalid-default", "a fact default may not be a fact that has a default itself");
      continue;
    }
    if (!(n.type == program_->facts[index].type)) {
      error(expr->span, "type-mismatch",
            fmt::format("the default of `{}` is {}, but the fact is {}", program_->facts[index].path,
                        type_name(n.type), type_name(program_->facts[index].type)));
      continue;
    }
    program_->facts[index].default_node = node;
  }
}

void Checker::declare_group(const syntax::GroupDecl& decl) {
  ir::Group group;
  group.name = decl.name.text;
  group.span = decl.name.span;
  const auto& et = decl.element_type.text;
  if (et == "name") {
    group.element = {ir::Type::kString, ir::kNone, true};
  } else if (et == "string") {
    group.element = {ir::Type::kString};
  } else {
    syntax::TypeRef ref;
    ref.base = syntax::BaseType::kNamed;
    ref.named = decl.element_type;
    auto type = resolve_type(ref, decl.name.text);
    if (!type) return;
    group.element = *type;
    group.enum_events.resize(program_->enums[type->enum_id].codes.size());
  }
  const auto index = static_cast<std::uint32_t>(program_->groups.size());
  program_->groups.push_back(std::move(group));
  declare_name(decl.name.text, NameKind::kGroup, index, decl.name.span);
  if (decl.definition) pending_group_definitions_.emplace_back(index, decl.definition.get());
  add_group_changes(program_->groups[index], decl.changes, known_from_);
}

// Adds dated membership events. `members` and undated changes take effect from the beginning of time.
void Checker::add_group_changes(ir::Group& group, const std::vector<syntax::GroupChange>& changes,
                                Date known_from) {
  if (!changes.empty() && group_defined_by_expression(group)) {
    error(changes.front().span, "invalid-group-change",
          fmt::format("group `{}` is defined by set algebra; change the groups it is built from", group.name));
    return;
  }
  for (const auto& change : changes) {
    Date from = Date::min();
    if (change.from) from = parse_date(*change.from).value_or(Date::min());
    add_members(group, *change.members, known_from, from, change.kind != syntax::GroupChangeKind::kRemove);
  }
}

bool Checker::group_defined_by_expression(const ir::Group& group) const {
  for (const auto& [index, expr] : pending_group_definitions_) {
    if (&program_->groups[index] == &group) return true;
  }
  return false;
}

void Checker::add_members(ir::Group& group, const syntax::Expr& literal, Date known_from, Date from, bool add) {
  for (const auto& member : literal.members) {
    std::vector<ir::MembershipEvent>* events = nullptr;
    if (group.element.type == ir::Type::kEnum) {
      const auto& e = program_->enums[group.element.enum_id];
      const auto it = e.index.find(member.value);
      if (it == e.index.end()) {
        error(member.span, "unknown-member", fmt::format("`{}` is not a `{}`", member.value, e.name),
              source::did_you_mean(member.value, e.codes));
        continue;
      }
      if (!member.aliases.empty()) error(member.span, "invalid-alias", "only name groups have aliases");
      events = &group.enum_events[it->second];
    } else {
      const auto key = group.element.names ? core::normalize_party_name(member.value) : member.value;
      auto it = group.keys.find(key);
      std::uint32_t entry = 0;
      if (it == group.keys.end()) {
        if (group.entries.size() == limits_.group_members) {
          error(member.span, "limit-exceeded",
                fmt::format("group `{}` has more than {} members", group.name, limits_.group_members));
          return;
        }
        entry = static_cast<std::uint32_t>(group.entries.size());
        group.entries.push_back(member.value);
        group.entry_events.emplace_back();
        group.keys.emplace(key, entry);
      } else {
        entry = it->second;
      }
      for (const auto& alias : member.aliases) {
        const auto alias_key = group.element.names ? core::normalize_party_name(alias) : alias;
        const auto [a, inserted] = group.keys.emplace(alias_key, entry);
        if (!inserted && a->second != entry) {
          error(member.span, "duplicate-member",
                fmt::format("alias `{}` already names `{}`", alias, group.entries[a->second]));
        }
      }
      events = &group.entry_events[entry];
    }
    events->push_back({known_from, from, add});
  }
}

void Checker::declare_parameter(const syntax::ParameterDecl& decl) {
  ir::Parameter parameter;
  parameter.name = decl.name.text;
  parameter.span = decl.name.span;
  const auto index = static_cast<std::uint32_t>(program_->parameters.size());
  program_->parameters.push_back(std::move(parameter));
  add_parameter_steps(index, decl.steps);
  declare_name(decl.name.text, NameKind::kParameter, index, decl.name.span);
}

// Adds dated steps, visible from the current file's publication date; values are lowered later.
void Checker::add_parameter_steps(std::uint32_t index, const std::vector<syntax::ParameterStep>& steps) {
  auto& parameter = program_->parameters[index];
  for (const auto& step : steps) {
    const auto from = parse_date(step.from).value_or(Date::min());
    parameter.steps.push_back({known_from_, Date::max(), from, ir::kNone});
    if (step.value) {
      pending_parameter_values_.push_back(
          {index, static_cast<std::uint32_t>(parameter.steps.size() - 1), step.value.get()});
    }
  }
}

void Checker::declare_tier(const syntax::TierDecl& decl) {
  ir::Tier tier;
  tier.name = decl.name.text;
  tier.span = decl.name.span;
  for (const auto& c : decl.cases) {
    if (std::find(tier.labels.begin(), tier.labels.end(), c.label.value) == tier.labels.end()) {
      tier.labels.push_back(c.label.value);
    }
  }
  if (std::find(tier.labels.begin(), tier.labels.end(), decl.otherwise.value) == tier.labels.end()) {
    tier.labels.push_back(decl.otherwise.value);
  }
  const auto index = static_cast<std::uint32_t>(program_->tiers.size());
  program_->tiers.push_back(std::move(tier));
  declare_name(decl.name.text, NameKind::kTier, index, decl.name.span);
  pending_tiers_.emplace_back(index, &decl);
}

void Checker::declare_test(const syntax::TestDecl& decl, std::uint32_t file) {
  PolicyTest test;
  test.name = decl.name.value;
  test.file = program_->sources[file].path;
  test.line = line_column(decl.span).line;
  if (decl.as_of) test.as_of = parse_date(*decl.as_of);
  if (decl.rules_as_of) test.rules_as_of = parse_date(*decl.rules_as_of);
  const auto dir = std::filesystem::path(test.file).parent_path();
  for (const auto& f : decl.fact_files) {
    // The import rules: a policy reads no file outside its root (the file itself is read when the test runs).
    auto resolved = resolve_inside_root(dir.string(), f.value, loaded_.root, "fact file");
    if (!resolved.ok()) {
      error(f.span, resolved.problem.code, resolved.problem.message,
            "files named by a policy must stay inside the directory of the policy");
      continue;
    }
    test.fact_files.push_back(std::move(resolved.path));
  }
  for (const auto& given : decl.givens) {
    const auto& e = *given.value;
    FactValue v;
    switch (e.kind) {
      case syntax::ExprKind::kNumber: v = {FactValue::Kind::kNumber, false, e.text}; break;
      case syntax::ExprKind::kNeg:
        if (e.kids[0]->kind == syntax::ExprKind::kNumber) {
          v = {FactValue::Kind::kNumber, false, "-" + e.kids[0]->text};
          break;
        }
        [[fallthrough]];
      default: error(e.span, "invalid-given", "`given` takes a literal: a number, string, date, true or false"); continue;
      case syntax::ExprKind::kString: v = {FactValue::Kind::kString, false, e.text}; break;
      case syntax::ExprKind::kDate: v = {FactValue::Kind::kString, false, e.text}; break;
      case syntax::ExprKind::kBool: v = {FactValue::Kind::kBool, e.text == "true", {}}; break;
    }
    if (v.kind == FactValue::Kind::kNumber) v.text.erase(std::remove(v.text.begin(), v.text.end(), '_'), v.text.end());
    test.givens.set(given.path.text, std::move(v), "given");
  }
  for (const auto& expect : decl.expects) {
    PolicyTest::Expectation e;
    e.kind = static_cast<PolicyTest::Expectation::Kind>(expect.kind);
    e.line = line_column(expect.span).line;
    for (const auto& n : expect.names) e.values.push_back(n.text);
    if (expect.kind == syntax::ExpectKind::kValue) {  // {output, value} or {output, "", state}
      e.values.push_back(expect.value ? literal_text(*expect.value) : std::string());
      if (!expect.value) e.values.push_back(expect.labels.empty() ? "unset" : expect.labels[0].value);
    } else {
      for (const auto& l : expect.labels) e.values.push_back(l.value);
    }
    if (expect.kind == syntax::ExpectKind::kDecision && !expect.names.empty()) {
      const auto& d = expect.names[0];
      if (!outcome_index_.count(d.text) && d.text != "indeterminate") {
        auto candidates = program_->outcomes;
        candidates.push_back("indeterminate");
        error(d.span, "unknown-outcome", fmt::format("`{}` is not an outcome of this policy", d.text),
              source::did_you_mean(d.text, candidates));
      }
    }
    test.expectations.push_back(std::move(e));
  }
  program_->tests.push_back(std::move(test));
}

// The text of an `expect value` literal as results give values, so that a test compares texts: a number in
// its canonical exact form (`25.0`, `2_5` and `25` all read "25"; `-0` reads "0"), a date, a string.
std::string Checker::literal_text(const syntax::Expr& literal) {
  if (literal.kind == syntax::ExprKind::kNeg && !literal.kids.empty()) {
    const auto magnitude = literal_text(*literal.kids[0]);
    return magnitude == "0" ? magnitude : "-" + magnitude;
  }
  if (literal.kind != syntax::ExprKind::kNumber) return literal.text;
  const auto exact = core::parse_decimal(literal.text, /*allow_underscores=*/true);
  return exact ? core::format_decimal(*exact) : literal.text;
}

namespace {

// Whether a test's literal (a number, possibly negated, a date, a bool or a string) can be a value of `type`.
bool literal_fits(const ir::TypeInfo& type, const syntax::Expr& literal) {
  const auto kind = literal.kind == syntax::ExprKind::kNeg ? syntax::ExprKind::kNumber : literal.kind;
  switch (type.type) {
    case ir::Type::kNumber: return kind == syntax::ExprKind::kNumber;
    case ir::Type::kDate: return kind == syntax::ExprKind::kDate;
    case ir::Type::kBool: return kind == syntax::ExprKind::kBool;
    default: return kind == syntax::ExprKind::kString;
  }
}

}  // namespace

// `expect value NAME = literal`: NAME is an output and the literal has its type.
void Checker::check_value_expectations() {
  std::vector<std::string> names;
  for (const auto& o : program_->outputs) names.push_back(o.name);
  for_each_test([&](const syntax::TestDecl& test) {
    for (const auto& x : test.expects) {
      if (x.kind != syntax::ExpectKind::kValue || x.names.empty()) continue;
      const auto it = names_.find(x.names[0].text);
      if (it == names_.end() || it->second.kind != NameKind::kOutput) {
        error(x.names[0].span, "unknown-output", fmt::format("`{}` is not an output", x.names[0].text),
              source::did_you_mean(x.names[0].text, names));
        continue;
      }
      const auto& output = program_->outputs[it->second.index];
      if (x.value && !literal_fits(output.type, *x.value)) {
        error(x.value->span, "type-mismatch", fmt::format("output `{}` is {}", output.name, type_name(output.type)));
      } else if (x.value && output.type.type == ir::Type::kEnum) {
        check_code_literal(*x.value, program_->enums[output.type.enum_id]);
      }
    }
  });
}

// A test's expected value of an enumeration output must be one of its codes: another text could never match.
void Checker::check_code_literal(const syntax::Expr& literal, const ir::EnumType& type) {
  if (type.index.count(literal.text)) return;
  error(literal.span, "unknown-member", fmt::format("`{}` is not a `{}`", literal.text, type.name),
        member_help(literal.text, type));
}

// A test's `given` of a path the schema does not declare would be ignored when the test runs (a typo makes
// the test pass or fail for the wrong reason): a warning, with the declared facts it may have meant.
void Checker::warn_unknown_givens() {
  std::vector<std::string> paths;
  for (const auto& fact : program_->facts) paths.push_back(fact.path);
  for_each_test([&](const syntax::TestDecl& test) {
    for (const auto& given : test.givens) {
      if (program_->fact_index.count(given.path.text)) continue;
      warning(given.path.span, "unknown-fact", fmt::format("`{}` is not a declared fact", given.path.text),
              core::did_you_mean(core::nearest_names(given.path.text, paths)));
    }
  });
}

// Lowers every expression once all names are known.
void Checker::lower_bodies() {
  for (std::uint32_t i = 0; i < program_->definitions.size(); ++i) {
    if (definition_state_[i] == LowerState::kPending) lower_definition(i);
  }
  for (const auto& [index, expr] : pending_group_definitions_) {
    const auto element = program_->groups[index].element;
    const auto node = lower_set(*expr, 0, &element);
    if (node == ir::kNone) continue;
    auto& group = program_->groups[index];
    const auto& type = program_->nodes[node].type;
    const ir::TypeInfo expected{ir::Type::kSet, group.element.enum_id, group.element.names};
    if (!(type == expected)) {
      error(expr->span, "type-mismatch",
            fmt::format("group `{}` holds {}, but its definition is {}", group.name, type_name(expected),
                        type_name(type)));
      continue;
    }
    group.definition = node;
  }
  for (std::uint32_t i = 0; i < program_->parameters.size(); ++i) lower_parameter_values(i);
  for (const auto& [index, decl] : pending_tiers_) {
    auto& tier = program_->tiers[index];
    for (const auto& c : decl->cases) {
      const auto condition = lower_condition(*c.condition);
      tier.cases.push_back({intern_string(c.label.value), condition});
    }
    tier.otherwise = intern_string(decl->otherwise.value);
  }
  lower_output_defaults();
  lower_entities();
  check_chain_depth();
  for (const auto& [label, span] : classified_uses_) {
    if (!label_index_.count(label) || program_->label_rules[label_index_.at(label)].empty()) {
      std::vector<std::string> labels;
      for (std::uint32_t i = 0; i < program_->labels.size(); ++i) {
        if (!program_->label_rules[i].empty()) labels.push_back(program_->labels[i]);
      }
      error(span, "unknown-classification", fmt::format("no rule classifies `{}`", label),
            source::did_you_mean(label, labels));
    }
  }
}

namespace {

// The items (groups or definitions) that a node tree refers to: kSetGroup / kDefinition leaves. Tiers and
// parameters are followed into their conditions and values (each tier once), since evaluating them evaluates
// those.
void referenced(const CompiledProgram& program, std::uint32_t root, ir::Op leaf, std::vector<std::uint32_t>& out) {
  std::vector<std::uint32_t> nodes;
  std::vector<bool> tier_seen(program.tiers.size(), false), parameter_seen(program.parameters.size(), false);
  if (root != ir::kNone) nodes.push_back(root);
  while (!nodes.empty()) {
    const auto index = nodes.back();
    nodes.pop_back();
    const auto& n = program.nodes[index];
    if (n.op == leaf) {
      out.push_back(n.a);
      continue;
    }
    if (n.op == ir::Op::kTier || n.op == ir::Op::kParameter) {
      auto& seen = n.op == ir::Op::kTier ? tier_seen : parameter_seen;  // each tier and parameter once
      if (seen[n.a]) continue;
      seen[n.a] = true;
    }
    ir::for_each_child(program, n, ir::kTiers | ir::kParameters, [&](std::uint32_t kid) { nodes.push_back(kid); });
  }
}

}  // namespace

// Definitions that use definitions (also through tiers), and groups built from groups, are evaluated
// recursively: their chains are bounded like expression nesting and must not loop. Checked here without
// recursion (a three-colour depth-first search).
void Checker::check_chain_depth() {
  const auto& program = *program_;
  const auto check = [&](std::size_t count, ir::Op leaf, auto root_of, auto name_of, auto span_of, const char* what,
                         const char* plural) {
    enum : std::uint8_t { kUnseen, kOpen, kDone };
    std::vector<std::uint8_t> state(count, kUnseen);
    std::vector<std::uint32_t> height(count, 1);
    std::vector<std::vector<std::uint32_t>> operands(count);
    for (std::uint32_t i = 0; i < count; ++i) referenced(program, root_of(i), leaf, operands[i]);
    for (std::uint32_t start = 0; start < count; ++start) {
      if (state[start] != kUnseen) continue;
      std::vector<std::pair<std::uint32_t, std::size_t>> stack{{start, 0}};  // item, next operand
      state[start] = kOpen;
      while (!stack.empty()) {
        auto& [at, next] = stack.back();
        if (next < operands[at].size()) {
          const auto o = operands[at][next++];
          if (state[o] == kOpen) {
            error(span_of(o), leaf == ir::Op::kDefinition ? "definition-cycle" : "group-cycle",
                  fmt::format("{} `{}` depends on itself", what, name_of(o)));
            continue;
          }
          if (state[o] == kUnseen) {
            state[o] = kOpen;
            stack.emplace_back(o, 0);
          }
          continue;
        }
        for (const auto o : operands[at]) {
          if (state[o] == kDone) height[at] = std::max(height[at], height[o] + 1);
        }
        state[at] = kDone;
        if (height[at] == limits_.chain_depth + 1) {
          error(span_of(at), "limit-exceeded",
                fmt::format("{} `{}` is built from a chain of more than {} {}", what, name_of(at),
                            limits_.chain_depth, plural));
        }
        stack.pop_back();
      }
    }
  };
  check(
      program.groups.size(), ir::Op::kSetGroup, [&](std::uint32_t g) { return program.groups[g].definition; },
      [&](std::uint32_t g) { return program.groups[g].name; }, [&](std::uint32_t g) { return program.groups[g].span; },
      "group", "groups");
  check(
      program.definitions.size(), ir::Op::kDefinition,
      [&](std::uint32_t d) { return program.definitions[d].node; },
      [&](std::uint32_t d) { return program.definitions[d].name; },
      [&](std::uint32_t d) { return program.definitions[d].span; }, "definition", "definitions");
}

CheckResult check(Loaded loaded, const CompileOptions& options) {
  Checker checker(std::move(loaded), options);
  return checker.run();
}

}  // namespace edict::sema
