// Cause signatures (DiffOptions::exact_causes): a changed case whose signature equals an earlier case's has
// the same cause, so only the first one is traced. The signature holds both decisions, the period of the
// case's date between the policies' effective dates, and the facts that the rules whose status changed (and
// every rule sharing a definition, parameter or tier with them) can read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "edict/policy.hpp"

namespace edict::eval {
struct BoundFacts;
}

namespace edict::diff {

struct ProgramReads;

class CauseSignatures {
 public:
  CauseSignatures(const Policy& old_policy, const Policy& new_policy);
  ~CauseSignatures();
  CauseSignatures(const CauseSignatures&) = delete;
  CauseSignatures& operator=(const CauseSignatures&) = delete;

  // Makes the signature of a changed case (a: OLD, b: NEW); false when it has none (an indeterminate side:
  // such a case is always traced).
  bool make(const Decision& a, const Decision& b, const Facts& facts, Date as_of);
  // The same for a case decided on prepared facts (a plain line): the facts' bound values by slot, not their
  // text, so that such a case needs no Facts. `old_facts` are bound to OLD's program, `new_facts` to NEW's
  // (the same object when both versions are one program). Two cases with the same bound values evaluate
  // alike; the encoding differs from make()'s above, so a signature of one kind never equals one of the other.
  bool make_bound(const Decision& a, const Decision& b, const eval::BoundFacts& old_facts,
                  const eval::BoundFacts& new_facts, Date as_of);
  const std::string& signature() const { return signature_; }

 private:
  using Bits = std::vector<std::uint64_t>;
  void mark_changed(const Decision& from, const Decision& to);
  // The signature's start (a kind byte, the decisions and the period of the date) and the masks of the facts
  // it must hold; false when the case has no signature.
  bool start(char kind, const Decision& a, const Decision& b, Date as_of);
  // Appends the bound value of every fact of `facts` whose bit is set in `mask` or `also`.
  void put_bound(const eval::BoundFacts& facts, const Bits& mask, const Bits& also);

  std::unique_ptr<ProgramReads> old_reads_, new_reads_;
  std::vector<Date> boundaries_;  // sorted effective dates of both programs
  std::string signature_;
  Bits old_mask_, new_mask_;
};

}  // namespace edict::diff
