// The span-free dump of a syntax tree (see dump.hpp).
#include "dump.hpp"

#include <string_view>
#include <type_traits>
#include <variant>

namespace edict::grammar {
namespace {

using namespace syntax;

// `text` in quotes, with every byte that is not printable ASCII as \xNN, so that dumps compare exactly.
std::string quoted(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u >= 0x7f) {
      out += "\\x";
      out += kHex[u >> 4U];
      out += kHex[u & 0xfU];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string expr(const Expr* e);

std::string members(const std::vector<SetMember>& ms) {
  std::string s = "{";
  for (const SetMember& m : ms) {
    s += m.quoted ? " str " : " word ";
    s += quoted(m.value);
    for (const std::string& a : m.aliases) s += " aka " + quoted(a);
  }
  return s + " }";
}

std::string expr(const Expr* e) {
  if (e == nullptr) return "null";
  static constexpr std::string_view kKinds[] = {"number", "string", "date",  "bool", "as_of", "path", "classified",
                                                "set",    "neg",    "not",   "and",  "or",      "arith",
                                                "cmp",    "in",     "matches", "starts_with", "present", "if", "setop"};
  static_assert(std::size(kKinds) == static_cast<std::size_t>(ExprKind::kSetOp) + 1);  // ORDER ExprKind
  std::string s = "(";
  s += kKinds[static_cast<std::size_t>(e->kind)];
  if (!e->text.empty()) s += " " + quoted(e->text);
  if (e->kind == ExprKind::kArith) s += " op" + std::to_string(static_cast<int>(e->arith_op));
  if (e->kind == ExprKind::kSetOp) s += " op" + std::to_string(static_cast<int>(e->set_op));
  if (e->negated) s += " negated";
  if (e->days) s += " days";
  for (const CompareOp op : e->ops) s += " cmp" + std::to_string(static_cast<int>(op));
  if (e->kind == ExprKind::kSetLiteral) s += " " + members(e->members);
  for (const ExprPtr& kid : e->kids) s += " " + expr(kid.get());
  return s + ")";
}

std::string date(const std::optional<DateLit>& d) { return d ? d->text : "-"; }
std::string str(const std::optional<StringLit>& s) { return s ? quoted(s->value) : "-"; }

std::string names(const std::vector<Name>& ns) {
  std::string s;
  for (const Name& n : ns) s += " " + n.text;
  return s;
}

std::string body(const RuleBody& b) {
  std::string s;
  s += "  title " + str(b.title) + "\n";
  s += "  citation " + str(b.citation) + "\n";
  if (b.has_effective) s += "  effective " + date(b.effective_from) + " " + date(b.effective_until) + "\n";
  s += "  when " + expr(b.when.get()) + "\n";
  if (b.then) {
    s += "  then " + std::to_string(static_cast<int>(b.then->kind)) + " " + quoted(b.then->label) + " " +
         str(b.then->reason) + "\n";
  }
  const auto overrides = [&](const char* head, const std::vector<OverrideItem>& items) {
    s += head;
    for (const OverrideItem& o : items) s += " " + std::to_string(static_cast<int>(o.kind)) + ":" + quoted(o.text);
    s += "\n";
  };
  if (b.has_overrides) overrides("  overrides", b.overrides);
  if (!b.overrides_added.empty()) overrides("  overrides add", b.overrides_added);
  if (!b.overrides_removed.empty()) overrides("  overrides remove", b.overrides_removed);
  for (const SetClause& c : b.sets) s += "  set " + c.output.text + " " + expr(c.value.get()) + "\n";
  for (const ObligeClause& c : b.obligations) {
    s += "  oblige " + quoted(c.name.value) + " " + expr(c.due.get()) + " " + str(c.citation) + "\n";
  }
  return s;
}

std::string changes(const std::vector<GroupChange>& cs) {
  std::string s;
  for (const GroupChange& c : cs) {
    s += "  change " + std::to_string(static_cast<int>(c.kind)) + " " + expr(c.members.get()) + " " + date(c.from) + "\n";
  }
  return s;
}

std::string steps(const std::vector<ParameterStep>& ss) {
  std::string s;
  for (const ParameterStep& step : ss) s += "  step " + expr(step.value.get()) + " " + step.from.text + "\n";
  return s;
}

std::string type(const TypeRef& t) {
  std::string s = t.optional ? "optional " : "";
  s += std::to_string(static_cast<int>(t.base)) + " " + t.named.text;
  for (const StringLit& v : t.one_of) s += " " + quoted(v.value);
  return s;
}

std::string decl(const PolicyDecl& d) {
  return "policy " + quoted(d.title.value) + " outcomes" + names(d.outcomes) + " default " + d.default_outcome.text + "\n";
}
std::string decl(const AmendmentDecl& d) {
  return "amendment " + quoted(d.title.value) + " " + d.published.text + " " + str(d.citation) + "\n";
}
std::string decl(const ImportDecl& d) { return "import " + quoted(d.path.value) + "\n"; }
std::string decl(const UseDecl& d) { return "use " + d.module.text + "\n"; }
std::string decl(const EnumDecl& d) {
  std::string s = "enum " + d.name.text + "\n";
  for (const EnumMember& m : d.members) {
    s += "  " + quoted(m.code) + " " + (m.display ? quoted(*m.display) : "-") + "\n";
  }
  return s;
}
std::string decl(const FactDecl& d) {
  return "fact " + d.path.text + " : " + type(d.type) + " default " + expr(d.default_value.get()) + " " +
         quoted(d.doc.value) + "\n";
}
std::string decl(const OutputDecl& d) {
  return "output " + d.name.text + " : " + type(d.type) + " combine " + (d.combine ? d.combine->text : "-") +
         " default " + expr(d.default_value.get()) + " " + quoted(d.doc.value) + "\n";
}
std::string decl(const DefineDecl& d) { return "define " + d.name.text + " " + expr(d.value.get()) + "\n"; }
std::string decl(const GroupDecl& d) {
  return "group " + d.name.text + " : " + d.element_type.text + " = " + expr(d.definition.get()) + "\n" +
         changes(d.changes);
}
std::string decl(const ParameterDecl& d) { return "parameter " + d.name.text + "\n" + steps(d.steps); }
std::string decl(const TierDecl& d) {
  std::string s = "tier " + d.name.text + "\n";
  for (const TierCase& c : d.cases) s += "  case " + quoted(c.label.value) + " " + expr(c.condition.get()) + "\n";
  return s + "  otherwise " + quoted(d.otherwise.value) + "\n";
}
std::string decl(const RuleDecl& d) {
  return (d.kind == RuleKind::kRule ? "rule " : "exemption ") + d.name.text + "\n" + body(d.body);
}
std::string decl(const AmendDecl& d) {
  return "amend " + std::to_string(static_cast<int>(d.target)) + " " + d.name.text + "\n" + body(d.body) +
         changes(d.changes) + steps(d.steps);
}
std::string decl(const RepealDecl& d) {
  return "repeal " + std::to_string(static_cast<int>(d.kind)) + " " + d.name.text + "\n";
}
std::string decl(const TestDecl& d) {
  std::string s = "test " + quoted(d.name.value) + "\n";
  if (d.as_of) s += "  as_of " + d.as_of->text + "\n";
  if (d.rules_as_of) s += "  rules_as_of " + d.rules_as_of->text + "\n";
  for (const StringLit& f : d.fact_files) s += "  given file " + quoted(f.value) + "\n";
  for (const Given& g : d.givens) s += "  given " + g.path.text + " " + expr(g.value.get()) + "\n";
  for (const Expect& x : d.expects) {
    s += "  expect " + std::to_string(static_cast<int>(x.kind)) + names(x.names);
    for (const StringLit& l : x.labels) s += " " + quoted(l.value);
    if (x.value) s += " " + expr(x.value.get());
    s += "\n";
  }
  return s;
}

}  // namespace

std::string dump(const syntax::File& file) {
  std::string out;
  for (const Decl& d : file.decls) {
    out += std::visit([](const auto& x) { return decl(x); }, d);
  }
  return out;
}

}  // namespace edict::grammar
