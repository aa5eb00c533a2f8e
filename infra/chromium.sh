#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the console's browser test. Idempotent: does nothing when
# both are installed. Needs root (apt-get); the test tells what to run otherwise.
set -euo pipefail

# One package installer at a time: .ci/run installs in the background while a test may ask for the same.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mkdir -p "$ROOT/.infra" && exec 9>"$ROOT/.infra/packages.lock" && flock 9

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
