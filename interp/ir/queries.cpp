// Shared questions about the compiled form (see queries.hpp).
#include "ir/queries.hpp"

namespace edict::ir {

const RuleVersion* visible_version(const Entity& entity, Date rules_as_of) {
  for (const auto& v : entity.versions) {
    if (v.in_rulebook_of(rules_as_of)) return &v;
  }
  return nullptr;
}

bool member_as_of(const std::vector<MembershipEvent>& events, Date as_of, Date rules_as_of) {
  bool member = false;
  Date latest = Date::min();
  for (const auto& e : events) {
    if (e.known_from > rules_as_of || e.from > as_of) continue;
    if (e.from >= latest) {  // later effective dates win; equal dates: the later declaration wins
      latest = e.from;
      member = e.add;
    }
  }
  return member;
}

const char* compare_symbol(syntax::CompareOp op) {
  switch (op) {
    case syntax::CompareOp::kEq: return "==";
    case syntax::CompareOp::kNe: return "!=";
    case syntax::CompareOp::kLt: return "<";
    case syntax::CompareOp::kLe: return "<=";
    case syntax::CompareOp::kGt: return ">";
    case syntax::CompareOp::kGe: return ">=";
  }
  return "?";
}

bool is_constant(Op op) {
  return op == Op::kConstBool || op == Op::kConstNum || op == Op::kConstStr || op == Op::kConstDate ||
         op == Op::kConstEnum;
}

std::string span_text(const std::vector<SourceFile>& sources, syntax::Span span) {
  if (span.file >= sources.size()) return {};
  const auto& text = sources[span.file].text;
  if (span.end > text.size() || span.begin > span.end) return {};
  std::string out;
  bool space = false;
  for (std::size_t i = span.begin; i < span.end; ++i) {
    const char c = text[i];
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

void index_enum_sets(CompiledProgram& program) {
  program.enum_set_cache_of.assign(program.nodes.size(), kNone);
  program.enum_set_cache_words.clear();
  for (const auto& node : program.nodes) {
    if (node.op != Op::kIn && node.op != Op::kMatches && node.op != Op::kStartsWith) continue;
    const auto& element_type = program.nodes[node.a].type;
    if (element_type.type != Type::kEnum || element_type.enum_id >= program.enums.size()) continue;
    if (program.enum_set_cache_of[node.b] != kNone) continue;
    program.enum_set_cache_of[node.b] = static_cast<std::uint32_t>(program.enum_set_cache_words.size());
    program.enum_set_cache_words.push_back(
        static_cast<std::uint32_t>((program.enums[element_type.enum_id].codes.size() + 63) / 64));
  }
}

void index_name_facts(CompiledProgram& program) {
  for (const auto& node : program.nodes) {
    if (node.op != Op::kMatches) continue;
    auto element = node.a;  // a definition's own node, as long as it is one (a chain of definitions is bounded)
    for (std::size_t hops = 0; hops <= program.definitions.size(); ++hops) {
      if (element >= program.nodes.size() || program.nodes[element].op != Op::kDefinition) break;
      element = program.definitions[program.nodes[element].a].node;
    }
    if (element < program.nodes.size() && program.nodes[element].op == Op::kFact) {
      program.facts[program.nodes[element].a].matched = true;
    }
  }
}

}  // namespace edict::ir
