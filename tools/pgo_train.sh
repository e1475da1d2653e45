#!/bin/sh
# Training run for the profile-guided release build (see setup.sh): the
# instrumented xpyc compiles the project's own Python files (tools/, tests/,
# testdata/) at every optimization level, in a scratch copy. Its output is
# thrown away; only the execution profile it leaves in build/ matters.
set -eu
xpyc=$1
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
find tools tests testdata -name '*.py' | while read -r f; do
  mkdir -p "$scratch/$(dirname "$f")"
  cp "$f" "$scratch/$f"
done
# Some test sources are meant to be rejected; that is part of the workload.
"$xpyc" -q -f -o 0 -o 1 -o 2 "$scratch" >/dev/null 2>&1 || true
