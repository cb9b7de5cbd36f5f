#!/usr/bin/env bash
# Builds the optional oneDNN addon (native/onednn -> lib/native/rescom_onednn.node) when Debian's
# libdnnl-dev (<dnnl.hpp>), a C++ compiler and Node's headers are present; otherwise says why and
# exits 0, and the wasm backend keeps its own convolution kernels. Skips work when up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
src=native/onednn/rescom_onednn.cc
out=lib/native/rescom_onednn.node
node_include="$(dirname "$(dirname "$(node -p 'process.execPath')")")/include/node"
why=""
[ -f /usr/include/dnnl.hpp ] || why="no /usr/include/dnnl.hpp (apt-get install libdnnl-dev)"
[ -n "$why" ] || command -v "${CXX:-g++}" >/dev/null || why="no C++ compiler (${CXX:-g++})"
[ -n "$why" ] || [ -f "$node_include/node_api.h" ] || why="no Node headers at $node_include"
if [ -n "$why" ]; then
  rm -f "$out"
  echo "oneDNN addon not built: $why" >&2
  exit 0
fi
[ "$out" -nt "$src" ] && [ "$out" -nt "$0" ] && exit 0
mkdir -p "$(dirname "$out")"
"${CXX:-g++}" -O2 -std=c++17 -shared -fPIC -fopenmp -DNODE_GYP_MODULE_NAME=rescom_onednn -I"$node_include" \
  -o "$out.tmp" "$src" -ldnnl
mv "$out.tmp" "$out"
