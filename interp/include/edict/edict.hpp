// Edict: the public API in one include.
#pragma once

#include "batch.hpp"       // IWYU pragma: export
#include "date.hpp"        // IWYU pragma: export
#include "diagnostic.hpp"  // IWYU pragma: export
#include "facts.hpp"       // IWYU pragma: export
#include "format.hpp"      // IWYU pragma: export
#include "ir_dump.hpp"     // IWYU pragma: export
#include "limits.hpp"      // IWYU pragma: export
#include "policy.hpp"      // IWYU pragma: export
#include "render.hpp"      // IWYU pragma: export
#include "result.hpp"      // IWYU pragma: export
#include "testing.hpp"     // IWYU pragma: export
#include "version.hpp"     // IWYU pragma: export
