// The library version through the C ABI, from edict/version.hpp.
#include "edict/edict.h"
#include "edict/version.hpp"

extern "C" const char* edict_version(void) noexcept { return edict::version(); }
extern "C" int edict_version_major(void) noexcept { return EDICT_VERSION_MAJOR; }
extern "C" int edict_version_minor(void) noexcept { return EDICT_VERSION_MINOR; }
extern "C" int edict_version_patch(void) noexcept { return EDICT_VERSION_PATCH; }
