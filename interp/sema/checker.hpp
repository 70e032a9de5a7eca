// The checker's state, shared by its passes: declarations (check.cpp), expressions (expressions.cpp),
// amendments (amendments.cpp) and rule ordering (order.cpp).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/program.hpp"
#include "sema/check.hpp"
#include "source/located.hpp"

namespace edict::sema {

enum class NameKind : std::uint8_t { kDefinition, kGroup, kParameter, kTier, kEntity, kOutput };

struct NameEntry {
  NameKind kind{};
  std::uint32_t index = 0;
  syntax::Span span;
};

// A definition is lowered on first use so that definitions may refer to each other in any order.
enum class LowerState : std::uint8_t { kPending, kInProgress, kDone };

// The help of an unknown enumeration code: the nearest codes or displays, else the allowed codes (the first 12).
std::string member_help(const std::string& text, const ir::EnumType& e);

class Checker {
 public:
  Checker(Loaded loaded, const CompileOptions& options);
  CheckResult run();

  // ---- diagnostics ----
  void error(syntax::Span span, std::string code, std::string message, std::string help = {});
  void warning(syntax::Span span, std::string code, std::string message, std::string help = {});

  // ---- expressions (expressions.cpp) ----
  // Lowers an expression; returns kNone after reporting an error.
  std::uint32_t lower(const syntax::Expr& expr, std::size_t depth = 0);
  std::uint32_t lower_condition(const syntax::Expr& expr);  // must be bool
  void lower_definition(std::uint32_t index, std::size_t depth = 0);
  void check_chain_depth();
  void lower_parameter_values(std::uint32_t index);
  std::uint32_t lower_condition_at(const syntax::Expr& expr, std::size_t depth, const char* context);
  std::uint32_t lower_path(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t lower_unary(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t lower_arith(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t lower_present(const syntax::Expr& expr);
  std::uint32_t lower_if(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t lower_date_arith(const syntax::Expr& expr, std::uint32_t a, std::uint32_t b);
  std::uint32_t lower_compare(const syntax::Expr& expr, std::size_t depth);
  syntax::Span operator_span(const syntax::Expr& expr, std::size_t i) const;
  bool check_membership_compare(const syntax::Expr& expr);
  std::uint32_t lower_membership(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t lower_starts_with(const syntax::Expr& expr, std::size_t depth);
  std::uint32_t prefix_group(const syntax::Expr& prefixes, const ir::TypeInfo& element);
  // `element` is the expected element type, needed to read a `{...}` literal; may be null.
  std::uint32_t lower_set(const syntax::Expr& expr, std::size_t depth, const ir::TypeInfo* element);
  std::uint32_t literal_group(const syntax::Expr& literal, const ir::TypeInfo& element);
  std::uint32_t add_node(ir::Node node);
  std::uint32_t intern_string(const std::string& text);
  std::string type_name(const ir::TypeInfo& type) const;
  std::string span_text(syntax::Span span) const;
  // Line and column of the start of `span` (a binary search in its file's line index).
  source::LineColumn line_column(syntax::Span span) const;
  std::optional<Date> parse_date(const syntax::DateLit& date);

 private:
  // ---- declarations (check.cpp) ----
  void order_files();
  void declare_enums_and_policy();
  void declare_file(const LoadedFile& file);
  void declare_fact(const syntax::FactDecl& decl);
  void declare_name(const std::string& name, NameKind kind, std::uint32_t index, syntax::Span span);
  std::optional<ir::TypeInfo> resolve_type(const syntax::TypeRef& type, const std::string& path);
  void declare_group(const syntax::GroupDecl& decl);
  void add_group_changes(ir::Group& group, const std::vector<syntax::GroupChange>& changes, Date known_from);
  void add_members(ir::Group& group, const syntax::Expr& literal, Date known_from, Date from, bool add);
  bool group_defined_by_expression(const ir::Group& group) const;
  void declare_parameter(const syntax::ParameterDecl& decl);
  void add_parameter_steps(std::uint32_t index, const std::vector<syntax::ParameterStep>& steps);
  void declare_tier(const syntax::TierDecl& decl);
  void declare_test(const syntax::TestDecl& decl, std::uint32_t file);
  void lower_bodies();
  void lower_fact_defaults();

  // ---- amendments (amendments.cpp) ----
  void declare_entity(const syntax::RuleDecl& decl);
  void amend(const syntax::AmendDecl& decl);
  void repeal(const syntax::RepealDecl& decl);
  void apply_body(std::uint32_t entity, std::uint32_t version, const syntax::RuleBody& body);
  void lower_entities();
  void finish_entities();

  // ---- ordering (order.cpp) ----
  void order_rules();
  void warn_possible_conflicts();
  void warn_unknown_givens();
  // Calls visit(test) for each `test` declaration of the policy's files, in file order.
  template <class Visit>
  void for_each_test(Visit&& visit) const {
    for (const auto* file : ordered_files_) {
      for (const auto& decl : file->tree.decls) {
        if (const auto* test = std::get_if<syntax::TestDecl>(&decl)) visit(*test);
      }
    }
  }
  void check_value_expectations();
  void check_code_literal(const syntax::Expr& literal, const ir::EnumType& type);
  static std::string literal_text(const syntax::Expr& literal);
  void collect_exemption_candidates();

 public:
  std::shared_ptr<CompiledProgram> program_;
  std::vector<source::SpanDiagnostic> diagnostics_;
  std::unordered_map<std::string, NameEntry> names_;
  std::vector<LowerState> definition_state_;
  std::vector<const syntax::Expr*> definition_syntax_;
  std::unordered_map<std::string, std::uint32_t> label_index_;

 private:
  Loaded loaded_;
  const Limits limits_;  // CompileOptions::effective_limits()
  std::vector<source::LineIndex> line_indexes_;  // per source, built once at the start of run()
  std::vector<const LoadedFile*> ordered_files_;
  // Per file being declared: the amendment's publication date (Date::min() for base files) and title.
  Date known_from_ = Date::min();
  std::string defined_by_;
  bool in_amendment_ = false;

  // Syntax kept for lowering after every name is declared, per entity and version.
  struct VersionSyntax {
    const syntax::Expr* when = nullptr;
    std::vector<syntax::OverrideItem> overrides;
    std::vector<const syntax::SetClause*> sets;  // one per output at most
    const std::vector<syntax::ObligeClause>* obligations = nullptr;
  };
  // outputs.cpp
  void declare_output(const syntax::OutputDecl& decl);
  void change_sets(std::uint32_t entity_index, std::uint32_t version_index, const syntax::RuleBody& body);
  void lower_sets(std::uint32_t entity_index, std::uint32_t version_index);
  void lower_output_defaults();
  std::vector<std::pair<std::uint32_t, const syntax::Expr*>> pending_output_defaults_;
  std::unordered_map<const syntax::SetClause*, std::uint32_t> lowered_sets_;
  std::unordered_map<const syntax::Expr*, std::uint32_t> lowered_dues_;
  // overrides.cpp: an `overrides` clause of a body on its version's list; the lists resolved to entities.
  void change_overrides(std::uint32_t entity_index, std::uint32_t version_index, const syntax::RuleBody& body);
  void split_for_selectors();
  void resolve_overrides();
  std::vector<std::vector<VersionSyntax>> version_syntax_;
  std::unordered_map<const syntax::Expr*, std::uint32_t> lowered_when_;
  struct PendingParameterValue {
    std::uint32_t parameter;
    std::uint32_t step;
    const syntax::Expr* expr;
  };
  std::vector<PendingParameterValue> pending_parameter_values_;
  std::vector<std::pair<std::uint32_t, const syntax::Expr*>> pending_group_definitions_;
  std::vector<std::pair<std::uint32_t, const syntax::TierDecl*>> pending_tiers_;
  std::vector<std::pair<std::uint32_t, const syntax::Expr*>> pending_fact_defaults_;
  std::vector<std::pair<std::string, syntax::Span>> classified_uses_;
  std::set<std::uint32_t> parameter_typed_;
  bool have_policy_ = false;
  std::unordered_map<std::string, std::uint32_t> outcome_index_;
  std::unordered_map<std::string, std::uint32_t> string_index_;  // program_->strings, by text
};

// A `"text"` literal node compared with (or defaulting) an enumeration or tier becomes a checked constant of
// that type; reports an unknown code and returns false.
bool coerce_string_literal(Checker& checker, std::uint32_t literal, std::uint32_t other);
// A `"text"` literal where a value of enumeration `type` is expected (an output's `set` or default) becomes a
// checked code of it, and so do the branches of an `if` of such literals (and the `if`); false after reporting
// an unknown code. Other nodes and types are left as they are.
bool coerce_to_enum(Checker& checker, std::uint32_t literal, const ir::TypeInfo& type);

}  // namespace edict::sema
