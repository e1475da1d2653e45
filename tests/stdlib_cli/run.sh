#!/bin/sh
# CPython's test_compileall and test_py_compile against xpyc:
#   tests/stdlib_cli/run.sh XPYC [-v] [-k PATTERN]
# Exit status 77 (meson's "skipped") when CPython 3.10 cannot be found.
set -u
xpyc=$1
shift
oracle=${PYTHON310:-$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null)}
if [ -z "$oracle" ] || [ ! -x "$oracle" ]; then
  echo "stdlib_cli: CPython 3.10 not found (set PYTHON310)"
  exit 77
fi
if ! "$oracle" -c 'import test.test_compileall, test.test_py_compile' 2>/dev/null; then
  echo "stdlib_cli: $oracle has no test.test_compileall / test.test_py_compile"
  exit 77
fi
exec "$oracle" "$(dirname "$0")/run_cpython_cli_tests.py" --xpyc "$xpyc" "$@"
