// The Edict grammar as PEGTL rules (LANGUAGE.md sections 1-4). Private to the parser: included only by
// grammar/parse.cpp and by the grammar unit test (which runs tao::pegtl::analyze on `rules::file`).
//
// Conventions
// - Every token rule is `tok<Raw>`: the lexeme `Raw` followed by `skip` (whitespace and comments). Actions
//   attach to the lexeme types, so their input range is exactly the token.
// - `need<Rule, Message, Help>` is a point of no return (tao::pegtl::must) carrying a friendly message. The
//   message may use the placeholders {prev} (the previous token), {block}, {block_line}, {paren_line},
//   {brace_line} and {block_contents}; parse.cpp fills them in.
// - Lexemes that need more than a PEG (strings with escapes, keywords, non-reserved identifiers) are small
//   custom rules with a `match(ParseInput&)` function.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "utf8.hpp"

namespace edict::grammar::rules {

namespace pg = tao::pegtl;

// ---- support ------------------------------------------------------------------------------------------

// A string usable as a template argument: need<expr, "expected an expression after `{prev}`">.
template <std::size_t N>
struct text {
  char chars[N]{};
  constexpr text(const char (&s)[N]) {  // NOLINT(google-explicit-constructor)
    std::copy_n(s, N, chars);
  }
  [[nodiscard]] constexpr std::string_view view() const { return {chars, N - 1}; }
};

// Thrown by lexemes and actions; parse.cpp turns it into a ParseDiagnostic. `end == nullptr` means "the
// token starting at `begin`".
struct SyntaxFailure {
  const char* begin = nullptr;
  const char* end = nullptr;
  std::string code;
  std::string message;
  std::string help;
};

// Reserved words (LANGUAGE.md section 1). An identifier must not be one of these.
inline constexpr std::array<std::string_view, 64> kReserved = {
    "policy", "amendment", "published", "citation", "title", "outcomes", "default", "fact", "optional",
    "one", "of", "enum", "define", "group", "members", "add", "remove", "from", "until", "tier", "when",
    "otherwise", "parameter", "none", "rule", "exemption", "amend", "repeal", "effective", "then",
    "classify", "because", "overrides", "import", "use", "test", "as_of", "rules_as_of", "given", "file",
    "expect", "and", "or", "not", "in", "matches", "classified", "is", "present", "absent", "true",
    "false", "if", "else", "union", "intersect", "except", "end"};

[[nodiscard]] inline bool is_reserved(std::string_view word) {
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}
[[nodiscard]] constexpr bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
[[nodiscard]] constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_word_char(char c) { return is_letter(c) || is_digit(c); }
[[nodiscard]] constexpr bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }

// "U+00E8": a code point as Unicode writes it (at least four hex digits).
[[nodiscard]] inline std::string code_point_name(char32_t code_point) {
  constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string digits;
  for (char32_t rest = code_point; rest != 0 || digits.size() < 4; rest >>= 4U) {
    digits.insert(digits.begin(), kHex[rest & 0xFU]);
  }
  return "U+" + digits;
}

// The character at `at` (before `stop`): its bytes and code point. The parser checked the text is UTF-8.
// (Ill-formed bytes, possible when a rule runs outside parse(), come one at a time with well_formed false.)
struct Character {
  std::string_view bytes;
  char32_t code_point = 0;
  bool well_formed = true;
};
[[nodiscard]] constexpr Character character_at(const char* at, const char* stop) {
  const std::string_view rest(at, static_cast<std::size_t>(stop - at));
  const utf8::Decoded d = utf8::decode(rest);
  if (!d.ok()) return {rest.substr(0, 1), 0, false};
  return {rest.substr(0, d.length), d.code_point, true};
}

// ‘ ’ “ ” « »: typed for `"` by word processors.
[[nodiscard]] constexpr bool is_typographic_quote(char32_t c) {
  return c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D || c == 0xAB || c == 0xBB;
}

// A non-ASCII character where an identifier starts or continues (`rule règle`, a Cyrillic `р` in `рrice`).
// Nothing in the grammar outside strings and comments starts with a non-ASCII character, so the parse fails
// here whatever comes next: naming the character beats the generic "expected `end`" it would get further on.
[[noreturn]] inline void fail_non_ascii_identifier(const char* at, const char* stop) {
  const Character c = character_at(at, stop);
  const std::string found = "`" + std::string(c.bytes) + "` (" + code_point_name(c.code_point) + ")";
  if (is_typographic_quote(c.code_point)) {
    throw SyntaxFailure{at, at + c.bytes.size(), "syntax-error", "typographic quote " + found,
                        "strings are written between straight double quotes `\"`"};
  }
  throw SyntaxFailure{at, at + c.bytes.size(), "non-ascii-identifier",
                      "identifiers are ASCII letters, digits and `_`; found " + found,
                      "text in other scripts belongs in strings (titles, descriptions, labels)"};
}

// ---- lexemes ------------------------------------------------------------------------------------------

// comment = "#" { any character except newline } ;
struct comment : pg::seq<pg::one<'#'>, pg::until<pg::eolf>> {};
struct skip : pg::star<pg::sor<pg::ascii::space, comment>> {};

template <typename Raw>
struct tok : pg::seq<Raw, skip> {};

// A keyword (or contextual word such as `aka`): the exact word, not followed by a letter, digit or `_`.
template <text W>
struct word {
  using rule_t = word;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) {
    constexpr std::string_view w = W.view();
    if (in.size(w.size() + 1) < w.size() || std::string_view(in.current(), w.size()) != w) return false;
    if (in.size(w.size() + 1) > w.size() && is_word_char(in.peek_char(w.size()))) return false;
    in.bump(w.size());
    return true;
  }
};

// Punctuation. `=`, `<`, `>` and `!` never match the first character of `==`, `<=`, `>=`, `!=`.
template <text S>
struct punct {
  using rule_t = punct;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) {
    constexpr std::string_view s = S.view();
    if (in.size(s.size() + 1) < s.size() || std::string_view(in.current(), s.size()) != s) return false;
    if constexpr (s == "=" || s == "<" || s == ">") {
      if (in.size(2) > 1 && in.peek_char(1) == '=') return false;
    }
    in.bump(s.size());
    return true;
  }
};

template <text W>
struct kw : tok<word<W>> {};
template <text S>
struct sym : tok<punct<S>> {};

// ident = letter { letter | digit | "_" } ;   (and not a reserved word)
struct ident_raw {
  using rule_t = ident_raw;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) {
    if (in.empty()) return false;
    if (!is_ascii(in.peek_char())) fail_non_ascii_identifier(in.current(), in.end());
    if (!is_letter(in.peek_char())) return false;
    std::size_t n = 1;
    const std::size_t avail = in.size();
    while (n < avail && is_word_char(in.peek_char(n))) ++n;
    if (n < avail && !is_ascii(in.peek_char(n))) fail_non_ascii_identifier(in.current() + n, in.end());
    if (is_reserved(std::string_view(in.current(), n))) return false;
    in.bump(n);
    return true;
  }
};

// path = ident { "." ident } ;   (no spaces around the dots)
struct path_raw : pg::seq<ident_raw, pg::star<pg::one<'.'>, ident_raw>> {};

// date = digit digit digit digit "-" digit digit "-" digit digit ;
struct date_raw : pg::seq<pg::rep<4, pg::digit>, pg::one<'-'>, pg::rep<2, pg::digit>, pg::one<'-'>,
                          pg::rep<2, pg::digit>> {};

// number = digit { digit | "_" } [ "." digit { digit | "_" } ] [ ("e"|"E") ["+"|"-"] digit { digit } ] ;
struct digits : pg::seq<pg::digit, pg::star<pg::sor<pg::digit, pg::one<'_'>>>> {};
struct exponent : pg::seq<pg::one<'e', 'E'>, pg::opt<pg::one<'+', '-'>>, pg::plus<pg::digit>> {};
struct number_raw : pg::seq<digits, pg::opt<pg::one<'.'>, digits>, pg::opt<exponent>> {};

// Whether a string literal may not hold `c` raw: C0 controls except tab (a line break ends the string
// before this is asked), DEL, C1 controls and bidirectional formatting characters. Titles, reasons and
// labels are printed to terminals, where these would act instead of showing.
[[nodiscard]] constexpr bool forbidden_in_string(char32_t c) {
  return (utf8::is_control(c) && c != '\t') || utf8::is_bidi_control(c);
}

[[noreturn]] inline void fail_forbidden_in_string(const char* at, const Character& c) {
  const bool bidi = utf8::is_bidi_control(c.code_point);
  throw SyntaxFailure{at, at + c.bytes.size(), "control-character",
                      std::string(bidi ? "bidirectional formatting character " : "control character ") +
                          code_point_name(c.code_point) + " in a string",
                      "a string may hold tabs and the escapes `\\n` and `\\t`; other control characters and "
                      "bidirectional formatting characters would change how the text shows in a terminal"};
}

// string = '"' { char | '\"' | '\\' | '\n' | '\t' } '"' ;   (single line)
// char   = any character except '"', '\', a line break, controls other than tab, bidi formatting ;
struct string_raw {
  using rule_t = string_raw;
  using subs_t = pg::empty_list;
  template <typename ParseInput>
  [[nodiscard]] static bool match(ParseInput& in) {
    if (in.empty() || in.peek_char() != '"') return false;
    const char* const start = in.current();
    const char* const stop = in.end();
    const char* p = start + 1;
    for (;;) {
      if (p == stop || *p == '\n' || *p == '\r') {
        throw SyntaxFailure{start, p, "syntax-error", "unterminated string",
                            "a string must end with `\"` on the same line"};
      }
      if (*p == '"') break;
      if (*p == '\\') {
        if (p + 1 == stop || p[1] == '\n' || p[1] == '\r') {
          throw SyntaxFailure{start, p + 1, "syntax-error", "unterminated string",
                              "a string must end with `\"` on the same line"};
        }
        const char e = p[1];
        if (e != '"' && e != '\\' && e != 'n' && e != 't') {
          const char* q = p + 2;
          while (q < stop && (static_cast<unsigned char>(*q) & 0xC0U) == 0x80U) ++q;  // whole UTF-8 char
          throw SyntaxFailure{p, q, "invalid-escape", "invalid escape `" + std::string(p, q) + "` in string",
                              "the escapes allowed in strings are `\\\"`, `\\\\`, `\\n` and `\\t`"};
        }
        p += 2;
        continue;
      }
      const Character c = character_at(p, stop);
      if (c.well_formed && forbidden_in_string(c.code_point)) fail_forbidden_in_string(p, c);
      p += c.bytes.size();
    }
    in.bump(static_cast<std::size_t>(p + 1 - start));
    return true;
  }
};

// ---- points of no return ------------------------------------------------------------------------------

template <typename Rule>
inline constexpr bool is_name_rule = false;

template <typename Rule>
inline constexpr bool is_block_end_rule = false;

template <typename Rule, text Message, text Help = "">
struct expected : pg::seq<Rule> {
  static constexpr std::string_view message = Message.view();
  static constexpr std::string_view help = Help.view();
  static constexpr bool expects_name = is_name_rule<Rule>;
  static constexpr bool closes_block = is_block_end_rule<Rule>;  // the `end` of a block (parse.cpp: missing `end`)
};

template <typename Rule, text Message, text Help = "">
using need = pg::must<expected<Rule, Message, Help>>;

inline constexpr text kExprAfter = "expected an expression after `{prev}`";
inline constexpr text kDateAfter = "expected a date (YYYY-MM-DD) after `{prev}`";
inline constexpr text kStringAfter = "expected a string after `{prev}`";
inline constexpr text kNameAfter = "expected a name after `{prev}`";
inline constexpr text kPathAfter = "expected a name or dotted path after `{prev}`";
inline constexpr text kSetAfter = "expected a set (a group name, `{ ... }` or `( ... )`) after `{prev}`";
inline constexpr text kCloseParen = "expected `)` to close `(`";
inline constexpr text kCloseParenHelp = "the `(` at line {paren_line} is not closed";

// ---- tokens that build the tree (parse.cpp has one action per type) ------------------------------------

struct decl_name : ident_raw {};     // a declared or referenced name: pushed as syntax::Name
struct decl_path : path_raw {};      // a dotted path outside expressions: syntax::Name
struct decl_string : string_raw {};  // a string outside expressions: syntax::StringLit
struct decl_date : date_raw {};      // a date outside expressions: syntax::DateLit

template <>
inline constexpr bool is_name_rule<tok<decl_name>> = true;
template <>
inline constexpr bool is_name_rule<tok<decl_path>> = true;

using name = tok<decl_name>;
using path = tok<decl_path>;
using string = tok<decl_string>;
using date = tok<decl_date>;

// ---- expressions (section 3) ----------------------------------------------------------------------------

struct expr;
struct set_expr;
struct unary;
struct not_expr;

struct date_lit : date_raw {};
struct number_lit : number_raw {};
struct string_lit : string_raw {};
struct bool_lit : pg::sor<word<"true">, word<"false">> {};
struct path_ref : path_raw {};
struct classified_label : string_raw {};
struct lparen : sym<"("> {};

// member     = ( ident | string ) { "aka" string } ;
struct member_word : ident_raw {};
struct member_string : string_raw {};
struct alias_string : string_raw {};
struct member_alias : pg::seq<kw<"aka">, need<tok<alias_string>, "expected a string after `aka`">> {};
struct set_member : pg::seq<pg::sor<tok<member_string>, tok<member_word>>, pg::star<member_alias>> {};

// set_literal= "{" [ member { "," member } ] "}" ;
struct set_open : sym<"{"> {};
struct set_literal
    : pg::seq<set_open,
              pg::opt<set_member, pg::star<sym<",">, need<set_member, "expected a set member after `,`">>>,
              need<sym<"}">, "expected `,` or `}` in the set literal", "the `{` at line {brace_line} is not closed">> {};

// set_atom   = ident | set_literal | "(" set_expr ")" ;
struct set_name : ident_raw {};
struct paren_set : pg::seq<lparen, need<set_expr, kSetAfter>, need<sym<")">, kCloseParen, kCloseParenHelp>> {};
struct set_atom : pg::sor<set_literal, paren_set, tok<set_name>> {};

// set_term   = set_atom { "intersect" set_atom } ;
struct intersect_tail : pg::seq<kw<"intersect">, need<set_atom, kSetAfter>> {};
struct set_term : pg::seq<set_atom, pg::star<intersect_tail>> {};

// set_expr   = set_term { ( "union" | "except" ) set_term } ;
struct set_tail : pg::seq<pg::sor<kw<"union">, kw<"except">>, need<set_term, kSetAfter>> {};
struct set_expr : pg::seq<set_term, pg::star<set_tail>> {};

// primary    = number [ "days" ] | string | date | "true" | "false" | "as_of" | path
//            | "classified" string | set_literal | "(" expr ")" ;
struct classified_ref
    : pg::seq<kw<"classified">,
              need<tok<classified_label>, "expected a classification label (a string) after `classified`">> {};
struct paren_expr : pg::seq<lparen, need<expr, kExprAfter>, need<sym<")">, kCloseParen, kCloseParenHelp>> {};
// `as_of`: the date of the transaction; `25 days`: a number of days (`as_of + 25 days`).
struct as_of_ref : word<"as_of"> {};
struct days_unit : word<"days"> {};
struct number_primary : pg::seq<tok<number_lit>, pg::opt<tok<days_unit>>> {};
struct primary : pg::sor<tok<date_lit>, number_primary, tok<string_lit>, tok<bool_lit>, classified_ref,
                         set_literal, paren_expr, tok<as_of_ref>, tok<path_ref>> {};

// unary      = "-" unary | primary ;
struct negation : pg::seq<sym<"-">, need<unary, kExprAfter>> {};
struct unary : pg::sor<negation, primary> {};

// product    = unary { ( "*" | "/" ) unary } ;
struct mul_tail : pg::seq<pg::sor<sym<"*">, sym<"/">>, need<unary, kExprAfter>> {};
struct product : pg::seq<unary, pg::star<mul_tail>> {};

// sum        = product { ( "+" | "-" ) product } ;
struct add_tail : pg::seq<pg::sor<sym<"+">, sym<"-">>, need<product, kExprAfter>> {};
struct sum : pg::seq<product, pg::star<add_tail>> {};

// cmp_op     = "==" | "!=" | "<" | "<=" | ">" | ">=" ;
struct cmp_op : pg::sor<sym<"==">, sym<"!=">, sym<"<=">, sym<">=">, sym<"<">, sym<">">> {};

// test       = sum [ cmp_op sum { cmp_op sum } ]
//            | sum [ "not" ] "in" set_expr
//            | sum "matches" set_expr
//            | sum "starts" "with" ( string | set_literal )    (* `starts`, `with`: words of this test only *)
//            | sum "is" ( "present" | "absent" ) ;
struct chain_begin : pg::success {};
struct test_done : pg::success {};  // marks where an operand ends: a `=` there is a comparison gone wrong
struct cmp_step : pg::seq<cmp_op, need<sum, kExprAfter>> {};
struct cmp_chain : pg::seq<pg::at<cmp_op>, chain_begin, pg::plus<cmp_step>> {};
struct in_tail : pg::seq<pg::opt<kw<"not">>, kw<"in">, need<set_expr, kSetAfter>> {};
struct matches_tail : pg::seq<kw<"matches">, need<set_expr, kSetAfter>> {};
struct starts_tail
    : pg::seq<tok<word<"starts">>, tok<word<"with">>,
              need<pg::sor<tok<string_lit>, set_literal>, "expected a prefix (a string) or a set of prefixes `{\"8541\", \"8542\"}` after `starts with`">> {};
struct is_tail : pg::seq<kw<"is">, need<pg::sor<kw<"present">, kw<"absent">>, "expected `present` or `absent` after `is`">> {};
struct test_expr : pg::seq<sum, pg::opt<pg::sor<cmp_chain, in_tail, matches_tail, starts_tail, is_tail>>, test_done> {};

// not_expr   = "not" not_expr | test ;
struct negation_not : pg::seq<kw<"not">, need<not_expr, kExprAfter>> {};
struct not_expr : pg::sor<negation_not, test_expr> {};

// and_expr   = not_expr { "and" not_expr } ;
struct and_tail : pg::seq<kw<"and">, need<not_expr, kExprAfter>> {};
struct and_expr : pg::seq<not_expr, pg::star<and_tail>> {};

// or_expr    = and_expr { "or" and_expr } ;
struct or_tail : pg::seq<kw<"or">, need<and_expr, kExprAfter>> {};
struct or_expr : pg::seq<and_expr, pg::star<or_tail>> {};

// expr       = "if" expr "then" expr "else" expr | or_expr ;
struct if_expr : pg::seq<kw<"if">, need<expr, kExprAfter>,
                         need<kw<"then">, "expected `then` after the condition of `if`">, need<expr, kExprAfter>,
                         need<kw<"else">, "expected `else` after the `then` branch of `if`">,
                         need<expr, kExprAfter>> {};
struct expr : pg::sor<if_expr, or_expr> {};

// ---- declarations (section 2) ---------------------------------------------------------------------------

struct end_keyword : kw<"end"> {};
template <>
inline constexpr bool is_block_end_rule<end_keyword> = true;

using block_end = need<end_keyword, "expected `end` to close `{block}` block",
                       "the `{block}` block starting at line {block_line} needs `end`{block_contents}">;

// policy_decl = "policy" string "outcomes" ident { ">" ident } "default" ident "end" ;
struct policy_decl
    : pg::seq<kw<"policy">, need<string, "expected the policy title (a string) after `policy`">,
              need<kw<"outcomes">, "expected `outcomes` after the policy title">,
              need<name, "expected an outcome name after `outcomes`">,
              pg::star<sym<">">, need<name, "expected an outcome name after `>`">>,
              need<kw<"default">, "expected `>` or `default` after the outcomes">,
              need<name, "expected the default outcome after `default`">, block_end> {};

// amendment_decl = "amendment" string "published" date [ "citation" string ] "end" ;
struct amendment_decl
    : pg::seq<kw<"amendment">, need<string, "expected the amendment title (a string) after `amendment`">,
              need<kw<"published">, "expected `published DATE` after the amendment title">,
              need<date, kDateAfter>, pg::opt<kw<"citation">, need<string, kStringAfter>>, block_end> {};

// import_decl = "import" string ;
struct import_decl : pg::seq<kw<"import">, need<string, "expected a file name (a string) after `import`">> {};

// use_decl    = "use" ident ;
struct use_decl : pg::seq<kw<"use">, need<name, "expected a module name after `use`">> {};

// enum_member = ( ident | string ) [ string ] ;
struct enum_code_word : ident_raw {};
struct enum_code_string : string_raw {};
struct enum_display : string_raw {};
struct enum_member : pg::seq<pg::sor<tok<enum_code_word>, tok<enum_code_string>>, pg::opt<tok<enum_display>>> {};

// enum_decl   = "enum" ident "=" enum_member { "," enum_member } "end" ;
struct enum_decl
    : pg::seq<kw<"enum">, need<name, "expected an enumeration name after `enum`">,
              need<sym<"=">, "expected `=` after the enumeration name">,
              need<enum_member, "expected an enumeration member (a code or a string) after `=`">,
              pg::star<sym<",">, need<enum_member, "expected an enumeration member after `,`">>, block_end> {};

// type      = [ "optional" ] ( "decimal" | "integer" | "bool" | "string" | "date" | ident
//                            | "one" "of" string { "," string } ) ;
struct one_of_type
    : pg::seq<kw<"one">, need<kw<"of">, "expected `of` after `one`">, need<string, kStringAfter>,
              pg::star<sym<",">, need<string, kStringAfter>>> {};
struct type_ref
    : pg::seq<pg::opt<kw<"optional">>,
              need<pg::sor<one_of_type, name>,
                   "expected a type after `{prev}`",
                   "a type is `decimal`, `integer`, `bool`, `string`, `date`, an enumeration name or `one of \"a\", \"b\"`">> {};

// fact_decl = "fact" path ":" type [ "default" expr ] string ;
struct fact_default : pg::seq<kw<"default">, need<expr, kExprAfter>> {};
struct fact_decl
    : pg::seq<kw<"fact">, need<path, "expected a fact path after `fact`">,
              need<sym<":">, "expected `:` and a type after the fact path">, need<type_ref, "expected a type after `:`">,
              pg::opt<fact_default>,
              need<string, "expected the fact's description (a string)",
                   "a fact ends with a description: fact product.tpp : decimal \"Total processing performance\"">> {};

// output_decl = "output" ident ":" type [ "combine" ident ] [ "default" expr ] string ;
// (`output`, `combine`: words of this declaration only, not reserved.)
struct combine_kind : ident_raw {};
struct output_combine : pg::seq<tok<word<"combine">>, need<tok<combine_kind>, "expected how values combine after `combine`",
                                                       "one of `unique`, `deciding`, `max`, `min`, `sum`, `first`">> {};
struct output_default : pg::seq<kw<"default">, need<expr, kExprAfter>> {};
struct output_decl
    : pg::seq<tok<word<"output">>, need<name, "expected an output name after `output`">,
              need<sym<":">, "expected `:` and a type after the output name">, need<type_ref, "expected a type after `:`">,
              pg::opt<output_combine>, pg::opt<output_default>,
              need<string, "expected the output's description (a string)",
                   "an output ends with a description: output duty_rate : decimal combine max \"Duty rate, percent\"">> {};

// define_decl = "define" ident "=" expr ;
struct define_decl : pg::seq<kw<"define">, need<name, "expected a name after `define`">,
                             need<sym<"=">, "expected `=` after the defined name">, need<expr, kExprAfter>> {};

// group_change= ( "members" | "add" | "remove" ) set_literal [ "from" date ] ;
struct group_change
    : pg::seq<pg::sor<kw<"members">, kw<"add">, kw<"remove">>,
              need<set_literal, "expected a set literal `{ ... }` after `{prev}`">,
              pg::opt<kw<"from">, need<date, kDateAfter>>> {};

// group_decl  = "group" ident ":" element_type [ "=" set_expr ] { group_change } "end" ;
// element_type= "name" | "string" | ident ;
// (As in the examples of LANGUAGE.md 2.6, `end` may be left out after `= set_expr` when no change follows.)
struct group_definition : pg::seq<sym<"=">, need<set_expr, kSetAfter>> {};
struct group_decl
    : pg::seq<kw<"group">, need<name, "expected a group name after `group`">,
              need<sym<":">, "expected `:` and an element type after the group name">,
              need<name, "expected an element type (`name`, `string` or an enumeration) after `:`">,
              pg::sor<pg::seq<group_definition, pg::opt<pg::sor<kw<"end">, pg::seq<pg::plus<group_change>, block_end>>>>,
                      pg::seq<pg::star<group_change>, block_end>>> {};

// parameter step = ( expr | "none" ) "from" date ;
struct parameter_step
    : pg::seq<pg::sor<kw<"none">, expr>, need<kw<"from">, "expected `from DATE` after the parameter value">,
              need<date, kDateAfter>> {};

// parameter_decl = "parameter" ident { ( expr | "none" ) "from" date } "end" ;
struct parameter_decl
    : pg::seq<kw<"parameter">, need<name, "expected a parameter name after `parameter`">,
              pg::star<parameter_step>, block_end> {};

// tier_decl = "tier" ident { string "when" expr } "otherwise" string "end" ;
struct tier_label : string_raw {};
struct tier_case : pg::seq<tok<tier_label>, need<kw<"when">, "expected `when` after the tier label">,
                           need<expr, kExprAfter>> {};
struct tier_decl
    : pg::seq<kw<"tier">, need<name, "expected a tier name after `tier`">, pg::star<tier_case>,
              need<kw<"otherwise">, "expected a tier case (`\"label\" when condition`) or `otherwise`">,
              need<string, kStringAfter>, block_end> {};

// outcome     = "classify" string | ident [ "because" string ] ;
struct classify_label : string_raw {};
struct decision_name : ident_raw {};
struct reason_string : string_raw {};
template <>
inline constexpr bool is_name_rule<tok<decision_name>> = true;
struct outcome
    : pg::sor<pg::seq<kw<"classify">, need<tok<classify_label>, "expected a classification label (a string) after `classify`">>,
              pg::seq<tok<decision_name>, pg::opt<kw<"because">, need<tok<reason_string>, "expected a reason (a string) after `because`">>>> {};

// rule_clause = "title" string | "citation" string | "effective" [ "from" date ] [ "until" date ]
//             | "when" expr | "then" outcome | "set" ident "=" expr
//             | "oblige" string [ "by" expr ] [ "citing" string ] ;
struct effective_from : pg::seq<kw<"from">, need<date, kDateAfter>> {};
struct effective_until : pg::seq<kw<"until">, need<date, kDateAfter>> {};
struct title_clause : pg::seq<kw<"title">, need<string, kStringAfter>> {};
struct citation_clause : pg::seq<kw<"citation">, need<string, kStringAfter>> {};
struct effective_clause
    : pg::seq<kw<"effective">, need<pg::sor<pg::seq<effective_from, pg::opt<effective_until>>, effective_until>,
                                    "expected `from DATE` or `until DATE` after `effective`">> {};
struct when_clause : pg::seq<kw<"when">, need<expr, kExprAfter>> {};
struct then_clause
    : pg::seq<kw<"then">, need<outcome, "expected an outcome after `then`",
                               "an outcome is `classify \"label\"` or a decision such as `license_required because \"...\"`">> {};
// set_clause = "set" ident "=" expr ;   (`set`: a word of rule bodies only)
struct set_clause : pg::seq<tok<word<"set">>, need<name, "expected an output name after `set`">,
                            need<sym<"=">, "expected `=` after the output name">, need<expr, kExprAfter>> {};
// oblige_clause = "oblige" string [ "by" expr ] [ "citing" string ] ;   (`oblige`, `citing`: words of rule bodies)
struct oblige_by : pg::seq<tok<word<"by">>, need<expr, kExprAfter>> {};
struct oblige_citing : pg::seq<tok<word<"citing">>, need<string, kStringAfter>> {};
struct oblige_clause
    : pg::seq<tok<word<"oblige">>, need<string, "expected what is obliged (a string) after `oblige`">,
              pg::opt<oblige_by>, pg::opt<oblige_citing>> {};
struct rule_clause
    : pg::sor<title_clause, citation_clause, effective_clause, when_clause, then_clause, set_clause, oblige_clause> {};

// overrides_clause = "overrides" [ "add" | "remove" ] override_item { "," override_item } ;   (exemptions only)
// override_item    = ident | "rules" "deciding" ident | "rules" "testing" "classified" string ;
// `rules`, `deciding` and `testing` are words of this clause only, not reserved: `rules` alone is a name.
struct override_name : ident_raw {};
struct override_outcome : ident_raw {};
struct override_label : string_raw {};
struct rules_deciding
    : pg::seq<tok<word<"rules">>, tok<word<"deciding">>,
              need<tok<override_outcome>, "expected an outcome after `rules deciding`">> {};
struct rules_testing
    : pg::seq<tok<word<"rules">>, tok<word<"testing">>,
              need<kw<"classified">, "expected `classified \"LABEL\"` after `rules testing`">,
              need<tok<override_label>, "expected a classification label (a string) after `classified`">> {};
struct override_item : pg::sor<rules_deciding, rules_testing, tok<override_name>> {};
template <>
inline constexpr bool is_name_rule<override_item> = true;
inline constexpr text kOverrideAfter =
    "expected a rule or exemption name, `rules deciding OUTCOME` or `rules testing classified \"LABEL\"` after `{prev}`";
struct override_list : pg::seq<need<override_item, kOverrideAfter>, pg::star<sym<",">, need<override_item, kOverrideAfter>>> {};
struct overrides_added : pg::seq<kw<"add">, override_list> {};
struct overrides_removed : pg::seq<kw<"remove">, override_list> {};
struct overrides_whole : override_list {};
struct overrides_clause : pg::seq<kw<"overrides">, pg::sor<overrides_added, overrides_removed, overrides_whole>> {};
struct misplaced_overrides : word<"overrides"> {};  // in a rule: a clear error instead of "expected `end`"

// rule_decl   = "rule" ident { rule_clause } "end" ;
struct rule_head : pg::seq<kw<"rule">, need<name, "expected a rule name after `rule`">> {};
struct rule_decl : pg::seq<rule_head, pg::star<pg::sor<rule_clause, misplaced_overrides>>, block_end> {};

// exemption_decl = "exemption" ident { rule_clause | overrides_clause } "end" ;
struct exemption_head : pg::seq<kw<"exemption">, need<name, "expected an exemption name after `exemption`">> {};
struct exemption_decl : pg::seq<exemption_head, pg::star<pg::sor<rule_clause, overrides_clause>>, block_end> {};

// amend_decl = "amend" ( "rule" | "exemption" ) ident { rule_clause | overrides_clause } "end"
//            | "amend" "group" ident { group_change } "end"
//            | "amend" "parameter" ident { ( expr | "none" ) "from" date } "end" ;
struct amend_rule_head : pg::seq<pg::sor<kw<"rule">, kw<"exemption">>, need<name, kNameAfter>> {};
struct amend_rule : pg::seq<amend_rule_head, pg::star<pg::sor<rule_clause, overrides_clause>>, block_end> {};
struct amend_group : pg::seq<kw<"group">, need<name, kNameAfter>, pg::star<group_change>, block_end> {};
struct amend_parameter : pg::seq<kw<"parameter">, need<name, kNameAfter>, pg::star<parameter_step>, block_end> {};
struct amend_decl
    : pg::seq<kw<"amend">, need<pg::sor<amend_rule, amend_group, amend_parameter>,
                                "expected `rule`, `exemption`, `group` or `parameter` after `amend`">> {};

// repeal_decl = "repeal" ( "rule" | "exemption" ) ident ;
struct repeal_kind : pg::sor<word<"rule">, word<"exemption">> {};
struct repeal_decl
    : pg::seq<kw<"repeal">, need<tok<repeal_kind>, "expected `rule` or `exemption` after `repeal`">,
              need<name, kNameAfter>> {};

// ---- tests (section 4) ----------------------------------------------------------------------------------

// literal = number (optionally negative) | string | date | "true" | "false" ;
struct negative_number : pg::seq<sym<"-">, need<tok<number_lit>, "expected a number after `-`">> {};
struct literal : pg::sor<tok<date_lit>, negative_number, tok<number_lit>, tok<string_lit>, tok<bool_lit>> {};

// test_clause = "as_of" date | "rules_as_of" date
//             | "given" "file" string
//             | "given" path "=" literal { "," path "=" literal }
//             | "expect" "decision" ident | "expect" "classifications" set_literal
//             | "expect" "classified" string | "expect" "not" "classified" string
//             | "expect" "deciding" ident { "," ident } | "expect" "exemption" ident
//             | "expect" "missing" path { "," path }
//             | "expect" "value" ident ( "=" literal | "unset" | "indeterminate" | "conflict" )
//             | "expect" "obligation" string ;
struct as_of_clause : pg::seq<kw<"as_of">, need<date, kDateAfter>> {};
struct rules_as_of_clause : pg::seq<kw<"rules_as_of">, need<date, kDateAfter>> {};
struct given_file : pg::seq<kw<"file">, need<string, "expected a file name (a string) after `file`">> {};
struct given_one
    : pg::seq<path, need<sym<"=">, "expected `=` after the fact path">,
              need<literal, "expected a literal (number, string, date, `true` or `false`) after `=`">> {};
struct given_clause
    : pg::seq<kw<"given">, need<pg::sor<given_file, pg::seq<given_one, pg::star<sym<",">, need<given_one, kPathAfter>>>>,
                                "expected `file \"...\"` or `path = value` after `given`">> {};
struct expect_decision : pg::seq<kw<"decision">, need<name, "expected an outcome name after `decision`">> {};
struct expect_classifications
    : pg::seq<kw<"classifications">, need<set_literal, "expected a set literal `{ ... }` after `classifications`">> {};
struct expect_classified : pg::seq<kw<"classified">, need<string, kStringAfter>> {};
struct expect_not_classified
    : pg::seq<kw<"not">, need<kw<"classified">, "expected `classified` after `expect not`">, need<string, kStringAfter>> {};
struct expect_deciding : pg::seq<kw<"deciding">, need<name, kNameAfter>, pg::star<sym<",">, need<name, kNameAfter>>> {};
struct expect_exemption : pg::seq<kw<"exemption">, need<name, kNameAfter>> {};
struct expect_missing : pg::seq<kw<"missing">, need<path, kPathAfter>, pg::star<sym<",">, need<path, kPathAfter>>> {};
// "expect" "value" ident ( "=" literal | "unset" | "indeterminate" | "conflict" )   (words of this clause only)
struct expect_value_state : pg::sor<word<"unset">, word<"indeterminate">, word<"conflict">> {};
struct expect_value
    : pg::seq<tok<word<"value">>, need<name, "expected an output name after `value`">,
              need<pg::sor<pg::seq<sym<"=">, need<literal, "expected a literal (number, string, date, `true` or `false`) after `=`">>,
                           tok<expect_value_state>>,
                   "expected `= VALUE`, `unset`, `indeterminate` or `conflict` after the output name">> {};
// "expect" "obligation" string   (`obligation`: a word of this clause only)
struct expect_obligation : pg::seq<tok<word<"obligation">>, need<string, kStringAfter>> {};
struct expect_clause
    : pg::seq<kw<"expect">,
              need<pg::sor<expect_decision, expect_classifications, expect_classified, expect_not_classified,
                           expect_deciding, expect_exemption, expect_missing, expect_value, expect_obligation>,
                   "expected `decision`, `classifications`, `classified`, `not classified`, `deciding`, `exemption`, "
                   "`missing`, `value` or `obligation` after `expect`">> {};
struct test_clause : pg::sor<as_of_clause, rules_as_of_clause, given_clause, expect_clause> {};

// test_decl = "test" string { test_clause } "end" ;
struct test_head : pg::seq<kw<"test">, need<string, "expected the test name (a string) after `test`">> {};
struct test_decl : pg::seq<test_head, pg::star<test_clause>, block_end> {};

// ---- file -----------------------------------------------------------------------------------------------

// declaration = policy_decl | amendment_decl | import_decl | use_decl | enum_decl | fact_decl | output_decl
//             | define_decl | group_decl | parameter_decl | tier_decl | rule_decl | exemption_decl
//             | amend_decl | repeal_decl | test_decl ;
struct decl_start : pg::success {};  // records the block keyword and its line for error help
struct declaration
    : pg::seq<decl_start, pg::sor<policy_decl, amendment_decl, import_decl, use_decl, enum_decl, fact_decl,
                                  output_decl, define_decl, group_decl, parameter_decl, tier_decl, rule_decl,
                                  exemption_decl, amend_decl, repeal_decl, test_decl>> {};

// file = { declaration } ;
struct file
    : pg::seq<skip, pg::star<declaration>,
              need<pg::eof, "unexpected `{found}`",
                   "expected a declaration: `policy`, `amendment`, `import`, `use`, `enum`, `fact`, `output`, `define`, "
                   "`group`, `parameter`, `tier`, `rule`, `exemption`, `amend`, `repeal` or `test`">> {};

}  // namespace edict::grammar::rules

// Custom lexemes consume input and have no sub-rules (for tao::pegtl::analyze).
namespace tao::pegtl {
template <typename Name, edict::grammar::rules::text W>
struct analyze_traits<Name, edict::grammar::rules::word<W>> : analyze_any_traits<> {};
template <typename Name, edict::grammar::rules::text S>
struct analyze_traits<Name, edict::grammar::rules::punct<S>> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, edict::grammar::rules::ident_raw> : analyze_any_traits<> {};
template <typename Name>
struct analyze_traits<Name, edict::grammar::rules::string_raw> : analyze_any_traits<> {};
}  // namespace tao::pegtl
