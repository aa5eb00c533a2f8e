#!/usr/bin/env bash
# Debian's python3-dkim (with dnspython, and PyNaCl for Ed25519): the independent DKIM verifier the tests
# check signed mail with (test-infra's DkimVerifier). Idempotent: does nothing when installed. Needs root
# (apt-get); the test tells what to run otherwise.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGES=(python3-dkim python3-dnspython python3-nacl)
importable() { /usr/bin/python3 -c 'import dkim, dns.message, nacl' 2>/dev/null; }

# Installed: nothing to wait for (the lock below is held by whichever script installs, for minutes at times).
importable && exit 0
# One package installer at a time: .ci/run installs in the background while a test may ask for the same.
mkdir -p "$ROOT/.infra" && exec 9>"$ROOT/.infra/packages.lock" && flock 9
importable && exit 0
if [[ $(id -u) -ne 0 ]]; then
  echo "dkim-verifier: not installed; run as root: apt-get install ${PACKAGES[*]}" >&2
  exit 1
fi
echo "dkim-verifier: installing Debian's ${PACKAGES[*]}"
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null 2>&1; then
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >/dev/null
fi
