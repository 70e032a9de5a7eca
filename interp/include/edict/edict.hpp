// Edict: the public API in one include.
#pragma once

#include "edict/batch.hpp"       // IWYU pragma: export
#include "edict/date.hpp"        // IWYU pragma: export
#include "edict/diagnostic.hpp"  // IWYU pragma: export
#include "edict/facts.hpp"       // IWYU pragma: export
#include "edict/format.hpp"      // IWYU pragma: export
#include "edict/ir_dump.hpp"     // IWYU pragma: export
#include "edict/limits.hpp"      // IWYU pragma: export
#include "edict/lint.hpp"        // IWYU pragma: export
#include "edict/policy.hpp"      // IWYU pragma: export
#include "edict/render.hpp"      // IWYU pragma: export
#include "edict/result.hpp"      // IWYU pragma: export
#include "edict/testing.hpp"     // IWYU pragma: export
#include "edict/version.hpp"     // IWYU pragma: export
