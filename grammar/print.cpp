// Source printer: declarations, clauses and comments (see print.hpp). Expressions are printed by
// print_expr.cpp.
//
// How comments find their place: comments are consumed in source order by one cursor. Before each printed
// item (a declaration, a clause line, a member line), every comment not yet printed that starts before the
// end of that item is printed on its own line: the comments before the item, and those inside it, which the
// canonical layout cannot keep in place. After the item, a comment that starts on the line where the item
// ended, with only spaces or commas between, is appended to the printed line. Comments left at the end of a
// block go before its `end`, those at the end of the file last, so the cursor passes every comment once.
#include "print.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <variant>
#include <vector>

#include "print_expr.hpp"
#include "rules.hpp"  // the lexical classes: which enumeration codes can print bare

namespace edict::grammar {
namespace {

using namespace syntax;
using printing::quote;

constexpr std::uint32_t kEndOfFile = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kIndent = 2;

const char* type_word(BaseType base) {
  switch (base) {
    case BaseType::kDecimal: return "decimal";
    case BaseType::kInteger: return "integer";
    case BaseType::kBool: return "bool";
    case BaseType::kString: return "string";
    case BaseType::kDate: return "date";
    default: return "";
  }
}

const char* change_word(GroupChangeKind kind) {
  switch (kind) {
    case GroupChangeKind::kMembers: return "members";
    case GroupChangeKind::kAdd: return "add";
    case GroupChangeKind::kRemove: return "remove";
  }
  return "";
}

template <typename T, typename F>
std::string joined(const std::vector<T>& items, F&& show) {
  std::string s;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += ", ";
    s += show(items[i]);
  }
  return s;
}

std::string name_list(const std::vector<Name>& names) {
  return joined(names, [](const Name& n) { return n.text; });
}

Span cover(Span first, Span last) { return Span{first.file, first.begin, last.end}; }

std::string override_list(const std::vector<OverrideItem>& items) { return joined(items, print_override); }

class Printer {
 public:
  Printer(std::string_view text, const std::vector<Comment>& comments, const PrintOptions& options)
      : text_(text), comments_(comments), options_(options) {}

  std::string run(const File& file) {
    for (const Decl& decl : file.decls) std::visit([this](const auto& d) { declaration(d); }, decl);
    comments_before(kEndOfFile);
    return std::move(out_);
  }

 private:
  std::string_view text_;
  const std::vector<Comment>& comments_;
  const PrintOptions& options_;
  std::size_t next_comment_ = 0;  // INVARIANT: comments before this index are printed, the others not
  std::string out_;
  std::size_t indent_ = 0;
  std::uint32_t last_end_ = 0;  // source offset where the last printed item ended (for blank lines)
  bool block_start_ = true;     // nothing printed yet in the current block (or file)
  bool after_declaration_ = false;  // the last printed item is a declaration
  bool after_block_ = false;        // ... a declaration with `end`

  // ---- text of the source ----

  // Whether [from, to) of the source holds an empty line.
  bool blank_line_between(std::uint32_t from, std::uint32_t to) const {
    int newlines = 0;
    for (std::uint32_t i = from; i < to && i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '\n') {
        if (++newlines == 2) return true;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        newlines = 0;
      }
    }
    return false;
  }

  std::string_view comment_text(const Comment& c) const {
    std::string_view s = text_.substr(c.span.begin, c.span.end - c.span.begin);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
  }

  // ---- output ----

  void write_line(std::string_view line) {
    out_.append(indent_, ' ');
    out_ += line;
    out_ += '\n';
    block_start_ = false;
    after_declaration_ = false;
    after_block_ = false;
  }

  // Lines from expression_lines(): the first gets the indentation, the others have theirs.
  void write_lines(const std::vector<std::string>& lines) {
    write_line(lines.front());
    for (std::size_t i = 1; i < lines.size(); ++i) out_ += lines[i] + "\n";
  }

  void blank_line() { out_ += '\n'; }

  // ---- comments ----

  void comments_before(std::uint32_t offset) {
    while (next_comment_ < comments_.size() && comments_[next_comment_].span.begin < offset) {
      const Comment& c = comments_[next_comment_++];
      const bool top_level = indent_ == 0;
      if (!block_start_ && ((top_level && after_block_) || blank_line_between(last_end_, c.span.begin))) {
        blank_line();
      }
      write_line(comment_text(c));
      last_end_ = c.span.end;
    }
  }

  // The comment that ends the source line of `end` (an item's last token), with only spaces or commas
  // before it; null when there is none.
  const Comment* trailing_comment_after(std::uint32_t end) const {
    if (next_comment_ >= comments_.size()) return nullptr;
    const Comment& c = comments_[next_comment_];
    if (c.span.begin < end) return nullptr;
    for (std::uint32_t i = end; i < c.span.begin; ++i) {
      const char ch = text_[i];
      if (ch != ' ' && ch != '\t' && ch != ',') return nullptr;
    }
    return &c;
  }

  // Appends the comment that ends the source line of `end` to the last printed line.
  void trailing_comment(std::uint32_t end) {
    last_end_ = std::max(last_end_, end);
    const Comment* c = trailing_comment_after(end);
    if (c == nullptr) return;
    out_.pop_back();  // the newline
    out_ += "  ";
    out_ += comment_text(*c);
    out_ += '\n';
    last_end_ = c->span.end;
    ++next_comment_;
  }

  // The offset just after the first `token` at or after `from` (outside comments): the end of a header that
  // ends with punctuation the tree does not record (`enum e =`).
  std::uint32_t end_of_next(char token, std::uint32_t from) const {
    for (std::uint32_t i = from; i < text_.size(); ++i) {
      if (text_[i] == '#') {
        while (i < text_.size() && text_[i] != '\n') ++i;
      } else if (text_[i] == token) {
        return i + 1;
      }
    }
    return from;
  }

  // Whether a comment not yet printed starts inside `span`.
  bool comment_inside(Span span) const {
    for (std::size_t i = next_comment_; i < comments_.size() && comments_[i].span.begin < span.end; ++i) {
      if (comments_[i].span.begin > span.begin) return true;
    }
    return false;
  }

  // ---- items ----

  // A one-line (or broken-expression) item inside a block, or a declaration without `end`.
  void item(const std::vector<std::string>& lines, Span span) {
    comments_before(span.end);
    write_lines(lines);
    trailing_comment(span.end);
  }
  void item(const std::string& line, Span span) { item(std::vector<std::string>{line}, span); }

  // `prefix` followed by a condition that may break over lines.
  std::vector<std::string> with_condition(const std::string& prefix, const Expr& condition) const {
    auto lines = printing::expression_lines(condition, indent_ + printing::display_width(prefix), options_.width, true);
    lines.front().insert(0, prefix);
    return lines;
  }

  // The separation before a declaration: one blank line, except between one-line declarations (`use`,
  // `fact`, ...) that the source wrote on consecutive lines; and where the source had one.
  void start_declaration(Span span, std::uint32_t header_end, bool block) {
    comments_before(header_end);
    const bool next_to_declaration = after_block_ || (block && after_declaration_);
    if (!block_start_ && (next_to_declaration || blank_line_between(last_end_, span.begin))) blank_line();
  }

  void top_level(const std::vector<std::string>& lines, Span span) {
    start_declaration(span, span.end, false);
    write_lines(lines);
    trailing_comment(span.end);
    after_declaration_ = true;
  }
  void top_level(const std::string& line, Span span) { top_level(std::vector<std::string>{line}, span); }

  void open_block(const std::string& header, Span span, std::uint32_t header_end) {
    start_declaration(span, header_end, true);
    write_line(header);
    trailing_comment(header_end);
    indent_ += kIndent;
    block_start_ = true;
  }

  void close_block(Span span) {
    comments_before(span.end);
    indent_ -= kIndent;
    write_line("end");
    trailing_comment(span.end);
    after_declaration_ = true;
    after_block_ = true;
  }

  // ---- declarations ----

  void declaration(const PolicyDecl& d) {
    open_block("policy " + quote(d.title.value), d.span, d.title.span.end);
    std::string outcomes = "outcomes ";
    for (std::size_t i = 0; i < d.outcomes.size(); ++i) outcomes += (i > 0 ? " > " : "") + d.outcomes[i].text;
    if (!d.outcomes.empty()) item(outcomes, cover(d.outcomes.front().span, d.outcomes.back().span));
    item("default " + d.default_outcome.text, d.default_outcome.span);
    close_block(d.span);
  }

  void declaration(const AmendmentDecl& d) {
    open_block("amendment " + quote(d.title.value), d.span, d.title.span.end);
    item("published " + d.published.text, d.published.span);
    if (d.citation) item("citation " + quote(d.citation->value), d.citation->span);
    close_block(d.span);
  }

  void declaration(const ImportDecl& d) { top_level("import " + quote(d.path.value), d.span); }
  void declaration(const UseDecl& d) { top_level("use " + d.module.text, d.span); }

  void declaration(const EnumDecl& d) {
    open_block("enum " + d.name.text + " =", d.span, end_of_next('=', d.name.span.end));
    for (std::size_t i = 0; i < d.members.size(); ++i) {
      const EnumMember& m = d.members[i];
      std::string line = is_bare_word(m.code) ? m.code : quote(m.code);
      if (m.display) line += " " + quote(*m.display);
      if (i + 1 < d.members.size()) line += ",";
      item(line, m.span);
    }
    close_block(d.span);
  }

  // An enumeration code written as a string may print bare when it lexes as an identifier (`US`).
  static bool is_bare_word(std::string_view code) {
    return !code.empty() && rules::is_letter(code.front()) &&
           std::all_of(code.begin(), code.end(), rules::is_word_char) && !rules::is_reserved(code);
  }

  void declaration(const FactDecl& d) {
    std::string line = "fact " + d.path.text + " : " + type(d.type);
    if (d.default_value) line += " default " + printing::expression(*d.default_value);
    top_level(line + " " + quote(d.doc.value), d.span);
  }

  static std::string type(const TypeRef& t) {
    std::string s = t.optional ? "optional " : "";
    if (t.base == BaseType::kOneOf) return s + "one of " + joined(t.one_of, [](const StringLit& v) { return quote(v.value); });
    if (t.base == BaseType::kNamed) return s + t.named.text;
    return s + type_word(t.base);
  }

  void declaration(const OutputDecl& d) {
    std::string line = "output " + d.name.text + " : " + type(d.type);
    if (d.combine) line += " combine " + d.combine->text;
    if (d.default_value) line += " default " + printing::expression(*d.default_value);
    top_level(line + " " + quote(d.doc.value), d.span);
  }

  void declaration(const DefineDecl& d) { top_level(with_condition("define " + d.name.text + " = ", *d.value), d.span); }

  void declaration(const GroupDecl& d) {
    std::string header = "group " + d.name.text + " : " + d.element_type.text;
    std::uint32_t header_end = d.element_type.span.end;
    if (d.definition) {
      header += " = " + printing::set_expression(*d.definition);
      header_end = d.definition->span.end;
    }
    open_block(header, d.span, header_end);
    changes(d.changes);
    close_block(d.span);
  }

  void changes(const std::vector<GroupChange>& list) {
    for (const GroupChange& c : list) change(c);
  }

  // `members {...} from D` on one line; when it is too long or has comments inside, the members fill lines
  // of their own (a member with a comment before it starts a line, one with a comment after it ends one).
  void change(const GroupChange& c) {
    const std::string from = c.from ? " from " + c.from->text : "";
    const std::string word = change_word(c.kind);
    const Expr& set = *c.members;
    const std::string line = word + " " + printing::set_literal(set) + from;
    if (indent_ + printing::display_width(line) <= options_.width && !comment_inside(set.span)) {
      item(line, c.span);
      return;
    }
    comments_before(set.span.begin);
    write_line(word + " {");
    last_end_ = set.span.begin + 1;
    indent_ += kIndent;
    block_start_ = true;
    fill_members(set.members);
    comments_before(set.span.end);
    indent_ -= kIndent;
    write_line("}" + from);
    trailing_comment(c.span.end);
  }

  void fill_members(const std::vector<SetMember>& members) {
    std::string line;
    std::uint32_t line_end = 0;
    const auto flush = [&] {
      if (line.empty()) return;
      write_line(line);
      trailing_comment(line_end);
      line.clear();
    };
    for (std::size_t i = 0; i < members.size(); ++i) {
      const SetMember& m = members[i];
      const std::string text = printing::set_member(m) + (i + 1 < members.size() ? "," : "");
      const bool comment_before = next_comment_ < comments_.size() && comments_[next_comment_].span.begin < m.span.end;
      const bool too_long = indent_ + printing::display_width(line) + 1 + printing::display_width(text) > options_.width;
      if (comment_before || too_long) flush();
      comments_before(m.span.end);
      line += (line.empty() ? "" : " ") + text;
      line_end = m.span.end;
      if (trailing_comment_after(m.span.end) != nullptr) flush();
    }
    flush();
  }

  void steps(const std::vector<ParameterStep>& list) {
    for (const ParameterStep& s : list) {
      item((s.value ? printing::expression(*s.value) : "none") + " from " + s.from.text, s.span);
    }
  }

  void declaration(const ParameterDecl& d) {
    open_block("parameter " + d.name.text, d.span, d.name.span.end);
    steps(d.steps);
    close_block(d.span);
  }

  void declaration(const TierDecl& d) {
    open_block("tier " + d.name.text, d.span, d.name.span.end);
    for (const TierCase& c : d.cases) item(with_condition(quote(c.label.value) + " when ", *c.condition), c.span);
    item("otherwise " + quote(d.otherwise.value), d.otherwise.span);
    close_block(d.span);
  }

  // A clause line of a rule or test, printed in source order: the tree keeps each kind of clause apart, and
  // source order keeps every comment next to its clause.
  struct Clause {
    std::vector<std::string> lines;
    Span span;
  };

  void clauses(std::vector<Clause> list) {
    std::stable_sort(list.begin(), list.end(), [](const Clause& a, const Clause& b) { return a.span.begin < b.span.begin; });
    for (const Clause& c : list) item(c.lines, c.span);
  }

  void rule_body(const RuleBody& b) {
    std::vector<Clause> list;
    if (b.title) list.push_back({{"title " + quote(b.title->value)}, b.title->span});
    if (b.citation) list.push_back({{"citation " + quote(b.citation->value)}, b.citation->span});
    const auto overrides = [&](const std::string& head, const std::vector<OverrideItem>& items) {
      if (items.empty()) return;
      list.push_back({{head + override_list(items)}, cover(items.front().span, items.back().span)});
    };
    if (b.has_overrides) overrides("overrides ", b.overrides);
    overrides("overrides add ", b.overrides_added);
    overrides("overrides remove ", b.overrides_removed);
    if (b.has_effective) {
      std::string line = "effective";
      if (b.effective_from) line += " from " + b.effective_from->text;
      if (b.effective_until) line += " until " + b.effective_until->text;
      list.push_back({{line}, b.effective_span});
    }
    if (b.when) list.push_back({with_condition("when ", *b.when), b.when->span});
    if (b.then) list.push_back({{"then " + outcome(*b.then)}, b.then->span});
    for (const SetClause& c : b.sets) list.push_back({with_condition("set " + c.output.text + " = ", *c.value), c.span});
    for (const ObligeClause& c : b.obligations) {
      std::string line = "oblige " + quote(c.name.value);
      if (c.due) line += " by " + printing::expression(*c.due);
      if (c.citation) line += " citing " + quote(c.citation->value);
      list.push_back({{line}, c.span});
    }
    clauses(std::move(list));
  }

  static std::string outcome(const Outcome& o) {
    if (o.kind == OutcomeKind::kClassify) return "classify " + quote(o.label);
    return o.label + (o.reason ? " because " + quote(o.reason->value) : "");
  }

  void declaration(const RuleDecl& d) {
    open_block((d.kind == RuleKind::kRule ? "rule " : "exemption ") + d.name.text, d.span, d.name.span.end);
    rule_body(d.body);
    close_block(d.span);
  }

  void declaration(const AmendDecl& d) {
    static constexpr const char* kTargets[] = {"rule", "exemption", "group", "parameter"};  // ORDER AmendTarget
    open_block(std::string("amend ") + kTargets[static_cast<int>(d.target)] + " " + d.name.text, d.span,
               d.name.span.end);
    rule_body(d.body);
    changes(d.changes);
    steps(d.steps);
    close_block(d.span);
  }

  void declaration(const RepealDecl& d) {
    top_level(std::string("repeal ") + (d.kind == RuleKind::kRule ? "rule " : "exemption ") + d.name.text, d.span);
  }

  void declaration(const TestDecl& d) {
    open_block("test " + quote(d.name.value), d.span, d.name.span.end);
    std::vector<Clause> list;
    if (d.as_of) list.push_back({{"as_of " + d.as_of->text}, d.as_of->span});
    if (d.rules_as_of) list.push_back({{"rules_as_of " + d.rules_as_of->text}, d.rules_as_of->span});
    for (const StringLit& f : d.fact_files) list.push_back({{"given file " + quote(f.value)}, f.span});
    givens(d.givens, list);
    for (const Expect& x : d.expects) list.push_back({{expectation(x)}, x.span});
    clauses(std::move(list));
    close_block(d.span);
  }

  // `given a = 1, b = 2` stays one clause as written; the tree only keeps the assignments, so the clause
  // boundaries are read back from the source (a comma between two assignments: the same clause).
  void givens(const std::vector<Given>& assignments, std::vector<Clause>& list) const {
    for (std::size_t i = 0; i < assignments.size();) {
      std::size_t j = i + 1;
      while (j < assignments.size() && comma_between(assignments[j - 1].span.end, assignments[j].span.begin)) ++j;
      std::string line = "given ";
      for (std::size_t k = i; k < j; ++k) {
        line += (k > i ? ", " : "") + assignments[k].path.text + " = " + printing::expression(*assignments[k].value);
      }
      list.push_back({{line}, cover(assignments[i].span, assignments[j - 1].span)});
      i = j;
    }
  }

  // Whether the source between two tokens is one comma (with spaces and comments around it).
  bool comma_between(std::uint32_t from, std::uint32_t to) const {
    int commas = 0;
    for (std::uint32_t i = from; i < to && i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '#') {
        while (i < to && text_[i] != '\n') ++i;
      } else if (c == ',') {
        ++commas;
      } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return false;
      }
    }
    return commas == 1;
  }

  static std::string expectation(const Expect& x) {
    const auto labels = [&x] { return joined(x.labels, [](const StringLit& l) { return quote(l.value); }); };
    const auto first_name = [&x] { return x.names.empty() ? std::string() : x.names.front().text; };
    const auto first_label = [&x] { return x.labels.empty() ? std::string("\"\"") : quote(x.labels.front().value); };
    switch (x.kind) {
      case ExpectKind::kDecision: return "expect decision " + first_name();
      case ExpectKind::kClassifications: return "expect classifications {" + labels() + "}";
      case ExpectKind::kClassified: return "expect classified " + first_label();
      case ExpectKind::kNotClassified: return "expect not classified " + first_label();
      case ExpectKind::kDeciding: return "expect deciding " + name_list(x.names);
      case ExpectKind::kExemption: return "expect exemption " + first_name();
      case ExpectKind::kMissing: return "expect missing " + name_list(x.names);
      case ExpectKind::kObligation: return "expect obligation " + first_label();
      case ExpectKind::kValue:
        return "expect value " + first_name() +
               (x.value ? " = " + printing::expression(*x.value) : " " + (x.labels.empty() ? std::string("unset") : x.labels[0].value));
    }
    return {};
  }
};

}  // namespace

std::string print(const syntax::File& file, std::string_view text, const PrintOptions& options) {
  return Printer(text, file.comments, options).run(file);
}

std::string print_override(const syntax::OverrideItem& item) {
  switch (item.kind) {
    case OverrideKind::kName: return item.text;
    case OverrideKind::kRulesDeciding: return "rules deciding " + item.text;
    case OverrideKind::kRulesTesting: return "rules testing classified " + quote(item.text);
  }
  return item.text;
}

}  // namespace edict::grammar
