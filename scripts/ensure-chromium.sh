#!/usr/bin/env bash
# Installs Debian's Chromium for the frontend's Playwright tests, only when it is missing.
# Playwright's own browser download cannot work here (no internet beyond the package
# registries), so the tests drive /usr/bin/chromium through playwright-core.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "ensure-chromium: /usr/bin/chromium missing, installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q chromium
test -x /usr/bin/chromium
