#!/usr/bin/env bash
# Builds the optional pixel addon (native/pixels -> lib/native/rescom_pixels.node: the augmentations'
# pixel loops, the same values as their JS versions) when a C++ compiler and Node's headers are
# present; otherwise says why and exits 0, and the JS loops run instead. Skips work when up to date.
# -ffp-contract=off: no fused multiply-add, so every sum rounds as JavaScript's does.
set -euo pipefail
cd "$(dirname "$0")/.."
src=native/pixels/rescom_pixels.cc
out=lib/native/rescom_pixels.node
node_include="$(dirname "$(dirname "$(node -p 'process.execPath')")")/include/node"
why=""
command -v "${CXX:-g++}" >/dev/null || why="no C++ compiler (${CXX:-g++}; apt-get install g++)"
[ -n "$why" ] || [ -f "$node_include/node_api.h" ] || why="no Node headers at $node_include"
if [ -n "$why" ]; then
  rm -f "$out"
  echo "pixel addon not built: $why (the JS pixel loops run instead)" >&2
  exit 0
fi
[ "$out" -nt "$src" ] && [ "$out" -nt "$0" ] && exit 0
mkdir -p "$(dirname "$out")"
"${CXX:-g++}" -O3 -std=c++17 -shared -fPIC -ffp-contract=off -fno-fast-math -DNODE_GYP_MODULE_NAME=rescom_pixels -I"$node_include" \
  -o "$out.tmp" "$src"
mv "$out.tmp" "$out"
