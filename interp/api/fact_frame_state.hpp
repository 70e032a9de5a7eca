// The inside of a FactFrame (edict/fact_frame.hpp): facts already bound to the program's schema, as bind()
// leaves them, so that Session::decide(frame) goes straight to the evaluator.
#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "edict/fact_frame.hpp"
#include "edict/facts.hpp"
#include "api/short_codes.hpp"
#include "core/string_hash.hpp"
#include "eval/value.hpp"
#include "ir/program.hpp"

namespace edict {

namespace api {

// Not part of the exported FactFrame class, so that none of it is exported from the shared library.
struct FrameState {
  explicit FrameState(std::shared_ptr<const CompiledProgram> p);
  FrameState(const FrameState&) = delete;  // short_codes points into code_tables
  FrameState& operator=(const FrameState&) = delete;

  // The bound facts with their defaults filled: what the evaluator reads. Defaults are filled here, once per
  // decision after a change, rather than by every setter.
  const eval::BoundFacts& bound();
  // Converts `raw` into the fact's slot (FactFrame's setters).
  bool put(FactRef fact, const eval::RawValue& raw);

  // Every fact absent, the errors and warnings forgotten.
  void clear();
  void add_to_schema(std::uint32_t slot);

  std::shared_ptr<const CompiledProgram> program;
  eval::BoundFacts facts;
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // unknown fields of JSON read by the general path (bind's warnings)
  std::vector<std::uint32_t> defaulted_slots;  // the facts with a `default`
  bool defaults_stale = true;

  // Scratch of FactFrame::assign_json and api/plain_json.hpp, reused case after case.
  Facts general;  // the general path's entries
  // The fact paths as a tree of objects (node 0: the top level), so that plain JSON finds each member's
  // slot by its key alone, without building its dotted path or hashing it.
  struct Member {
    std::string key;
    std::uint32_t slot = ir::kNone;   // the fact at this path
    std::uint32_t child = ir::kNone;  // the object of the facts under this path
  };
  struct SchemaNode {
    std::vector<Member> members;
    std::unordered_map<std::string, std::uint32_t, core::StringHash, std::equal_to<>> index;  // large nodes only
    std::uint32_t opened_in = 0;  // the read (read_count) that opened this object
    std::uint32_t next = 0;       // the member after the last one found: the likely next key
  };
  std::vector<SchemaNode> schema;
  std::vector<std::uint32_t> given_in;  // per slot: the read (read_count) that gave it, to see a key twice
  std::uint32_t read_count = 0;
  // Per slot, the table of its codes (an enumeration fact whose codes are short), else null.
  std::vector<const ShortCodes*> short_codes;
  std::vector<ShortCodes> code_tables;  // per enumeration of the program that a fact has
};

}  // namespace api

}  // namespace edict
