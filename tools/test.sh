#!/bin/sh
# Sets up (see setup.sh), then runs the whole test suite and ends with one
# line "N passed, N failed":
#  1. meson test on the release build and on the ASan+UBSan build (unit tests,
#     golden tests, the driver's scenario suite);
#  2. the corpus-wide conformance stages that have reached parity, against
#     the CPython 3.10 oracle (skipped, and said so, when there is none),
#     among them the pycs at optimization levels 0, 1 and 2.
set -u
cd "$(dirname "$0")/.."
XPYC_ASAN=1 sh tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
logs=""
for b in build build-asan; do
  echo "== meson test -C $b"
  # Tests recurse to CPython's own compile-depth limits (about 3000 nested
  # expressions); ASan's frames are several times larger than a release
  # build's, so its run gets a bigger stack than the default 8 MiB.
  ( [ "$b" = build-asan ] && ulimit -s 262144 2>/dev/null
    meson test -C "$b" --print-errorlogs >/dev/null ) || status=1
  logs="$logs $b/meson-logs/testlog.txt"
  grep -E '^golden .*: [0-9]+ passed|\[doctest\] test cases:|scenarios identical|^errors total:|^total: [0-9]+ passed|^(Ok|Fail|Skipped|Timeout):' \
    "$b/meson-logs/testlog.txt" | sed 's/^/  /'
done

# Stages listed here match the oracle on every corpus file; a regression fails CI.
stages="tokens ast source-hash pyc-read"
conformance=build/conformance.txt
echo "== conformance on the main corpus: $stages"
stage_args=""
for s in $stages; do stage_args="$stage_args --stage $s"; done
# shellcheck disable=SC2086
sh tests/conformance/run.sh --xpyc build/xpyc --jobs 2 --show 3 $stage_args > "$conformance" 2>&1 || status=1
sed 's/^/  /' "$conformance"
logs="$logs $conformance"

# The pycs themselves, at every optimization level: xpyc's against those of
# `python3.10 -m compileall` for every corpus file.
for level in 0 1 2; do
  out=build/conformance-o$level.txt
  echo "== conformance: compileall -o $level"
  XPYC_CONFORMANCE_COMPILEALL_ARGS="-o $level" sh tests/conformance/run.sh --xpyc build/xpyc \
    --jobs 2 --show 3 --stage compileall > "$out" 2>&1 || status=1
  sed 's/^/  /' "$out"
  logs="$logs $out"
done

# shellcheck disable=SC2086
line=$(cat $logs | awk '
  /^golden .*: [0-9]+ passed, [0-9]+ failed/ { p += $(NF-3); f += $(NF-1) }
  /\[doctest\] test cases:/ {
    for (i = 1; i <= NF; i++) { if ($i == "passed") p += $(i-1); if ($i == "failed") f += $(i-1) } }
  /^[0-9]+\/[0-9]+ scenarios identical/ { split($1, r, "/"); p += r[1]; f += r[2] - r[1] }
  /^errors total: [0-9]+\/[0-9]+ passed/ { split($3, r, "/"); p += r[1]; f += r[2] - r[1] }
  /^total: [0-9]+ passed, [0-9]+ failed/ { p += $2; f += $4 }
  /^stage [^ ]+: [0-9]+\/[0-9]+ match/ { split($3, r, "/"); p += r[1]; f += r[2] - r[1] }
  END { printf "%d passed, %d failed\n", p, f }')
if [ "$status" -ne 0 ]; then
  case $line in *" 0 failed") line="${line% 0 failed} 1 failed" ;; esac
fi
echo "$line"
exit $status
