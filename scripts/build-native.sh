#!/usr/bin/env bash
# Builds the optional N-API addons (native/<dir>/<name>.cc -> lib/native/<name>.node) where they
# can be built; for one that cannot, says why, removes any stale copy and goes on (exit 0), and the
# library's JS (or wasm) path runs instead. An addon newer than its source and this script is kept.
#   rescom_onednn  oneDNN convolutions for the wasm backend (Debian's libdnnl-dev: <dnnl.hpp>)
#   rescom_training BatchNorm(+add)(+ReLU) passes and the SGD update for the wasm backend, OpenMP
#                  threads (a C++ compiler with OpenMP only; -ffp-contract=off: values independent
#                  of the CPU's instruction set)
#   rescom_pixels  the augmentations' pixel loops, the same values as their JS versions (a C++
#                  compiler only; -ffp-contract=off: no fused multiply-add, so every sum rounds
#                  as JavaScript's does)
set -euo pipefail
cd "$(dirname "$0")/.."
cxx="${CXX:-g++}"
node_include="$(dirname "$(dirname "$(node -p 'process.execPath')")")/include/node"

# build NAME DIR WHY-NOT-OR-EMPTY FLAGS...
build() {
  local name=$1 dir=$2 why=$3
  shift 3
  local src="native/$dir/$name.cc" out="lib/native/$name.node"
  [ -n "$why" ] || command -v "$cxx" >/dev/null || why="no C++ compiler ($cxx; apt-get install g++)"
  [ -n "$why" ] || [ -f "$node_include/node_api.h" ] || why="no Node headers at $node_include"
  if [ -n "$why" ]; then
    rm -f "$out"
    echo "$name addon not built: $why" >&2
    return 0
  fi
  [ "$out" -nt "$src" ] && [ "$out" -nt "$0" ] && return 0
  mkdir -p "$(dirname "$out")"
  "$cxx" -std=c++17 -shared -fPIC -DNODE_GYP_MODULE_NAME="$name" -I"$node_include" -o "$out.tmp" "$src" "$@"
  mv "$out.tmp" "$out"
}

onednn_missing=""
[ -f /usr/include/dnnl.hpp ] || onednn_missing="no /usr/include/dnnl.hpp (apt-get install libdnnl-dev; the wasm kernels run instead)"
build rescom_onednn onednn "$onednn_missing" -O2 -fopenmp -ldnnl
build rescom_training training "" -O3 -fopenmp -ffp-contract=off -fno-fast-math
build rescom_pixels pixels "" -O3 -ffp-contract=off -fno-fast-math
