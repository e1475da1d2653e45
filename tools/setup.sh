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

# The release build is profile-guided and link-time optimised: an
# instrumented xpyc compiles the project's own Python files
# (tools/pgo_train.sh), then everything is rebuilt with that profile. It is
# trained again whenever the C++ sources differ from those it was trained on.
# XPYC_PGO=0 gives a plain release build instead.
sources_digest() {
  find lexer parser codegen marshal pyc driver -type f | LC_ALL=C sort | xargs cat meson.build | cksum
}
[ -f build/build.ninja ] || meson setup build --buildtype=release -Db_lto=true >/dev/null
if [ "${XPYC_PGO:-1}" = 0 ]; then
  meson configure build -Db_pgo=off >/dev/null
  rm -f build/pgo-trained-on
elif [ "$(cat build/pgo-trained-on 2>/dev/null)" != "$(sources_digest)" ]; then
  echo "profile-guided build: instrumenting, training, rebuilding"
  rm -f build/pgo-trained-on
  meson configure build -Db_lto=true -Db_pgo=generate >/dev/null
  ninja -C build xpyc >build/pgo-instrumented.log || { cat build/pgo-instrumented.log; exit 1; }
  find build -name '*.gcda' -delete
  sh tools/pgo_train.sh build/xpyc
  meson configure build -Db_pgo=use >/dev/null
  sources_digest > build/pgo-trained-on
fi
ninja -C build
if [ "${XPYC_ASAN:-0}" = 1 ]; then
  [ -f build-asan/build.ninja ] || meson setup build-asan --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false >/dev/null
  ninja -C build-asan
fi
