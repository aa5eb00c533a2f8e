#!/usr/bin/env bash
# The validators the deploy-check tests run: Debian's docker-compose (its `config` needs no Docker
# engine) and the official AsyncAPI parser from the npm registry, installed into .infra/node. Idempotent.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NODE_DIR=${MAILOPS_NODE_DIR:-$ROOT/.infra/node}
ASYNCAPI_PARSER_VERSION=3.6.3
# One package installer at a time: .ci/run installs in the background while a test may ask for the same.
mkdir -p "$ROOT/.infra" && exec 9>"$ROOT/.infra/packages.lock" && flock 9

if ! command -v docker-compose >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deploy-tools: docker-compose missing; run as root: apt-get install docker-compose" >&2
    exit 1
  fi
  echo "deploy-tools: installing Debian's docker-compose"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q docker-compose >/dev/null
fi
echo "deploy-tools: $(docker-compose version --short 2>/dev/null || docker-compose --version)"

if [[ ! -f $NODE_DIR/node_modules/@asyncapi/parser/package.json ]]; then
  command -v npm >/dev/null || { echo "deploy-tools: npm is missing (Node.js)" >&2; exit 1; }
  echo "deploy-tools: installing @asyncapi/parser@$ASYNCAPI_PARSER_VERSION into $NODE_DIR"
  mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && { [[ -f package.json ]] || npm init -y >/dev/null; } \
    && npm install --no-audit --no-fund --loglevel=error "@asyncapi/parser@$ASYNCAPI_PARSER_VERSION" >/dev/null)
fi
echo "deploy-tools: @asyncapi/parser $(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$NODE_DIR/node_modules/@asyncapi/parser/package.json")"
