#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the console's browser test, and axe-core (npm, pinned) that the
# test runs on every screen, installed into .infra/node. Idempotent: does nothing when all are installed.
# Needs root for apt-get; the test tells what to run otherwise.
set -euo pipefail

# One package installer at a time: .ci/run installs in the background while a test may ask for the same.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_DIR=${MAILOPS_NODE_DIR:-$ROOT/.infra/node}
AXE_CORE_VERSION=4.14.1
mkdir -p "$ROOT/.infra" && exec 9>"$ROOT/.infra/packages.lock" && flock 9

installed_axe() { sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$NODE_DIR/node_modules/axe-core/package.json" 2>/dev/null | head -1; }
if [[ $(installed_axe) != "$AXE_CORE_VERSION" ]]; then
  command -v npm >/dev/null || { echo "chromium: npm is missing (Node.js), needed for axe-core" >&2; exit 1; }
  echo "chromium: installing axe-core@$AXE_CORE_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --loglevel=error "axe-core@$AXE_CORE_VERSION" >/dev/null)
fi
echo "chromium: axe-core $(installed_axe)"

if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  echo "chromium: $(chromium --version 2>/dev/null | head -1), $(chromedriver --version | head -1)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "chromium: not installed; run as root: apt-get install chromium chromium-driver" >&2
  exit 1
fi
echo "chromium: installing Debian's chromium and chromium-driver"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q chromium chromium-driver >/dev/null
chromium --version | head -1
