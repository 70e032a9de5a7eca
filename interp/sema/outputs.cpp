// Checking, part 6: outputs, the values a policy returns (`output duty_rate : decimal combine max "..."`), and
// the `set OUTPUT = expr` clauses of rules and exemptions that give them. An amendment's `set` replaces that
// output's value in the new version and keeps the others.
#include <algorithm>

#include <fmt/format.h>

#include "sema/checker.hpp"

namespace edict::sema {

namespace {

struct CombineWord {
  const char* word;
  ir::Combine combine;
};
constexpr CombineWord kCombines[] = {{"unique", ir::Combine::kUnique}, {"deciding", ir::Combine::kDeciding},
                                     {"max", ir::Combine::kMax},       {"min", ir::Combine::kMin},
                                     {"sum", ir::Combine::kSum},       {"first", ir::Combine::kFirst}};

// Whether values of `type` can be combined that way: max and min order numbers and dates, sum adds numbers.
bool combines(ir::Combine combine, ir::Type type) {
  switch (combine) {
    case ir::Combine::kMax:
    case ir::Combine::kMin: return type == ir::Type::kNumber || type == ir::Type::kDate;
    case ir::Combine::kSum: return type == ir::Type::kNumber;
    default: return true;
  }
}

}  // namespace

void Checker::declare_output(const syntax::OutputDecl& decl) {
  ir::Output output;
  output.name = decl.name.text;
  output.doc = decl.doc.value;
  output.span = decl.name.span;
  output.integer = decl.type.base == syntax::BaseType::kInteger;
  if (decl.type.optional) {
    error(decl.type.span, "invalid-type", "an output is not `optional`: without a value it is reported unset");
  }
  if (decl.type.base == syntax::BaseType::kOneOf) {
    error(decl.type.span, "invalid-type", "an output is not `one of`: no expression has that type",
          "declare it `string` (a tier's label is a string)");
  } else if (const auto type = resolve_type(decl.type, "output " + decl.name.text)) {
    output.type = *type;
  }
  if (decl.combine) {
    const auto it = std::find_if(std::begin(kCombines), std::end(kCombines),
                                 [&](const CombineWord& c) { return decl.combine->text == c.word; });
    if (it == std::end(kCombines)) {
      error(decl.combine->span, "unknown-combine", fmt::format("`{}` is not a way to combine values", decl.combine->text),
            "one of `unique`, `deciding`, `max`, `min`, `sum`, `first`");
    } else if (!combines(it->combine, output.type.type)) {
      error(decl.combine->span, "type-mismatch",
            fmt::format("`combine {}` does not apply to {}", it->word, type_name(output.type)),
            "max and min apply to numbers and dates, sum to numbers");
    } else {
      output.combine = it->combine;
    }
  }
  const auto index = static_cast<std::uint32_t>(program_->outputs.size());
  if (decl.default_value) pending_output_defaults_.emplace_back(index, decl.default_value.get());
  program_->outputs.push_back(std::move(output));
  declare_name(decl.name.text, NameKind::kOutput, index, decl.name.span);
}

// Keeps this version's `set` clauses (by output name; an amendment's replace the ones before).
void Checker::change_sets(std::uint32_t entity_index, std::uint32_t version_index, const syntax::RuleBody& body) {
  if (!body.obligations.empty()) version_syntax_[entity_index][version_index].obligations = &body.obligations;
  auto& sets = version_syntax_[entity_index][version_index].sets;
  std::vector<const syntax::SetClause*> seen;
  for (const auto& clause : body.sets) {
    const auto same = [&](const syntax::SetClause* c) { return c->output.text == clause.output.text; };
    if (std::any_of(seen.begin(), seen.end(), same)) {
      error(clause.span, "duplicate-clause", fmt::format("`{}` is set twice in this block", clause.output.text));
      continue;
    }
    seen.push_back(&clause);
    std::erase_if(sets, same);
    sets.push_back(&clause);
  }
}

void Checker::lower_sets(std::uint32_t entity_index, std::uint32_t version_index) {
  auto& version = program_->entities[entity_index].versions[version_index];
  version.sets.clear();
  version.obligations.clear();
  if (const auto* obligations = version_syntax_[entity_index][version_index].obligations) {
    for (const auto& clause : *obligations) {
      ir::Obligation o;
      o.name = clause.name.value;
      if (clause.citation) o.citation = clause.citation->value;
      if (clause.due) {
        const bool fresh = lowered_dues_.emplace(clause.due.get(), ir::kNone).second;  // amendments copy it
        auto& node = lowered_dues_[clause.due.get()];
        if (fresh) {
          node = lower(*clause.due);
          if (node != ir::kNone && program_->nodes[node].type.type != ir::Type::kDate) {
            error(clause.due->span, "type-mismatch",
                  fmt::format("an obligation is due by a date, not {}", type_name(program_->nodes[node].type)));
            node = ir::kNone;
          }
        }
        o.due = node;
      }
      version.obligations.push_back(std::move(o));
      program_->has_obligations = true;
    }
  }
  for (const auto* clause : version_syntax_[entity_index][version_index].sets) {
    const auto it = names_.find(clause->output.text);
    const bool fresh = lowered_sets_.emplace(clause, ir::kNone).second;  // amendments copy the clause
    if (it == names_.end() || it->second.kind != NameKind::kOutput) {
      if (fresh) {
        std::vector<std::string> outputs;
        for (const auto& o : program_->outputs) outputs.push_back(o.name);
        error(clause->output.span, "unknown-output", fmt::format("`{}` is not an output", clause->output.text),
              outputs.empty() ? "declare it: output NAME : TYPE \"description\""
                              : source::did_you_mean(clause->output.text, outputs));
      }
      continue;
    }
    const auto& output = program_->outputs[it->second.index];
    auto& node = lowered_sets_[clause];
    if (fresh) {
      node = lower(*clause->value);
      if (node != ir::kNone && !coerce_to_enum(*this, node, output.type)) node = ir::kNone;  // `set tier = "2"`
      if (node != ir::kNone && !(program_->nodes[node].type == output.type)) {
        error(clause->value->span, "type-mismatch",
              fmt::format("output `{}` is {}, this value is {}", output.name, type_name(output.type),
                          type_name(program_->nodes[node].type)));
        node = ir::kNone;
      }
    }
    if (node != ir::kNone) version.sets.push_back({it->second.index, node});
  }
  std::sort(version.sets.begin(), version.sets.end(),
            [](const ir::ValueSet& a, const ir::ValueSet& b) { return a.output < b.output; });
}

void Checker::lower_output_defaults() {
  for (const auto& [index, expr] : pending_output_defaults_) {
    const auto node = lower(*expr);
    if (node == ir::kNone) continue;
    auto& output = program_->outputs[index];
    if (!coerce_to_enum(*this, node, output.type)) continue;
    if (!(program_->nodes[node].type == output.type)) {
      error(expr->span, "type-mismatch",
            fmt::format("output `{}` is {}, its default is {}", output.name, type_name(output.type),
                        type_name(program_->nodes[node].type)));
      continue;
    }
    output.default_node = node;
  }
}

}  // namespace edict::sema
