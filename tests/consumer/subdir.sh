#!/usr/bin/env bash
# A host that vendors edict (ctest `consumer/subdir`): builds tests/consumer/subdir, which pulls in edict with
# add_subdirectory as a shared library (BUILD_SHARED_LIBS=ON), and checks that
#  - the C++17 host finds the H800 to China on 2023-12-01 license_required through libedict.so;
#  - edict put nothing into the host's cache: no CMAKE_BUILD_TYPE forced;
#  - the shared library exports the public API (edict::Policy, edict::compile_path, the C ABI) and no
#    internal symbol (edict::ir, edict::sema, edict::eval, edict::core and the grammar).
set -euo pipefail
source=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake -S "$source/tests/consumer/subdir" -B "$tmp" -DEDICT_SOURCE_DIR="$source" -DBUILD_SHARED_LIBS=ON >/dev/null
cmake --build "$tmp" -j2 >/dev/null
[ "$("$tmp/consumer" "$source/policies/ear")" = license_required ]
echo "consumer: ok"

if grep -q '^CMAKE_BUILD_TYPE:STRING=.\+' "$tmp/CMakeCache.txt"; then
  echo "edict set the host's CMAKE_BUILD_TYPE: $(grep '^CMAKE_BUILD_TYPE' "$tmp/CMakeCache.txt")"
  exit 1
fi
echo "host cache: ok"

lib=$(find "$tmp/edict" -name 'libedict.so.*' -type f | head -n 1)
[ -n "$lib" ] || { echo "no libedict.so built"; exit 1; }
exports=$(nm -D --defined-only -C "$lib")
for wanted in 'edict::Policy::evaluate' 'edict::compile_path' 'edict::Session::decide' 'edict::version()' \
              'edict_evaluate_json' 'edict_compile_path'; do
  grep -qF "$wanted" <<<"$exports" || { echo "libedict.so does not export $wanted"; exit 1; }
done
if leaked=$(grep -E ' edict::(ir|sema|eval|core|source|render|api|detail)::|tao::pegtl' <<<"$exports"); then
  echo "libedict.so exports internal symbols:"
  head -n 20 <<<"$leaked"
  exit 1
fi
echo "exports: ok ($(wc -l <<<"$exports") symbols)"
