// `edict eval --receipt FILE`: decision records (interp/audit) written to a file whole or not at all
// (write_file_atomically): one line for one evaluation, or one line per evaluated case of a batch.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/case_line.hpp"
#include "edict/edict.hpp"

namespace edict::cli {

// Evaluates `facts` (without trace) and writes its decision record to `path`. nullopt when written, or when
// the facts cannot be evaluated (no receipt; the caller's own evaluation reports why); kUsage, after
// printing why, when the file cannot be written.
std::optional<int> write_receipt(const Policy& policy, const Facts& facts, EvalOptions options,
                                 const std::string& path);

// The records of a batch (`--cases` with `--receipt`): each case line is evaluated as the batch evaluates
// it (its as_of and rules_as_of, else the batch's), and a case that evaluates gets one record line, in input
// order; a line that cannot be read or evaluated gets none (its output line is the error object).
class BatchReceipts {
 public:
  BatchReceipts(const Policy& policy, const BatchOptions& options);
  void add(std::string_view case_line);
  // Writes the records kept so far to `path`, replacing it whole. nullopt when written; kUsage, after
  // printing why, when it cannot be written.
  std::optional<int> write(const std::string& path) const;

 private:
  const Policy& policy_;
  Session session_;
  BatchOptions options_;
  core::CaseLine case_;
  std::string records_;  // JSON lines
};

}  // namespace edict::cli
