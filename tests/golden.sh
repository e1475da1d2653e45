#!/bin/sh
# Golden runner: compares xpyc's output on each case of one testdata/ stage
# with the expectation the oracle produced (see tools/regen_goldens.py).
# Needs no Python. Usage: golden.sh XPYC STAGE_DIR
set -u
xpyc=$1
dir=$2
stage=$(basename "$dir")
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # check CASE EXPECTED ACTUAL
  if cmp -s "$2" "$3"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL $stage/$1"
    diff "$2" "$3" | head -20
  fi
}

run_case() {  # run_case INPUT -> writes $tmp/out
  case $stage in
    # Run from inside the case folder so error messages name the file as the
    # expectation does (relative), wherever the checkout lives.
    pyc-dump) (x=$(cd "$(dirname "$xpyc")" && pwd)/$(basename "$xpyc")
               cd "$(dirname "$1")" && "$x" --dump-pyc "$(basename "$1")") > "$tmp/out" 2>&1
              echo "exit $?" >> "$tmp/out" ;;
    ast) "$xpyc" --dump-ast "$1" > "$tmp/out" 2>&1; echo "exit $?" >> "$tmp/out" ;;
    tokens) "$xpyc" --dump-tokens "$1" > "$tmp/out" 2>&1; echo "exit $?" >> "$tmp/out" ;;
    *) return 1 ;;
  esac
}

if [ -d "$dir" ]; then
  for input in "$dir"/*; do
    case $input in *.expected) continue ;; esac
    [ -f "$input.expected" ] || continue
    if run_case "$input"; then
      check "$(basename "$input")" "$input.expected" "$tmp/out"
    fi
  done
fi
echo "golden $stage: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
