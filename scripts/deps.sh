#!/bin/sh
# Install what eddy needs to build and test, from Debian's packages and npm.
# Idempotent: installs only what is missing. Needs root or sudo for apt-get.
set -eu
PKGS="build-essential cmake python3 netcat-openbsd curl pkg-config clang libevent-dev librdkafka-dev libjansson-dev re2c lemon libedit-dev kcat nodejs npm gnuplot-nox"
missing=""
for p in $PKGS; do
  if [ "$p" = nodejs ] || [ "$p" = npm ]; then
    command -v ${p%js} >/dev/null 2>&1 && continue
    [ "$p" = nodejs ] && command -v node >/dev/null 2>&1 && continue
  fi
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO=sudo
  echo "eddy: installing Debian packages:$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >&2 || true
  $SUDO apt-get install -y -qq $missing >&2
fi
# Test-only npm packages (real WebSocket client); installed into tests/node.
if [ "${EDDY_SKIP_NPM:-0}" != 1 ] && [ -f "$(dirname "$0")/../tests/node/package.json" ]; then
  cd "$(dirname "$0")/../tests/node"
  if [ ! -d node_modules ] || [ package.json -nt node_modules ]; then
    echo "eddy: installing test npm packages" >&2
    npm install --no-audit --no-fund --silent >&2
    touch node_modules
  fi
fi
