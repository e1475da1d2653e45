#!/bin/sh
# Regenerates every stage's golden expectations under testdata/ by running
# each tools/regen_*.py with the oracle (CPython 3.10.13). Extra arguments are
# passed to every script. Exits non-zero if any script fails.
set -u
cd "$(dirname "$0")/.."
oracle=${PYTHON310:-}
if [ -z "$oracle" ] && command -v pyenv >/dev/null 2>&1; then
  oracle=$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null)
fi
if [ -z "$oracle" ] || [ ! -x "$oracle" ]; then
  echo "regen_goldens: no CPython 3.10 oracle found (set PYTHON310 or install pyenv 3.10.13)" >&2
  exit 1
fi
status=0
found=0
for script in tools/regen_*.py; do
  [ -f "$script" ] || continue
  found=$((found + 1))
  echo "== $script"
  if ! "$oracle" "$script" "$@"; then
    echo "regen_goldens: $script failed" >&2
    status=1
  fi
done
echo "regen_goldens: ran $found script(s)"
exit $status
