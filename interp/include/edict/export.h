/* Which symbols the edict library exports. C and C++ alike (the C ABI, edict/edict.h, uses it too).
 *
 * The shared library is built with hidden visibility (-fvisibility=hidden), so only what is marked
 * EDICT_API is part of its interface; in the static library the mark changes nothing. */
#ifndef EDICT_EXPORT_H
#define EDICT_EXPORT_H

#if defined(_WIN32) && defined(EDICT_SHARED)
#  if defined(EDICT_BUILDING)
#    define EDICT_API __declspec(dllexport)
#  else
#    define EDICT_API __declspec(dllimport)
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define EDICT_API __attribute__((visibility("default")))
#else
#  define EDICT_API
#endif

#endif /* EDICT_EXPORT_H */
