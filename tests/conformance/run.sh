#!/bin/sh
# Finds the CPython 3.10 oracle and runs the conformance harness with it.
# Arguments go to run.py (see README.md).
here=$(cd "$(dirname "$0")" && pwd)
oracle=${PYTHON310:-}
if [ -z "$oracle" ] && command -v pyenv >/dev/null 2>&1; then
  oracle=$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null)
fi
if [ -z "$oracle" ] || [ ! -x "$oracle" ]; then
  echo "conformance: SKIPPED (no CPython 3.10 oracle found)"
  exit 0
fi
exec "$oracle" "$here/run.py" "$@"
