// Library version (semantic versioning).
#pragma once
#define EDICT_VERSION_MAJOR 0
#define EDICT_VERSION_MINOR 1
#define EDICT_VERSION_PATCH 0
namespace edict {
inline constexpr const char* kVersion = "0.1.0";
}
