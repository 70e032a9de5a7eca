// A span-free text dump of a syntax tree: two trees are the same program exactly when their dumps are equal.
// Used by the formatter to verify that printing kept the program (print -> parse -> dump), and by tests.
#pragma once

#include <string>

#include "syntax.hpp"

namespace edict::grammar {

// One line per declaration and clause, expressions as S-expressions; strings are shown escaped. Spans and
// comments are left out, so the layout of the source does not show. Deterministic; never throws except
// std::bad_alloc.
std::string dump(const syntax::File& file);

}  // namespace edict::grammar
