#!/usr/bin/env bash
# Install the Debian packages the test suite calls as programs, and only those missing.
# Idempotent: when everything is there it only runs dpkg-query and exits 0.
#   zbar-tools     zbarimg: scans the GiroCode on rendered invoice pages
#   poppler-utils  pdftoppm / pdftotext: rasterize pages and read their text
set -euo pipefail

PACKAGES=(zbar-tools poppler-utils)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  if [[ "$status" != "install ok installed" ]]; then
    missing+=("$pkg")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "Missing Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Try without refreshing the package lists first; a fresh machine has none, then update.
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
