#!/bin/sh
# Runs xpyc on the example tree under testdata/example.
set -eu
cd "$(dirname "$0")/.."
for f in testdata/example/*.py; do
  build/xpyc --dump-ast "$f"
done
