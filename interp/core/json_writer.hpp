// A minimal JSON writer for deterministic output: keys in the order written, strings escaped per RFC 8259.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "edict/facts.hpp"

namespace edict::core {

void append_json_string(std::string& out, std::string_view text);
// A list of strings (std::string or std::string_view) as a JSON array.
template <class Strings>
void append_json_strings(std::string& out, const Strings& items) {
  out += '[';
  for (bool first = true; const auto& item : items) {
    if (!std::exchange(first, false)) out += ',';
    append_json_string(out, item);
  }
  out += ']';
}
// A scalar fact value as JSON: its number text as written, a string, true / false, or null (for the rest).
void append_fact_json(std::string& out, const FactValue& value);

}  // namespace edict::core
