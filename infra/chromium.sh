#!/usr/bin/env bash
# Debian's Chromium and ChromeDriver for the console's browser test. Idempotent: does nothing when
# both are installed. Needs root (apt-get); the test tells what to run otherwise.
set -euo pipefail

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
