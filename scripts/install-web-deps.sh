#!/usr/bin/env bash
# Installs the npm packages of the web interface (web/) exactly as pinned in
# web/package-lock.json (`npm ci`), only when they are missing or the lock file
# changed. Prints nothing when all is there; on failure prints npm's log.
# Needs Node.js >= 20.19 and npm (Vite 8); Debian's own nodejs is too old.
# Usage: scripts/install-web-deps.sh
set -euo pipefail

web="$(cd "$(dirname "${BASH_SOURCE[0]}")/../web" && pwd)"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-web-deps: Node.js >= 20.19 and npm are needed to build the web interface" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "install-web-deps: Node.js $(node --version) is too old; the web interface needs >= 20.19" >&2
  exit 1
fi

stamp="$web/node_modules/.package-lock.json"
if [ -f "$stamp" ] && [ "$stamp" -nt "$web/package-lock.json" ]; then
  exit 0
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! (cd "$web" && npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1); then
  cat "$log" >&2
  echo "install-web-deps: npm ci failed in $web" >&2
  exit 1
fi
