#!/usr/bin/env bash
# Pack what the GPU check needs on a machine with no network into .device/gpu-check/ (git-ignored),
# under the device tool's 64 MiB limit (working tree + carried paths):
#   bin/node.xz                       this machine's Node binary (the GPU machine has no Node)
#   lib/check.js                      scripts/gpu-check/check.ts + the library + tfjs, one esbuild bundle
#   node_modules/webgpu/              Dawn's Node bindings: index.js + dist/linux-x64/dawn.node.xz
#   data/fashion-mnist-lt/            the embedded Fashion-MNIST-LT sample (lib/../data, as the library expects)
#   debs/*.deb                        Vulkan loader + GL dispatch packages (apt-get download), unpacked there
#   MANIFEST.txt                      versions, sizes, sha256
# Then, on the GPU machine (device tool: carry [".device/gpu-check"]):  bash scripts/gpu-check/run.sh
# Reuses node.xz / dawn.node.xz when the versions match (xz of the 99 MB Node binary takes minutes).
set -euo pipefail
cd "$(dirname "$0")/../.."
PACK=.device/gpu-check
LIMIT_MIB=${GPU_CHECK_LIMIT_MIB:-56}   # leaves room under 64 MiB for the working tree itself
mkdir -p "$PACK"/bin "$PACK"/lib "$PACK"/debs "$PACK"/data "$PACK"/node_modules/webgpu/dist/linux-x64
say() { echo "gpu-check pack: $*"; }

# Node: the binary running this script must be a static-ish x86-64 build (links only libc/libstdc++).
node_bin="$(command -v node)"
node_version="$(node -v)"
[ "$(uname -m)" = x86_64 ] || { say "this machine is $(uname -m); the GPU machine is x86-64: pack there-compatible binaries only" >&2; exit 1; }
if [ "$(cat "$PACK/bin/node.version" 2>/dev/null)" != "$node_version" ] || [ ! -s "$PACK/bin/node.xz" ]; then
  say "compressing $node_bin ($node_version, $(du -m "$node_bin" | cut -f1) MiB) with xz (a few minutes)"
  xz -6 -T0 -c "$node_bin" >"$PACK/bin/node.xz.tmp" && mv "$PACK/bin/node.xz.tmp" "$PACK/bin/node.xz"
  echo "$node_version" >"$PACK/bin/node.version"
else
  say "reusing bin/node.xz ($node_version)"
fi

# webgpu (optional dependency): index.js and the linux-x64 dawn.node only.
webgpu_dir=node_modules/webgpu
[ -f "$webgpu_dir/dist/linux-x64/dawn.node" ] || { say "npm package webgpu is not installed (npm install)" >&2; exit 1; }
webgpu_version="$(node -p "require('./$webgpu_dir/package.json').version")"
cp "$webgpu_dir/package.json" "$webgpu_dir/index.js" "$PACK/node_modules/webgpu/"
if [ "$(cat "$PACK/node_modules/webgpu/dawn.version" 2>/dev/null)" != "$webgpu_version" ] || [ ! -s "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz" ]; then
  say "compressing dawn.node of webgpu $webgpu_version"
  xz -6 -T0 -c "$webgpu_dir/dist/linux-x64/dawn.node" >"$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz.tmp"
  mv "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz.tmp" "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz"
  echo "$webgpu_version" >"$PACK/node_modules/webgpu/dawn.version"
fi

# The check, the library and tfjs in one file. Left out: native or optional packages the check never
# loads (webgpu travels beside it; tfjs-node(-gpu) and danfojs-node are required lazily elsewhere).
say "bundling scripts/gpu-check/check.ts with esbuild"
npx --no-install esbuild scripts/gpu-check/check.ts --bundle --platform=node --target=node20 --format=cjs \
  --external:webgpu --external:@tensorflow/tfjs-node-gpu --external:@tensorflow/tfjs-node --external:danfojs-node \
  --minify-whitespace --minify-syntax --legal-comments=none --log-level=warning --outfile="$PACK/lib/check.js"

# Data: the embedded sample, where embeddedFashionMnistDir() looks relative to the bundle.
rm -rf "$PACK/data/fashion-mnist-lt"
cp -r data/fashion-mnist-lt "$PACK/data/fashion-mnist-lt"

# Vulkan loader (+ the GL dispatch libraries NVIDIA's ICD links against), as the device README says.
debs="libvulkan1 libegl1 libglvnd0 libopengl0 libgl1 libglx0 libgles2"
if ! ls "$PACK"/debs/libvulkan1_*.deb >/dev/null 2>&1; then
  say "apt-get download $debs"
  (cd "$PACK/debs" && apt-get download $debs >/dev/null) || { apt-get update -qq && (cd "$PACK/debs" && apt-get download $debs >/dev/null); }
fi

{
  echo "packed $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "node $node_version; webgpu $webgpu_version; tfjs $(node -p "require('@tensorflow/tfjs-core/package.json').version"); tfjs-backend-webgpu $(node -p "require('@tensorflow/tfjs-backend-webgpu/package.json').version")"
  (cd "$PACK" && find . -type f ! -name MANIFEST.txt -print0 | sort -z | xargs -0 sha256sum)
} >"$PACK/MANIFEST.txt"

packed_kib=$(du -sk "$PACK" | cut -f1)
tree_kib=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | xargs -0 du -ck 2>/dev/null | tail -1 | cut -f1)
say "packed $((packed_kib / 1024)) MiB in $PACK; the working tree that travels with it: $((tree_kib / 1024)) MiB"
if [ $((packed_kib + tree_kib)) -gt $((64 * 1024)) ] || [ "$packed_kib" -gt $((LIMIT_MIB * 1024)) ]; then
  say "TOO BIG for the device tool's 64 MiB (pack ${packed_kib} KiB + tree ${tree_kib} KiB)" >&2
  exit 1
fi
say "ready: device tool run with carry [\"$PACK\"], command: bash scripts/gpu-check/run.sh"
