#!/usr/bin/env bash
# Installs the Ceph (Pacific, Debian 12: 16.2.x) packages our integration tests and benchmarks need.
# Idempotent: does nothing when every package is already installed. Never starts system services.
set -euo pipefail

# librbd-dev: the headers backend-ceph's StructLayoutTest compiles against, to check its JNA struct layouts.
PACKAGES=(ceph-mon ceph-osd ceph-mgr ceph-common rbd-mirror librbd1 librbd-dev)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "ceph packages already installed: $(ceph --version)"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# policy-rc.d returning 101 tells invoke-rc.d not to start any daemon during installation.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod +x "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" -eq 1 ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT

echo "installing: ${missing[*]}"
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
echo "installed: $(ceph --version)"
