// Facts: the input of one evaluation, as raw values by dotted path, built in code or read from JSON.
// They are checked against the policy's fact schema when evaluated (Policy::evaluate).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "date.hpp"

namespace edict {

// One raw fact value. Numbers keep their decimal text so that no binary floating point is ever involved.
struct FactValue {
  enum class Kind : std::uint8_t { kNull, kBool, kNumber, kString, kObject, kArray };
  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;  // kNumber: the exact decimal text as written ("2461.24", "1e26"); kString: the string

  friend bool operator==(const FactValue&, const FactValue&) = default;
};

struct FactEntry {
  std::string path;  // dotted, e.g. "product.tpp"
  FactValue value;   // kObject / kArray entries only mark non-leaf or unsupported values (for warnings)
  std::string source;  // where it came from (file name, "--set", ...), for messages
};

class Facts {
 public:
  // Setters replace an earlier value at the same path. Number text is validated when evaluated.
  void set_number(std::string path, std::string decimal_text);
  void set_integer(std::string path, long long value);
  void set_bool(std::string path, bool value);
  void set_string(std::string path, std::string value);
  void set_date(std::string path, Date value);  // stored as "YYYY-MM-DD" text
  void set_null(std::string path);
  void set(std::string path, FactValue value, std::string source = {});

  // Parses a JSON object; nested objects become dotted paths. Returns nullopt and sets *error
  // ("line 3, column 14: expected `,` or `}`") on malformed JSON or nesting deeper than max_depth.
  static std::optional<Facts> from_json(std::string_view json, std::string* error, std::string source = {},
                                        std::size_t max_depth = 64);

  // Adds every entry of `other`. A path present in both with a different value is a conflict: nothing is
  // changed, false is returned and *conflict names the path and both sources.
  bool merge(const Facts& other, std::string* conflict);

  const FactEntry* find(std::string_view path) const;
  const std::vector<FactEntry>& entries() const { return entries_; }

 private:
  std::vector<FactEntry> entries_;
};

}  // namespace edict
