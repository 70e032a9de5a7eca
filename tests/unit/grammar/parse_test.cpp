// Unit tests of the parser (grammar/parse.cpp): tree shapes, precedence, spans, and syntax errors with the
// exact position of the error.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <variant>

#include "parse.hpp"
#include "rules.hpp"  // test-only: the PEGTL grammar, for tao::pegtl::analyze

namespace {

using namespace edict;
using syntax::Expr;
using syntax::ExprKind;

// An expression as an S-expression: (or a (and b c)).
std::string show(const Expr& e) {
  auto kid = [&](std::size_t i) { return show(*e.kids.at(i)); };
  switch (e.kind) {
    case ExprKind::kNumber:
      return e.days ? e.text + "d" : e.text;
    case ExprKind::kDate:
    case ExprKind::kBool:
    case ExprKind::kAsOf:
    case ExprKind::kPath:
      return e.text;
    case ExprKind::kString:
      return "\"" + e.text + "\"";
    case ExprKind::kClassified:
      return "(classified \"" + e.text + "\")";
    case ExprKind::kSetLiteral: {
      std::string s = "{";
      for (std::size_t i = 0; i < e.members.size(); ++i) {
        const auto& m = e.members[i];
        if (i > 0) s += ", ";
        s += m.quoted ? "\"" + m.value + "\"" : m.value;
        for (const auto& a : m.aliases) s += " aka \"" + a + "\"";
      }
      return s + "}";
    }
    case ExprKind::kNeg:
      return "(- " + kid(0) + ")";
    case ExprKind::kNot:
      return "(not " + kid(0) + ")";
    case ExprKind::kAnd:
      return "(and " + kid(0) + " " + kid(1) + ")";
    case ExprKind::kOr:
      return "(or " + kid(0) + " " + kid(1) + ")";
    case ExprKind::kArith: {
      static constexpr const char* ops[] = {"+", "-", "*", "/"};
      return std::string("(") + ops[static_cast<int>(e.arith_op)] + " " + kid(0) + " " + kid(1) + ")";
    }
    case ExprKind::kCompare: {
      static constexpr const char* ops[] = {"==", "!=", "<", "<=", ">", ">="};
      std::string s = "(cmp " + kid(0);
      for (std::size_t i = 0; i < e.ops.size(); ++i) s += std::string(" ") + ops[static_cast<int>(e.ops[i])] + " " + kid(i + 1);
      return s + ")";
    }
    case ExprKind::kIn:
      return std::string(e.negated ? "(not-in " : "(in ") + kid(0) + " " + kid(1) + ")";
    case ExprKind::kMatches:
      return "(matches " + kid(0) + " " + kid(1) + ")";
    case ExprKind::kStartsWith:
      return "(starts-with " + kid(0) + " " + kid(1) + ")";
    case ExprKind::kPresent:
      return std::string(e.negated ? "(absent " : "(present ") + kid(0) + ")";
    case ExprKind::kIf:
      return "(if " + kid(0) + " " + kid(1) + " " + kid(2) + ")";
    case ExprKind::kSetOp: {
      static constexpr const char* ops[] = {"union", "intersect", "except"};
      return std::string("(") + ops[static_cast<int>(e.set_op)] + " " + kid(0) + " " + kid(1) + ")";
    }
  }
  return "?";
}

constexpr std::string_view kDefine = "define x = ";

grammar::ParseResult parse(std::string_view text) { return grammar::parse(text, 7); }

// Parses `define x = <src>` and returns the expression.
const Expr& expr_of(const grammar::ParseResult& r) {
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.file.has_value());
  REQUIRE(r.file->decls.size() == 1);
  return *std::get<syntax::DefineDecl>(r.file->decls[0]).value;
}

std::string show_expr(std::string_view src) {
  const auto r = parse(std::string(kDefine) + std::string(src));
  INFO(src);
  if (!r.diagnostics.empty()) FAIL(r.diagnostics[0].message);
  return show(expr_of(r));
}

// The text covered by a span.
std::string_view cover(std::string_view text, syntax::Span s) { return text.substr(s.begin, s.end - s.begin); }

struct Position {
  std::size_t line;
  std::size_t column;
};
Position position(std::string_view text, std::uint32_t offset) {
  Position p{1, 1};
  for (std::uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

}  // namespace

TEST_CASE("grammar is well-formed (tao::pegtl::analyze)", "[grammar]") {
  CHECK(tao::pegtl::analyze<grammar::rules::file>(-1) == 0);
}

TEST_CASE("expressions: precedence and associativity", "[grammar]") {
  struct Case {
    const char* src;
    const char* tree;
  };
  const Case cases[] = {
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c", "(or (and a b) c)"},
      {"a or b or c", "(or (or a b) c)"},
      {"not a and b", "(and (not a) b)"},
      {"not x in S", "(not (in x S))"},
      {"x not in S", "(not-in x S)"},
      {"not not a", "(not (not a))"},
      {"2400 <= product.tpp < 4800", "(cmp 2400 <= product.tpp < 4800)"},
      {"a == b", "(cmp a == b)"},
      {"a != b", "(cmp a != b)"},
      {"a > b >= c", "(cmp a > b >= c)"},
      {"a + b * c - d / e", "(- (+ a (* b c)) (/ d e))"},
      {"a - b - c", "(- (- a b) c)"},
      {"-a * b", "(* (- a) b)"},
      {"- -a", "(- (- a))"},
      {"(a + b) * c", "(* (+ a b) c)"},
      {"a + 1 < b * 2", "(cmp (+ a 1) < (* b 2))"},
      {"x in a union b intersect c", "(in x (union a (intersect b c)))"},
      {"x in a intersect b union c", "(in x (union (intersect a b) c))"},
      {"x in a union b except c", "(in x (except (union a b) c))"},
      {"x in a except b union c", "(in x (union (except a b) c))"},
      {"x in (a union b) intersect c", "(in x (intersect (union a b) c))"},
      {"x in d5 union {MO} and y", "(and (in x (union d5 {MO})) y)"},
      {"x matches {\"Zhipu AI\" aka \"Beijing Zhipu\" aka \"Z\", \"Y\"}",
       "(matches x {\"Zhipu AI\" aka \"Beijing Zhipu\" aka \"Z\", \"Y\"})"},
      {"x in {}", "(in x {})"},
      {"goods.hts starts with \"8541\"", "(starts-with goods.hts \"8541\")"},
      {"h starts with {\"8541\", \"8542.31\"} and not c starts with \"C\"",
       "(and (starts-with h {\"8541\", \"8542.31\"}) (not (starts-with c \"C\")))"},
      {"starts + with", "(+ starts with)"},
      {"as_of + 25 days - 1", "(- (+ as_of 25d) 1)"},
      {"days + 2 days", "(+ days 2d)"},
      {"a is present", "(present a)"},
      {"a.b is absent or c", "(or (absent a.b) c)"},
      {"classified \"3A090.a\" and not classified \"x\"", "(and (classified \"3A090.a\") (not (classified \"x\")))"},
      {"if a then 1 else 2", "(if a 1 2)"},
      {"if a then if b then 1 else 2 else 3 + 4", "(if a (if b 1 2) (+ 3 4))"},
      {"(if a then 1 else 2) + 3", "(+ (if a 1 2) 3)"},
      {"as_of_date >= 2025-01-13", "(cmp as_of_date >= 2025-01-13)"},
      {"2025-01-13", "2025-01-13"},
      {"26_900_000", "26_900_000"},
      {"1e26 + 5.92 + 1.5E-3 + 1_000.000_1", "(+ (+ (+ 1e26 5.92) 1.5E-3) 1_000.000_1)"},
      {"true or false", "(or true false)"},
      {"\"a\\\"b\\\\c\"", "\"a\"b\\c\""},
      {"end_user.hq_country == destination.country", "(cmp end_user.hq_country == destination.country)"},
      {"notable and ifx and order", "(and (and notable ifx) order)"},
      {"a # comment\n + b", "(+ a b)"},
  };
  for (const auto& c : cases) {
    INFO(c.src);
    CHECK(show_expr(c.src) == c.tree);
  }
}

TEST_CASE("strings are unescaped", "[grammar]") {
  const auto r = parse("define x = \"tab\\there\\nnew \\\"q\\\" back\\\\\"");
  CHECK(expr_of(r).text == "tab\there\nnew \"q\" back\\");
}

TEST_CASE("expression spans cover the whole expression", "[grammar]") {
  const std::string text = "define x = a >= b and (c or d) and not e in {A, B}\n";
  const auto r = parse(text);
  const Expr& e = expr_of(r);
  CHECK(e.span.file == 7);
  CHECK(cover(text, e.span) == "a >= b and (c or d) and not e in {A, B}");
  REQUIRE(e.kind == ExprKind::kAnd);
  const Expr& left = *e.kids[0];  // (a >= b) and (c or d)
  CHECK(cover(text, left.span) == "a >= b and (c or d)");
  CHECK(cover(text, left.kids[0]->span) == "a >= b");
  CHECK(cover(text, left.kids[0]->kids[1]->span) == "b");
  CHECK(cover(text, left.kids[1]->span) == "(c or d)");
  const Expr& n = *e.kids[1];
  CHECK(cover(text, n.span) == "not e in {A, B}");
  CHECK(cover(text, n.kids[0]->kids[1]->span) == "{A, B}");
  CHECK(cover(text, n.kids[0]->kids[1]->members[1].span) == "B");
}

TEST_CASE("more spans: chains, unary, if, classified, is", "[grammar]") {
  struct Case {
    const char* src;
  };
  const char* cases[] = {"1 <= a < 2", "-a", "if a then b else c", "classified \"x\"", "a is present",
                         "x not in a union b", "y matches S", "a * (b + c)", "h starts with {\"85\", \"86\"}"};
  for (const char* src : cases) {
    const std::string text = std::string(kDefine) + src + "   # trailing comment\n";
    INFO(src);
    const auto r = parse(text);
    CHECK(cover(text, expr_of(r).span) == src);
  }
}

TEST_CASE("overrides lists: names, selectors, add and remove", "[grammar]") {
  const auto r = parse(R"EDICT(exemption e
  overrides rules deciding license_required, rules testing classified "3A090.a", rules, x
end
amend exemption e
  overrides add rules deciding notify
  overrides remove x, rules testing classified "3A090.a"
end
)EDICT");
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.file.has_value());
  const auto& e = std::get<syntax::RuleDecl>(r.file->decls.at(0));
  REQUIRE(e.body.overrides.size() == 4);
  CHECK(e.body.overrides[0].kind == syntax::OverrideKind::kRulesDeciding);
  CHECK(e.body.overrides[0].text == "license_required");
  CHECK(e.body.overrides[1].kind == syntax::OverrideKind::kRulesTesting);
  CHECK(e.body.overrides[1].text == "3A090.a");
  CHECK(e.body.overrides[2].kind == syntax::OverrideKind::kName);  // `rules` alone is a name
  CHECK(e.body.overrides[2].text == "rules");
  const auto& a = std::get<syntax::AmendDecl>(r.file->decls.at(1));
  CHECK(!a.body.has_overrides);
  REQUIRE(a.body.overrides_added.size() == 1);
  CHECK(a.body.overrides_added[0].text == "notify");
  REQUIRE(a.body.overrides_removed.size() == 2);
  CHECK(a.body.overrides_removed[0].text == "x");
  CHECK(a.body.overrides_removed[1].kind == syntax::OverrideKind::kRulesTesting);
}

TEST_CASE("declarations: a full policy file", "[grammar]") {
  const std::string text = R"EDICT(# Demo
policy "Demo advanced-chip controls"
  outcomes license_required > notify > no_license_required
  default no_license_required
end

amendment "Interim final rule" published 2025-01-13 citation "90 FR 4544" end
import "groups.edict"
use iso3166
enum kind = ic "Integrated circuit", "hbm", computer end

fact product.tpp : decimal "Total processing performance (TPP)"
fact product.kind : one of "ic", "hbm", "computer" "Kind of item"
fact end_user.hq_country : optional country default destination.country "Headquarters country"
fact transaction.quantity : integer default 1 "Units"

define performance_density = product.tpp / product.die_area_mm2

group d5 : country
  members {AF, BY, CN}
  add {NI} from 2024-03-15
  remove {BY} from 2025-01-01
end
group restricted : country = (d1 union d4) except a5 union {MO}
group entities : name
  members {"Zhipu AI" aka "Beijing Zhipu Huazhang Technology"}
end

parameter lpp_annual_cap
  26_900_000 from 2025-01-13
  none from 2025-05-13
end

tier diffusion_tier
  "tier1" when destination.country in tier1_countries
  otherwise "tier2"
end

rule eccn_3a090_a
  title "3A090.a"
  citation "15 CFR 774"
  effective from 2023-11-17 until 2026-01-01
  when product.tpp >= 4800
  then classify "3A090.a"
end

exemption NAC
  overrides license_d_groups, other_rule
  title "NAC"
  citation "15 CFR 740.8"
  when not product.datacenter
  then notify because "notify BIS"
end

amend rule eccn_3a090_a
  effective until 2025-05-13
end
amend exemption NAC overrides x end
amend group d5 add {VE} from 2025-03-01 end
amend parameter lpp_annual_cap 1 from 2026-01-01 none from 2027-01-01 end
repeal rule eccn_3a090_a
repeal exemption NAC

test "a big GPU to China needs a license"
  as_of 2025-02-01
  rules_as_of 2025-01-20
  given file "facts/h100.json"
  given product.tpp = 4992, product.kind = "ic", x.neg = -1.5, x.d = 2025-01-01, x.b = false
  expect decision license_required
  expect classifications {"3A090.a", "4A090.a"}
  expect classified "3A090.a"
  expect not classified "3A001"
  expect deciding eccn_3a090_a, other
  expect exemption NAC
  expect missing product.tpp, end_user.hq_country
end
)EDICT";
  const auto r = parse(text);
  for (const auto& d : r.diagnostics) INFO(d.message);
  REQUIRE(r.diagnostics.empty());
  REQUIRE(r.file.has_value());
  const auto& decls = r.file->decls;
  REQUIRE(decls.size() == 24);

  const auto& policy = std::get<syntax::PolicyDecl>(decls[0]);
  CHECK(policy.title.value == "Demo advanced-chip controls");
  REQUIRE(policy.outcomes.size() == 3);
  CHECK(policy.outcomes[1].text == "notify");
  CHECK(cover(text, policy.outcomes[1].span) == "notify");
  CHECK(policy.default_outcome.text == "no_license_required");
  CHECK(cover(text, policy.span).substr(0, 6) == "policy");
  CHECK(cover(text, policy.span).ends_with("no_license_required\nend"));

  const auto& amendment = std::get<syntax::AmendmentDecl>(decls[1]);
  CHECK(amendment.published.text == "2025-01-13");
  REQUIRE(amendment.citation.has_value());
  CHECK(amendment.citation->value == "90 FR 4544");

  CHECK(std::get<syntax::ImportDecl>(decls[2]).path.value == "groups.edict");
  CHECK(std::get<syntax::UseDecl>(decls[3]).module.text == "iso3166");

  const auto& en = std::get<syntax::EnumDecl>(decls[4]);
  REQUIRE(en.members.size() == 3);
  CHECK(en.members[0].code == "ic");
  CHECK(en.members[0].display == "Integrated circuit");
  CHECK(en.members[1].code == "hbm");
  CHECK(!en.members[2].display.has_value());

  const auto& tpp = std::get<syntax::FactDecl>(decls[5]);
  CHECK(tpp.path.text == "product.tpp");
  CHECK(cover(text, tpp.path.span) == "product.tpp");
  CHECK(tpp.type.base == syntax::BaseType::kDecimal);
  CHECK(tpp.doc.value == "Total processing performance (TPP)");
  CHECK(cover(text, tpp.span) == "fact product.tpp : decimal \"Total processing performance (TPP)\"");
  const auto& kind = std::get<syntax::FactDecl>(decls[6]);
  CHECK(kind.type.base == syntax::BaseType::kOneOf);
  REQUIRE(kind.type.one_of.size() == 3);
  CHECK(kind.type.one_of[2].value == "computer");
  CHECK(kind.doc.value == "Kind of item");
  const auto& hq = std::get<syntax::FactDecl>(decls[7]);
  CHECK(hq.type.optional);
  CHECK(hq.type.base == syntax::BaseType::kNamed);
  CHECK(hq.type.named.text == "country");
  REQUIRE(hq.default_value);
  CHECK(show(*hq.default_value) == "destination.country");
  CHECK(std::get<syntax::FactDecl>(decls[8]).type.base == syntax::BaseType::kInteger);

  const auto& def = std::get<syntax::DefineDecl>(decls[9]);
  CHECK(def.name.text == "performance_density");
  CHECK(show(*def.value) == "(/ product.tpp product.die_area_mm2)");

  const auto& d5 = std::get<syntax::GroupDecl>(decls[10]);
  CHECK(d5.element_type.text == "country");
  CHECK(!d5.definition);
  REQUIRE(d5.changes.size() == 3);
  CHECK(d5.changes[0].kind == syntax::GroupChangeKind::kMembers);
  CHECK(show(*d5.changes[0].members) == "{AF, BY, CN}");
  CHECK(!d5.changes[0].from.has_value());
  CHECK(d5.changes[1].kind == syntax::GroupChangeKind::kAdd);
  CHECK(d5.changes[1].from->text == "2024-03-15");
  CHECK(d5.changes[2].kind == syntax::GroupChangeKind::kRemove);
  CHECK(cover(text, d5.changes[2].span) == "remove {BY} from 2025-01-01");
  const auto& restricted = std::get<syntax::GroupDecl>(decls[11]);
  REQUIRE(restricted.definition);
  CHECK(show(*restricted.definition) == "(union (except (union d1 d4) a5) {MO})");
  const auto& entities = std::get<syntax::GroupDecl>(decls[12]);
  CHECK(entities.element_type.text == "name");
  CHECK(show(*entities.changes.at(0).members) == "{\"Zhipu AI\" aka \"Beijing Zhipu Huazhang Technology\"}");

  const auto& cap = std::get<syntax::ParameterDecl>(decls[13]);
  REQUIRE(cap.steps.size() == 2);
  CHECK(show(*cap.steps[0].value) == "26_900_000");
  CHECK(cap.steps[0].from.text == "2025-01-13");
  CHECK(!cap.steps[1].value);

  const auto& tier = std::get<syntax::TierDecl>(decls[14]);
  REQUIRE(tier.cases.size() == 1);
  CHECK(tier.cases[0].label.value == "tier1");
  CHECK(show(*tier.cases[0].condition) == "(in destination.country tier1_countries)");
  CHECK(tier.otherwise.value == "tier2");

  const auto& rule = std::get<syntax::RuleDecl>(decls[15]);
  CHECK(rule.kind == syntax::RuleKind::kRule);
  CHECK(rule.name.text == "eccn_3a090_a");
  CHECK(rule.body.title->value == "3A090.a");
  CHECK(rule.body.citation->value == "15 CFR 774");
  CHECK(rule.body.has_effective);
  CHECK(rule.body.effective_from->text == "2023-11-17");
  CHECK(rule.body.effective_until->text == "2026-01-01");
  CHECK(cover(text, rule.body.effective_span) == "effective from 2023-11-17 until 2026-01-01");
  CHECK(show(*rule.body.when) == "(cmp product.tpp >= 4800)");
  REQUIRE(rule.body.then.has_value());
  CHECK(rule.body.then->kind == syntax::OutcomeKind::kClassify);
  CHECK(rule.body.then->label == "3A090.a");
  CHECK(cover(text, rule.body.then->span) == "classify \"3A090.a\"");
  CHECK(!rule.body.has_overrides);

  const auto& nac = std::get<syntax::RuleDecl>(decls[16]);
  CHECK(nac.kind == syntax::RuleKind::kExemption);
  CHECK(nac.body.has_overrides);
  REQUIRE(nac.body.overrides.size() == 2);
  CHECK(nac.body.overrides[1].text == "other_rule");
  CHECK(nac.body.then->kind == syntax::OutcomeKind::kDecision);
  CHECK(nac.body.then->label == "notify");
  CHECK(nac.body.then->reason->value == "notify BIS");
  CHECK(!nac.body.has_effective);

  const auto& amend_rule = std::get<syntax::AmendDecl>(decls[17]);
  CHECK(amend_rule.target == syntax::AmendTarget::kRule);
  CHECK(amend_rule.name.text == "eccn_3a090_a");
  CHECK(amend_rule.body.effective_until->text == "2025-05-13");
  CHECK(!amend_rule.body.effective_from.has_value());
  CHECK(!amend_rule.body.title.has_value());
  const auto& amend_ex = std::get<syntax::AmendDecl>(decls[18]);
  CHECK(amend_ex.target == syntax::AmendTarget::kExemption);
  CHECK(amend_ex.body.overrides.at(0).text == "x");
  const auto& amend_group = std::get<syntax::AmendDecl>(decls[19]);
  CHECK(amend_group.target == syntax::AmendTarget::kGroup);
  CHECK(amend_group.changes.size() == 1);
  const auto& amend_param = std::get<syntax::AmendDecl>(decls[20]);
  CHECK(amend_param.target == syntax::AmendTarget::kParameter);
  CHECK(amend_param.steps.size() == 2);
  CHECK(std::get<syntax::RepealDecl>(decls[21]).kind == syntax::RuleKind::kRule);
  CHECK(std::get<syntax::RepealDecl>(decls[22]).kind == syntax::RuleKind::kExemption);
  CHECK(std::get<syntax::RepealDecl>(decls[22]).name.text == "NAC");

  const auto& test = std::get<syntax::TestDecl>(decls[23]);
  CHECK(test.name.value == "a big GPU to China needs a license");
  CHECK(test.as_of->text == "2025-02-01");
  CHECK(test.rules_as_of->text == "2025-01-20");
  REQUIRE(test.fact_files.size() == 1);
  CHECK(test.fact_files[0].value == "facts/h100.json");
  REQUIRE(test.givens.size() == 5);
  CHECK(test.givens[0].path.text == "product.tpp");
  CHECK(show(*test.givens[0].value) == "4992");
  CHECK(show(*test.givens[1].value) == "\"ic\"");
  CHECK(show(*test.givens[2].value) == "(- 1.5)");
  CHECK(show(*test.givens[3].value) == "2025-01-01");
  CHECK(show(*test.givens[4].value) == "false");
  CHECK(cover(text, test.givens[2].span) == "x.neg = -1.5");
  REQUIRE(test.expects.size() == 7);
  CHECK(test.expects[0].kind == syntax::ExpectKind::kDecision);
  CHECK(test.expects[0].names.at(0).text == "license_required");
  CHECK(cover(text, test.expects[0].span) == "expect decision license_required");
  CHECK(test.expects[1].kind == syntax::ExpectKind::kClassifications);
  REQUIRE(test.expects[1].labels.size() == 2);
  CHECK(test.expects[1].labels[1].value == "4A090.a");
  CHECK(test.expects[2].kind == syntax::ExpectKind::kClassified);
  CHECK(test.expects[2].labels.at(0).value == "3A090.a");
  CHECK(test.expects[3].kind == syntax::ExpectKind::kNotClassified);
  CHECK(test.expects[3].labels.at(0).value == "3A001");
  CHECK(test.expects[4].kind == syntax::ExpectKind::kDeciding);
  CHECK(test.expects[4].names.size() == 2);
  CHECK(test.expects[5].kind == syntax::ExpectKind::kExemption);
  CHECK(test.expects[6].kind == syntax::ExpectKind::kMissing);
  REQUIRE(test.expects[6].names.size() == 2);
  CHECK(test.expects[6].names[1].text == "end_user.hq_country");
}

TEST_CASE("empty and comment-only files parse", "[grammar]") {
  for (const char* text : {"", "   \n\t", "# only a comment", "# a\n# b\n"}) {
    const auto r = parse(text);
    CHECK(r.diagnostics.empty());
    REQUIRE(r.file.has_value());
    CHECK(r.file->decls.empty());
  }
}

TEST_CASE("syntax errors: code, message and position", "[grammar]") {
  struct Case {
    const char* text;
    const char* code;
    const char* message;
    std::size_t line;
    std::size_t column;
    const char* help;  // nullptr: not checked
  };
  const Case cases[] = {
      {"rule r\n  title \"t\"\n  when a\n", "syntax-error",
       "missing `end`: the `rule r` block opened at line 1 is not closed", 4, 1,
       "the file ends inside it; add `end` after its last clause"},
      {"rule r\n  when a\n  then deny\n\nrule s\nend\n", "syntax-error",
       "missing `end`: the `rule r` block opened at line 1 is not closed before this `rule`", 5, 1,
       "add `end` after the last clause of `rule` at line 1"},
      {"test \"t\"\n  as_of 2025-01-01\nfact a : decimal \"x\"\n", "syntax-error",
       "missing `end`: the `test` block opened at line 1 is not closed before this `fact`", 3, 1, nullptr},
      // Operators of other languages: the fix, at the operator's column.
      {"rule r when a = 1 end", "syntax-error", "`=` is not a comparison: use `==`", 1, 15, nullptr},
      {"exemption e overrides rules deciding end", "syntax-error", "expected an outcome after `rules deciding`", 1,
       38, nullptr},
      {"exemption e overrides rules testing \"x\" end", "syntax-error",
       "expected `classified \"LABEL\"` after `rules testing`", 1, 37, nullptr},
      {"exemption e overrides add end", "syntax-error", "`end` is a reserved word", 1, 27,
       "expected a rule or exemption name, `rules deciding OUTCOME` or `rules testing classified \"LABEL\"` after "
       "`add`; a reserved word cannot be used as a name"},
      {"rule r when h starts with 8541 end", "syntax-error",
       "expected a prefix (a string) or a set of prefixes `{\"8541\", \"8542\"}` after `starts with`", 1, 27,
       nullptr},
      {"rule r when a && b end", "syntax-error", "`&&` is not an Edict operator: use `and`", 1, 15,
       "conditions combine with `and`, `or` and `not`"},
      {"rule r when a || b end", "syntax-error", "`||` is not an Edict operator: use `or`", 1, 15, nullptr},
      {"rule r when !a end", "syntax-error", "`!` is not an Edict operator: use `not`", 1, 13, nullptr},
      {"rule r when a and !b end", "syntax-error", "`!` is not an Edict operator: use `not`", 1, 19, nullptr},
      {"rule r when (a = b) end", "syntax-error", "`=` is not a comparison: use `==`", 1, 16, nullptr},
      {"rule r when a <> b end", "syntax-error", "`<>` is not an Edict operator: use `!=`", 1, 15, nullptr},
      {"rule r when a => b end", "syntax-error", "`=>` is not an Edict operator: use `>=`", 1, 15, nullptr},
      {"rule r when a =< b end", "syntax-error", "`=<` is not an Edict operator: use `<=`", 1, 15, nullptr},
      {"define x = = 1", "syntax-error", "expected an expression after `=`", 1, 12, nullptr},
      {"rule r when a != b && c end", "syntax-error", "`&&` is not an Edict operator: use `and`", 1, 20, nullptr},
      {"define a = 1\n\nrule r\n  whne a\nend\n", "syntax-error", "expected `end` to close `rule` block", 4, 3,
       nullptr},
      {"rule r\n  when\n  then deny\nend", "syntax-error", "expected an expression after `when`", 3, 3, nullptr},
      {"rule r when a >= then deny end", "syntax-error", "expected an expression after `>=`", 1, 18, nullptr},
      {"rule r effective from 2023-1-17 end", "syntax-error", "expected a date (YYYY-MM-DD) after `from`", 1, 23,
       nullptr},
      {"rule r effective when a end", "syntax-error", "expected `from DATE` or `until DATE` after `effective`", 1,
       18, nullptr},
      {"rule r when a when b end", "syntax-error", "duplicate `when` clause", 1, 15,
       "the first `when` clause of this `rule` is at line 1"},
      {"exemption e\n title \"a\"\n title \"b\"\nend", "syntax-error", "duplicate `title` clause", 3, 2, nullptr},
      {"rule r overrides x end", "syntax-error", "`overrides` is only allowed in an exemption", 1, 8, nullptr},
      {"foo", "syntax-error", "unexpected `foo`", 1, 1, nullptr},
      {"define x = 1\n  bar", "syntax-error", "unexpected `bar`", 2, 3, nullptr},
      {"rule end", "syntax-error", "`end` is a reserved word", 1, 6,
       "expected a rule name after `rule`; a reserved word cannot be used as a name"},
      {"define in = 3", "syntax-error", "`in` is a reserved word", 1, 8, nullptr},
      {"fact a.when : decimal \"x\"", "syntax-error", "expected `:` and a type after the fact path", 1, 7, nullptr},
      {"define x = (a + b", "syntax-error", "expected `)` to close `(`", 1, 18,
       "the `(` at line 1 is not closed"},
      {"define x = a +", "syntax-error", "expected an expression after `+`", 1, 15, nullptr},
      {"define x = a in", "syntax-error", "expected a set (a group name, `{ ... }` or `( ... )`) after `in`", 1, 16,
       nullptr},
      {"define x = a is here", "syntax-error", "expected `present` or `absent` after `is`", 1, 17, nullptr},
      {"define x = if a then b", "syntax-error", "expected `else` after the `then` branch of `if`", 1, 23, nullptr},
      {"define x = if a b", "syntax-error", "expected `then` after the condition of `if`", 1, 17, nullptr},
      {"define x = {A, }", "syntax-error", "expected a set member after `,`", 1, 16, nullptr},
      {"define x = {A B}", "syntax-error", "expected `,` or `}` in the set literal", 1, 15, nullptr},
      {"define x = \"abc\ndef\"", "syntax-error", "unterminated string", 1, 12, nullptr},
      {"define x = \"abc", "syntax-error", "unterminated string", 1, 12, nullptr},
      {"define x = \"a\\qb\"", "invalid-escape", "invalid escape `\\q` in string", 1, 14, nullptr},
      {"policy \"p\" outcomes a > b default end", "syntax-error", "`end` is a reserved word", 1, 35, nullptr},
      {"policy \"p\" outcomes a b end", "syntax-error", "expected `>` or `default` after the outcomes", 1, 23,
       nullptr},
      {"fact a : decimal", "syntax-error", "expected the fact's description (a string)", 1, 17, nullptr},
      {"fact a : \"x\"", "syntax-error", "expected a type after `:`", 1, 10, nullptr},
      {"group g : country\n  add CN\nend", "syntax-error", "expected a set literal `{ ... }` after `add`", 2, 7,
       nullptr},
      {"parameter p\n  5 2025-01-01\nend", "syntax-error", "expected `from DATE` after the parameter value", 2, 5,
       nullptr},
      {"tier t \"a\" a otherwise \"b\" end", "syntax-error", "expected `when` after the tier label", 1, 12, nullptr},
      {"tier t otherwise end", "syntax-error", "expected a string after `otherwise`", 1, 18, nullptr},
      {"test \"t\" expect nothing end", "syntax-error",
       "expected `decision`, `classifications`, `classified`, `not classified`, `deciding`, `exemption`, "
       "`missing`, `value` or `obligation` after `expect`",
       1, 17, nullptr},
      {"test \"t\" given a = b end", "syntax-error",
       "expected a literal (number, string, date, `true` or `false`) after `=`", 1, 20, nullptr},
      {"test \"t\" as_of 2025-01-01 as_of 2025-01-02 end", "syntax-error", "duplicate `as_of` clause", 1, 27,
       nullptr},
      {"amend policy x end", "syntax-error", "expected `rule`, `exemption`, `group` or `parameter` after `amend`", 1,
       7, nullptr},
      {"repeal group g", "syntax-error", "expected `rule` or `exemption` after `repeal`", 1, 8, nullptr},
      {"rule r then classify end", "syntax-error", "expected a classification label (a string) after `classify`", 1,
       22, nullptr},
      {"rule r then deny because end", "syntax-error", "expected a reason (a string) after `because`", 1, 26,
       nullptr},
      {"define x = a = b", "syntax-error", "`=` is not a comparison: use `==`", 1, 14, nullptr},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto r = parse(c.text);
    CHECK(!r.file.has_value());
    REQUIRE(r.diagnostics.size() == 1);
    const auto& d = r.diagnostics[0];
    INFO(d.message << " | " << d.help);
    CHECK(d.code == c.code);
    CHECK(d.message == c.message);
    CHECK(d.span.file == 7);
    const Position p = position(c.text, d.span.begin);
    CHECK(p.line == c.line);
    CHECK(p.column == c.column);
    CHECK(d.span.end >= d.span.begin);
    if (c.help != nullptr) CHECK(d.help == c.help);
  }
}

TEST_CASE("error spans cover the offending token", "[grammar]") {
  const std::string text = "rule r\n  whne a\nend\n";
  const auto r = parse(text);
  REQUIRE(r.diagnostics.size() == 1);
  CHECK(cover(text, r.diagnostics[0].span) == "whne");

  const std::string eof = "rule r when a";
  const auto r2 = parse(eof);
  REQUIRE(r2.diagnostics.size() == 1);
  CHECK(r2.diagnostics[0].span.begin == eof.size());
  CHECK(r2.diagnostics[0].span.end == eof.size());

  const std::string esc = "define x = \"a\\qb\"";
  const auto r3 = parse(esc);
  REQUIRE(r3.diagnostics.size() == 1);
  CHECK(cover(esc, r3.diagnostics[0].span) == "\\q");
}

TEST_CASE("limits", "[grammar]") {
  SECTION("deep parentheses do not overflow the stack") {
    const std::string text = "define x = " + std::string(100000, '(');
    const auto r = parse(text);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "limit-exceeded");
    CHECK(r.diagnostics[0].message == "expression nesting is deeper than 64 levels");
    CHECK(r.diagnostics[0].span.begin == kDefine.size() + 64);
  }
  SECTION("deep unary minus, not, if and set parentheses") {
    for (const std::string& prefix : {std::string("- "), std::string("not "), std::string("if ")}) {
      std::string text = "define x = ";
      for (int i = 0; i < 100000; ++i) text += prefix;
      const auto r = parse(text);
      REQUIRE(r.diagnostics.size() == 1);
      CHECK(r.diagnostics[0].code == "limit-exceeded");
    }
    const auto r = parse("define x = a in " + std::string(100000, '('));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "limit-exceeded");
  }
  SECTION("64 levels are fine") {
    const std::string text = "define x = " + std::string(63, '(') + "a" + std::string(63, ')');
    CHECK(parse(text).diagnostics.empty());
  }
  SECTION("custom depth") {
    grammar::ParseOptions options;
    options.max_nesting_depth = 3;
    CHECK(grammar::parse("define x = ((a))", 0, options).diagnostics.empty());
    const auto r = grammar::parse("define x = (((- a)))", 0, options);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].message == "expression nesting is deeper than 3 levels");
  }
  SECTION("operator chains nest to the left: 64 operands are fine, 100,000 are limit-exceeded") {
    for (const std::string op : {" + ", " * ", " and ", " or ", " union "}) {
      INFO(op);
      const auto chain = [&](int operands) {
        std::string text = op == " union " ? "define x = b in a" : "define x = a";  // a set operand
        for (int i = 1; i < operands; ++i) text += op + "a";
        return text;
      };
      CHECK(parse(chain(64)).diagnostics.empty());
      const auto r = parse(chain(100000));
      REQUIRE(r.diagnostics.size() == 1);
      CHECK(r.diagnostics[0].code == "limit-exceeded");
      CHECK(r.diagnostics[0].message == "expression nesting is deeper than 64 levels");
    }
  }
  SECTION("a comparison chain is flat") {
    std::string text = "define x = a";
    for (int i = 0; i < 20000; ++i) text += " < a";
    CHECK(parse(text).diagnostics.empty());
  }
  SECTION("string literal size") {
    grammar::ParseOptions options;
    options.max_string_bytes = 4;
    CHECK(grammar::parse("define x = \"abcd\"", 0, options).diagnostics.empty());
    const auto r = grammar::parse("define x = \"abcde\"", 0, options);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "limit-exceeded");
    CHECK(r.diagnostics[0].message == "string literal is 5 bytes, more than the limit of 4 bytes");
    CHECK(r.diagnostics[0].span.begin == kDefine.size());
    // Escapes count once unescaped: four characters written with two escapes.
    CHECK(grammar::parse("define x = \"a\\nb\\t\"", 0, options).diagnostics.empty());
  }
  SECTION("source size") {
    grammar::ParseOptions options;
    options.max_source_bytes = 10;
    const auto r = grammar::parse("define x = 12345", 0, options);
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "limit-exceeded");
    CHECK(!r.file.has_value());
  }
  SECTION("number digits") {
    CHECK(parse("define x = " + std::string(1000, '7')).diagnostics.empty());
    const auto r = parse("define x = " + std::string(1001, '7'));
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics[0].code == "limit-exceeded");
    CHECK(r.diagnostics[0].span.begin == kDefine.size());
  }
}

TEST_CASE("policy files in the repository parse", "[grammar]") {
#ifdef EDICT_SOURCE_DIR
  namespace fs = std::filesystem;
  for (const char* dir : {"/policies", "/stdlib"}) {
    const fs::path root = fs::path(EDICT_SOURCE_DIR) / (std::string(dir).substr(1));
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() != ".edict") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      const auto r = grammar::parse(text, 0);
      INFO(entry.path().string());
      for (const auto& d : r.diagnostics) {
        INFO(d.message << " at byte " << d.span.begin);
        CHECK(false);
      }
    }
  }
#endif
}
