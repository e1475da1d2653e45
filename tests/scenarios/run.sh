#!/bin/sh
# Runs the scenario suite with the oracle: run.sh XPYC [run_scenarios.py options]
# Exit status 77 (meson's "skipped") when CPython 3.10 cannot be found.
set -u
xpyc=$1
shift
oracle=${PYTHON310:-$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null)}
if [ -z "$oracle" ] || [ ! -x "$oracle" ]; then
  echo "scenarios: CPython 3.10 not found (set PYTHON310)"
  exit 77
fi
exec "$oracle" "$(dirname "$0")/run_scenarios.py" --xpyc "$xpyc" "$@"
