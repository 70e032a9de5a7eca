#!/usr/bin/env bash
# Consumers of an installed edict (ctest `consumer/installed`): installs the build into a temporary prefix, then
# builds and runs a C++17 CMake project with find_package(edict), a C program through pkg-config, and imports
# the Python package from the prefix. Each must find the H800 to China on 2023-12-01 license_required.
set -euo pipefail
build=$1 source=$2 python=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >/dev/null

echo "== find_package(edict)"
cmake -S "$source/tests/consumer/cmake" -B "$tmp/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$tmp/cmake" >/dev/null
[ "$("$tmp/cmake/consumer" "$source/policies/ear")" = license_required ]

echo "== pkg-config edict, C11"
PKG_CONFIG_PATH=$(dirname "$(find "$prefix" -name edict.pc)")
export PKG_CONFIG_PATH
# shellcheck disable=SC2046  # the flags are words
gcc -std=c11 -Wall -Wextra -Werror -o "$tmp/c_consumer" "$source/tests/consumer/consumer.c" \
  $(pkg-config --cflags --libs --static edict)
"$tmp/c_consumer" "$source/policies/ear" | grep -q '"decision":"license_required"'

if [ -n "$python" ]; then
  echo "== python3 -c 'import edict' from the prefix"
  site=$(dirname "$(find "$prefix" -name __init__.py -path '*/edict/*')")
  PYTHONPATH=$(dirname "$site") "$python" -c "
import edict, sys
p = edict.compile(sys.argv[1])
r = p.evaluate({'product': {'kind': 'ic', 'tpp': 15832, 'die_area_mm2': 814, 'io_bandwidth_gbps': 528,
                'memory_bandwidth_gbps': 3350, 'datacenter': True}, 'destination': {'country': 'CN'}},
               as_of='2023-12-01')
assert r.decision == 'license_required', r.decision
" "$source/policies/ear"
fi
echo "consumers: ok"
