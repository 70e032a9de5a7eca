// The run-time version of the library (edict/version.hpp).
#include "edict/version.hpp"

namespace edict {

const char* version() { return EDICT_VERSION_STRING; }

}  // namespace edict
