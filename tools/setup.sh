#!/bin/sh
# Installs what is missing (Debian 12 packages), then configures and builds
# the release build in build/. Idempotent; quick when nothing changed.
# XPYC_ASAN=1 also builds the sanitizer build in build-asan/.
set -eu
cd "$(dirname "$0")/.."

packages="g++ meson ninja-build pkg-config cmake libre2-dev libxxhash-dev libfmt-dev doctest-dev libgmp-dev libmimalloc-dev"
missing=""
for p in $packages; do
  dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "installing:$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build
if [ "${XPYC_ASAN:-0}" = 1 ]; then
  [ -f build-asan/build.ninja ] || meson setup build-asan --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  ninja -C build-asan
fi
