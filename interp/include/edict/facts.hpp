// Facts: the input of one evaluation, as raw values by dotted path, built in code or read from JSON.
// They are checked against the policy's fact schema when evaluated (Policy::evaluate).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edict/export.h"
#include "edict/date.hpp"
#include "edict/limits.hpp"

namespace edict {

// One raw fact value. Numbers keep their decimal text so that no binary floating point is ever involved.
struct EDICT_API FactValue {
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kObject, kArray };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // kNumber: the exact decimal text as written ("2461.24", "1e26"); kString: the string

  friend bool operator==(const FactValue& a, const FactValue& b) {
    return a.kind == b.kind && a.boolean == b.boolean && a.text == b.text;
  }
  friend bool operator!=(const FactValue& a, const FactValue& b) { return !(a == b); }
};

struct EDICT_API FactEntry {
  std::string path;  // dotted, e.g. "product.tpp"
  FactValue value;   // kObject / kArray entries only mark non-leaf or unsupported values (for warnings)
  std::string source;  // where it came from (file name, "--set", ...), for messages
};

class EDICT_API Facts {
 public:
  // Setters replace an earlier value at the same path. Number text is validated when evaluated.
  void set_number(std::string path, std::string decimal_text);
  void set_integer(std::string path, long long value);
  void set_bool(std::string path, bool value);
  void set_string(std::string path, std::string value);
  void set_date(std::string path, Date value);  // stored as "YYYY-MM-DD" text
  void set_null(std::string path);
  void set(std::string path, FactValue value, std::string source = {});
  // Sets a value as set() does (no source), copying `path` and `text` into storage this Facts already holds:
  // a Facts cleared or overwritten row after row with the same paths (a data frame) stops allocating.
  void assign(std::string_view path, FactValue::Kind kind, std::string_view text, bool boolean = false);
  // Removes every entry, keeping their storage for the setters and assign_json that refill this Facts.
  void clear();

  // Parses a JSON object (RFC 8259, UTF-8) into entries, in document order:
  //  - a member of a nested object gets a dotted path ("product.tpp"), and the nested object itself gets a
  //    kObject entry at its own path, before its members;
  //  - an array gets one kArray entry at its path; its content is validated but not recorded;
  //  - a number keeps its text exactly as written (strict JSON grammar, never converted). Exponent form is
  //    JSON and is accepted: `1e3` is read exactly as 1000 when evaluated;
  //  - a string is fully unescaped (\uXXXX and surrogate pairs become UTF-8);
  //  - every entry gets `source`.
  // Errors (the facts are then empty) start with "line L, column C: " (1-based byte columns) and name the
  // member's path when they are about a value ("line 2, column 10: `product.tpp`: ..."): malformed JSON
  // ("unexpected `]`; expected `,` or `}`"), a top level that is not an object ("facts must be a JSON object,
  // got an array"), two entries at one path, whether the same key twice in an object or a dotted key meeting
  // a nested one ("duplicate key `a.b` (first at line 1, column 2)" for {"a.b": 1, "a": {"b": 2}}), and every
  // facts limit of `limits` (facts_bytes, facts_depth, fact_entries, fact_number_digits, fact_string_bytes;
  // a number whose exponent is beyond +-10,000 is refused as well). Never throws.
  static std::optional<Facts> from_json(std::string_view json, std::string* error, std::string source = {},
                                        const Limits& limits = Limits{});
  // Deprecated: from_json with Limits::facts_depth = max_depth and the other limits at their defaults.
  static std::optional<Facts> from_json(std::string_view json, std::string* error, std::string source,
                                        std::size_t max_depth);

  // Like from_json, but replaces the content of this Facts, reusing its storage: the entries and their
  // strings keep their capacity, so a Facts refilled line after line (a JSONL batch) stops allocating once
  // it has seen its largest line. Returns false and sets *error as from_json does; this Facts is then empty.
  bool assign_json(std::string_view json, std::string* error, std::string_view source = {},
                   const Limits& limits = Limits{});

  // Replaces the content of this Facts with the entries of `from` under `prefix` ("facts" takes
  // "facts.product.tpp" as "product.tpp"; the entry at `prefix` itself is left out), reusing storage like
  // assign_json. Sources are kept.
  void assign_subtree(const Facts& from, std::string_view prefix);

  // Adds every entry of `other`. A path present in both with a different value is a conflict: nothing is
  // changed, false is returned and *conflict names the path and both sources.
  bool merge(const Facts& other, std::string* conflict);

  const FactEntry* find(std::string_view path) const;
  const std::vector<FactEntry>& entries() const { return entries_; }

 private:
  std::vector<FactEntry> entries_;
  std::vector<FactEntry> spare_;  // entries dropped by assign_json / assign_subtree, kept for their storage
};

}  // namespace edict
