#!/usr/bin/env bash
# What `make test-e2e` needs besides `make install-test`, each step skipped when already done:
#   1. Debian's chromium at /usr/bin/chromium (apt-get, as root only; Playwright never
#      downloads a browser of its own: no `playwright install`, ever),
#   2. axe-core from npm into site/e2e/node_modules (`npm ci` on the committed lock file),
#   3. the e2e extra of pyproject.toml (the playwright Python package) into the venv.
# Usage: site/e2e/install.sh [VENV_BIN]   (default: .venv/bin)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${1:-$ROOT/.venv/bin}"
CHROMIUM=/usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# 1. The browser.
if [ -x "$CHROMIUM" ]; then
  echo "e2e: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
elif [ "$(id -u)" = 0 ]; then
  echo "e2e: installing Debian's chromium (apt-get)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  echo "e2e: $("$CHROMIUM" --version 2>/dev/null)"
else
  echo "e2e: $CHROMIUM is missing and only root can install it (apt-get install chromium);" >&2
  echo "e2e: the browser journeys will be skipped." >&2
fi

# 2. axe-core, exactly as package-lock.json pins it; reinstalled when the lock file changes.
cd "$ROOT/site/e2e"
if ! cmp -s package-lock.json node_modules/.installed-package-lock.json 2>/dev/null \
  || [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "e2e: npm ci (axe-core)"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.installed-package-lock.json
fi
echo "e2e: axe-core $(node -p 'require("./node_modules/axe-core/package.json").version')"

# 3. playwright (the Python package only), reinstalled when pyproject.toml changes.
cd "$ROOT"
STAMP="$BIN/../.installed-e2e"
if [ ! "$STAMP" -nt pyproject.toml ] || ! "$BIN/python" -c "import playwright" 2>/dev/null; then
  echo "e2e: pip install -e '.[e2e]'"
  "$BIN/pip" install --quiet -e ".[e2e]"
  touch "$STAMP"
fi
echo "e2e: playwright $("$BIN/python" -c 'from importlib.metadata import version; print(version("playwright"))')"
