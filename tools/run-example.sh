#!/bin/sh
# Runs xpyc on the example tree under testdata/example.
set -eu
xpyc=${XPYC:-build/xpyc}
cd "$(dirname "$0")/.."
for f in testdata/example/*.py testdata/example/pkg/*.py; do
  echo "== xpyc --dump-tokens $f"
  "$xpyc" --dump-tokens "$f"
  echo "== xpyc --dump-ast $f"
  "$xpyc" --dump-ast "$f"
done
echo "== xpyc --source-hash testdata/example/*.py testdata/example/pkg/*.py"
"$xpyc" --source-hash testdata/example/*.py testdata/example/pkg/*.py
echo "== xpyc -f testdata/example"
"$xpyc" -f testdata/example
for pyc in testdata/example/__pycache__/*.pyc; do
  echo "== xpyc --dump-pyc $pyc"
  "$xpyc" --dump-pyc "$pyc"
done
