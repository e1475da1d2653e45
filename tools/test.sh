#!/bin/sh
# Sets up (see setup.sh), then runs the whole test suite on the release build
# and on the sanitizer build, and ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
XPYC_ASAN=1 sh tools/setup.sh || { echo "0 passed, 1 failed"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
status=0
for b in build build-asan; do
  echo "== meson test -C $b"
  meson test -C "$b" --print-errorlogs >/dev/null || status=1
  # Each runner prints its own "N passed, N failed" or doctest's summary.
  awk '/^golden .*: [0-9]+ passed, [0-9]+ failed/ {print "  " $0}
       /\[doctest\] test cases:/ {print "  unit:" $0}
       /^(Ok|Fail|Timeout|Unexpected Pass|Expected Fail|Skipped):/ {print "  " $0}' \
    "$b/meson-logs/testlog.txt"
done

count() {  # sums passed and failed over both builds' logs
  cat build/meson-logs/testlog.txt build-asan/meson-logs/testlog.txt | awk '
    /^golden .*: [0-9]+ passed, [0-9]+ failed/ { p += $(NF-3); f += $(NF-1) }
    /\[doctest\] test cases:/ {
      for (i = 1; i <= NF; i++) { if ($i == "passed") p += $(i-1); if ($i == "failed") f += $(i-1) } }
    END { printf "%d passed, %d failed\n", p, f }'
}
line=$(count)
if [ "$status" -ne 0 ]; then
  case $line in *" 0 failed") line="${line% 0 failed} 1 failed" ;; esac
fi
echo "$line"
exit $status
