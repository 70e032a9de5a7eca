// One case line of a batch or a corpus (`edict eval --cases`, `edict diff --cases`): the JSON object
// {"id": string or number, "facts": {...}, "as_of": "YYYY-MM-DD", "rules_as_of": "YYYY-MM-DD"}, every member
// optional (edict/batch.hpp). The one reader of that format, with its error messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "edict/facts.hpp"

namespace edict::core {

struct CaseLine {
  // Only spaces and tabs: the caller reports "empty line".
  static bool is_blank(std::string_view text) { return text.find_first_not_of(" \t") == std::string_view::npos; }

  // Reads `text` (`limits` apply to the whole line: its depth counts the case object around the facts).
  // False when the case cannot be evaluated, with `problem` set: the JSON reader's message when the line is
  // not a JSON object, else the last problem with a field. `id_json` is kept even then, so that the error can
  // name the case. Reuses the storage of earlier lines.
  bool read(std::string_view text, const Limits& limits);

  Facts facts;                         // the "facts" member
  std::string id_json;                 // the "id" as JSON ("" when absent)
  std::optional<Date> as_of;           // absent: the caller's default
  std::optional<Date> rules_as_of;
  std::string problem;

 private:
  void read_field(const FactEntry& entry);

  Facts line_;                // the whole case object
  std::string object_field_;  // the last object-valued field read (its members are skipped)
};

}  // namespace edict::core
