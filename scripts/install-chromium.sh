#!/usr/bin/env bash
# Installs Debian's Chromium, the browser the HTML report's test opens headless
# (test/browser/html-report.test.ts, driven by playwright-core; no browser is downloaded by npm).
# Idempotent: does nothing when /usr/bin/chromium is already there. Needs root (as in CI) or sudo.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "install-chromium: Chromium already installed (/usr/bin/chromium)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-chromium: /usr/bin/chromium is missing and this is not root (and no sudo): apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing chromium (a few minutes)"
$SUDO apt-get update -qq || echo "install-chromium: apt-get update reported a problem; trying the install anyway" >&2
# With its recommended packages: they bring the fonts the screenshot is drawn with.
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

[ -x /usr/bin/chromium ] || { echo "install-chromium: /usr/bin/chromium not found after install" >&2; exit 1; }
echo "install-chromium: done ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
