// HTML reports (`--format html`): one self-contained page (inline style, no script, no external URL) of an
// evaluation with its explanation and trace, of a corpus diff, or of boundary witnesses. Rendered from the
// structured results (Explanation, Trace, DiffGroup, Witness), never from their text. Every policy or fact
// text is HTML-escaped. Deterministic: the same inputs give byte-identical pages (no timestamps). Thread-safe
// (no shared state); never throws for user data.
#pragma once

#include <string>

#include "edict/export.h"
#include "edict/diff.hpp"
#include "edict/explain.hpp"
#include "edict/policy.hpp"
#include "edict/witness.hpp"

namespace edict {

// `edict eval --format html`: the decision and its explanation (explain()), then the full trace folded
// (<details>) below it; the facts given; the citations. One self-contained page.
EDICT_API std::string render_eval_html(const Policy& policy, const Facts& facts, const EvalOptions& options);
// `edict diff --cases FILE --format html`: the groups of changed decisions, each with its example case,
// the cause and the trace difference.
EDICT_API std::string render_diff_html(const DiffReport& report);
// `edict diff --witnesses --format html`: each region with its causes, witness case and trace difference.
EDICT_API std::string render_witnesses_html(const WitnessReport& report);

}  // namespace edict
