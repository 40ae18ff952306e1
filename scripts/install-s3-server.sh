#!/usr/bin/env bash
# Installs OpenStack Swift (proxy with s3api, object, container, account servers) from Debian, the
# S3-compatible server the adapters' S3 probe tests run against (see scripts/s3-server.mjs).
# Idempotent: does nothing when `swift-proxy-server` is already on PATH. Needs root (as in CI) or sudo.
set -euo pipefail

if command -v swift-proxy-server >/dev/null 2>&1 \
  && command -v swift-object-server >/dev/null 2>&1 \
  && command -v swift-container-server >/dev/null 2>&1 \
  && command -v swift-account-server >/dev/null 2>&1; then
  echo "install-s3-server: Swift already installed ($(command -v swift-proxy-server))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-s3-server: Swift is missing and this is not root (and no sudo): install swift-proxy swift-object swift-container swift-account" >&2
    exit 1
  fi
fi

PACKAGES=(swift-proxy swift-object swift-container swift-account)
export DEBIAN_FRONTEND=noninteractive
echo "install-s3-server: installing ${PACKAGES[*]} (about a minute)"
$SUDO apt-get update -qq || echo "install-s3-server: apt-get update reported a problem; trying the install anyway" >&2
# --no-install-recommends keeps the install small (no memcached, rsync daemons, …); the proxy's
# `cache` filter works without memcached. Fall back to a full install if apt refuses.
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}"; then
  echo "install-s3-server: retrying without --no-install-recommends" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${PACKAGES[@]}"
fi

for bin in swift-proxy-server swift-object-server swift-container-server swift-account-server; do
  command -v "$bin" >/dev/null 2>&1 || { echo "install-s3-server: $bin not found after install" >&2; exit 1; }
done
# s3api must be importable by the proxy's own interpreter (the one in its #! line: a pyenv or venv
# `python3` earlier on PATH does not see Debian's python3-swift).
PY="$(head -n1 "$(command -v swift-proxy-server)" | sed -e 's/^#! *//' -e 's/ .*$//')"
"$PY" -c 'import swift.common.middleware.s3api' || { echo "install-s3-server: swift s3api middleware missing for $PY" >&2; exit 1; }
echo "install-s3-server: done"
