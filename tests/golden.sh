#!/bin/sh
# Golden runner: compares xpyc's output on each case of one testdata/ stage
# with the expectation the oracle produced (see tools/regen_goldens.py).
# Needs no Python. Usage: golden.sh XPYC STAGE_DIR (for the unparse stage,
# XPYC is the developer check codegen/xpyc_unparse_check instead).
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

run_pyc_case() {  # run_pyc_case SOURCE -> writes $tmp/out
  name=$(basename "$1")
  level=0
  case $name in opt1_*) level=1 ;; opt2_*) level=2 ;; esac
  tag=cpython-310
  [ "$level" -ne 0 ] && tag="cpython-310.opt-$level"
  rm -rf "$tmp/pyc" && mkdir "$tmp/pyc" && cp "$1" "$tmp/pyc/"
  x=$(cd "$(dirname "$xpyc")" && pwd)/$(basename "$xpyc")
  (cd "$tmp/pyc" && "$x" -q --invalidation-mode unchecked-hash -o "$level" "$name") \
    > "$tmp/out" 2>&1
  status=$?
  if [ "$status" -eq 0 ]; then
    pyc="__pycache__/${name%.py}.$tag.pyc"
    (cd "$tmp/pyc" && "$x" --dump-pyc "$pyc") 2>&1 | sed "s#$pyc#$(basename "$pyc")#" > "$tmp/out"
  fi
  echo "exit $status" >> "$tmp/out"
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
    # XPYC is codegen/xpyc_unparse_check here (see tools/regen_unparse.py).
    unparse) (x=$(cd "$(dirname "$xpyc")" && pwd)/$(basename "$xpyc")
              cd "$(dirname "$1")" && "$x" "$(basename "$1")") > "$tmp/out" 2>&1
             echo "exit $?" >> "$tmp/out" ;;
    # Compiled the way tools/regen_pyc.py has the oracle compile it, from a
    # scratch copy (co_filename is the bare name), then dumped.
    pyc) run_pyc_case "$1" ;;
    *) return 1 ;;
  esac
}

# The errors stage is one suite: testdata/errors/*.cases (tools/regen_errors.py),
# each line a source and the exception the oracle's compile() raised.
if [ "$stage" = errors ]; then
  set -- "$dir"/*.cases
  [ -f "$1" ] || { echo "golden errors: no cases"; exit 0; }
  "$xpyc" --check-errors --suite "$@" > "$tmp/out" 2>&1
  status=$?
  grep -v '^errors ' "$tmp/out" | head -200
  grep '^errors ' "$tmp/out"
  exit $status
fi

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
