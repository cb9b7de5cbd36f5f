#!/usr/bin/env bash
# The GPU check, on a machine with an NVIDIA GPU and no network, from what pack.sh put in
# .device/gpu-check (device tool: carry [".device/gpu-check"], command "bash scripts/gpu-check/run.sh").
# One invocation of a few minutes:
#   1. Node + dawn.node unpacked to $WORK; the Vulkan loader unpacked into / if the system lacks one;
#   2. the webgpu part (lib/check.js): backend line, ResNet-32 two-view step img/s, a short ResCom
#      training on the Fashion-MNIST-LT sample (loss must fall);
#   3. the same ResNet-32 step in PyTorch CUDA (python3 there holds torch);
#   4. last line: RESULT webgpu_img_s=<x> torch_cuda_img_s=<y> ratio=<x/y>
# Logs are copied to $OUT when it is set (the device tool brings them back).
# Environment: GPU_CHECK_ARGS (extra arguments for check.js, e.g. --quick), TORCH_DEVICE (default
# cuda; 'skip' leaves PyTorch out), TORCH_ARGS, PYTHON (default python3, the one with torch there),
# GPU_CHECK_TIMEOUT (seconds for the webgpu part, default 420).
set -uo pipefail
cd "$(dirname "$0")/../.."
PACK=.device/gpu-check
WORK=${GPU_CHECK_WORK:-/tmp/gpu-check}
TORCH_DEVICE=${TORCH_DEVICE:-cuda}
say() { echo "gpu-check: $*"; }
[ -f "$PACK/lib/check.js" ] || { say "$PACK/lib/check.js is missing: run scripts/gpu-check/pack.sh and carry $PACK" >&2; exit 2; }
SECONDS=0

unxz_to() { # <file.xz> <destination>: xz, or Python's lzma where xz is absent
  if command -v xz >/dev/null; then xz -dc "$1" >"$2"; else python3 -c 'import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; fi
}
rm -rf "$WORK" && mkdir -p "$WORK/bin" "$WORK/node_modules/webgpu/dist/linux-x64"
unxz_to "$PACK/bin/node.xz" "$WORK/bin/node" && chmod +x "$WORK/bin/node"
cp "$PACK/node_modules/webgpu/package.json" "$PACK/node_modules/webgpu/index.js" "$WORK/node_modules/webgpu/"
unxz_to "$PACK/node_modules/webgpu/dist/linux-x64/dawn.node.xz" "$WORK/node_modules/webgpu/dist/linux-x64/dawn.node"
cp -r "$PACK/lib" "$PACK/data" "$WORK/"
say "unpacked node $("$WORK/bin/node" -v) and dawn.node in ${SECONDS}s"

if ! ldconfig -p | grep -q 'libvulkan.so.1 '; then
  say "no Vulkan loader on this system: unpacking $(ls "$PACK"/debs/*.deb | wc -l) packages into /"
  for f in "$PACK"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
# NVIDIA's Vulkan ICD lives under the driver's mount there; register it unless the system has one.
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$nvidia_icd" ] && ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nvidia_icd
  export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
  say "VK_DRIVER_FILES=$VK_DRIVER_FILES"
fi
command -v nvidia-smi >/dev/null && nvidia-smi -L

say "=== webgpu part"
# shellcheck disable=SC2086
RESCOM_BACKEND=webgpu timeout "${GPU_CHECK_TIMEOUT:-420}" "$WORK/bin/node" "$WORK/lib/check.js" ${GPU_CHECK_ARGS:-} 2>&1 |
  grep --line-buffered -v '^Warning: maxDynamic' | tee "$WORK/webgpu.log"
webgpu_status=${PIPESTATUS[0]}
[ "$webgpu_status" = 0 ] || say "webgpu part FAILED (exit $webgpu_status)"
grep -q '^backend=webgpu.*fallback yes' "$WORK/webgpu.log" && say "WARNING: the adapter is a FALLBACK (CPU) one: the GPU's Vulkan driver was not found"

torch_status=0
if [ "$TORCH_DEVICE" != skip ]; then
  say "=== PyTorch part ($TORCH_DEVICE)"
  # shellcheck disable=SC2086
  PYTHONUNBUFFERED=1 timeout 300 "${PYTHON:-python3}" scripts/gpu-check/torch_step.py --device "$TORCH_DEVICE" ${TORCH_ARGS:-} 2>&1 | tee "$WORK/torch.log"
  torch_status=${PIPESTATUS[0]}
fi

field() { grep '^RESULT ' "$2" 2>/dev/null | tail -1 | tr ' ' '\n' | sed -n "s/^$1=//p"; }
webgpu=$(field webgpu_img_s "$WORK/webgpu.log"); webgpu=${webgpu:-NA}
torch=$(field "torch_${TORCH_DEVICE}_img_s" "$WORK/torch.log"); torch=${torch:-NA}
ratio=$(awk -v a="$webgpu" -v b="$torch" 'BEGIN { if (a ~ /^[0-9.eE+-]+$/ && b ~ /^[0-9.eE+-]+$/ && b > 0) printf "%.4g", a / b; else print "NA" }')
if [ -n "${OUT:-}" ]; then cp "$WORK"/*.log "$OUT"/ 2>/dev/null || true; fi
say "done in ${SECONDS}s"
echo "RESULT webgpu_img_s=$webgpu torch_${TORCH_DEVICE}_img_s=$torch ratio=$ratio"
[ "$webgpu_status" = 0 ] && [ "$torch_status" = 0 ]
