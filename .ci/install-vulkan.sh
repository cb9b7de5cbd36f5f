#!/usr/bin/env bash
# Install a CPU Vulkan driver (Mesa's lavapipe) so the WebGPU backend (npm `webgpu`, Dawn) finds an
# adapter on a machine without a GPU. Debian bookworm's own Mesa 22.3 lavapipe exposes no adapter to
# Dawn (measured); Mesa 25 from bookworm-backports does. Idempotent: safe to run again.
# Only apt: enables the backports suite on the existing deb822 source (no mirror host is written).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt_get() { apt-get -o DPkg::Lock::Timeout=600 "$@"; }

sources=/etc/apt/sources.list.d/debian.sources
if [ -f "$sources" ]; then
  # Append bookworm-backports to the first stanza whose Suites line lists plain `bookworm`, once.
  if ! grep -Eq '^Suites:.*\bbookworm-backports\b' "$sources"; then
    tmp="$(mktemp "${sources}.XXXXXX")"
    awk 'BEGIN { done = 0 }
         !done && /^Suites:/ && $0 ~ /(^|[ \t])bookworm([ \t]|$)/ { print $0 " bookworm-backports"; done = 1; next }
         { print }' "$sources" >"$tmp"
    grep -Eq '^Suites:.*\bbookworm-backports\b' "$tmp" || { rm -f "$tmp"; echo "install-vulkan: no 'Suites: bookworm' line in $sources" >&2; exit 1; }
    chmod 644 "$tmp"
    mv "$tmp" "$sources"
    echo "install-vulkan: enabled bookworm-backports in $sources"
  fi
else
  # One-line format: reuse the URI of the existing `deb <uri> bookworm main` line.
  list=/etc/apt/sources.list.d/bookworm-backports.list
  uri="$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)"
  if [ ! -f "$list" ]; then
    [ -n "$uri" ] || { echo "install-vulkan: found neither $sources nor a 'deb <uri> bookworm' line in /etc/apt/sources.list" >&2; exit 1; }
    echo "deb $uri bookworm-backports main" >"$list"
    echo "install-vulkan: enabled bookworm-backports in $list"
  fi
fi

have_backports_mesa() {
  dpkg-query -W -f='${Version}\n' mesa-vulkan-drivers 2>/dev/null | grep -q 'bpo' &&
    dpkg-query -W -f='${Status}\n' libvulkan1 2>/dev/null | grep -q 'install ok installed'
}
if have_backports_mesa; then
  echo "install-vulkan: mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers) already installed"
else
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
  echo "install-vulkan: installed mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers)"
fi
ls /usr/share/vulkan/icd.d/ | sed 's/^/install-vulkan: ICD /'
