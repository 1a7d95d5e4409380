#!/usr/bin/env bash
# Build a CPython 3.11 that runs on glibc 2.28 (UOS/deepin 20, Debian 10) on any newer x86_64
# Linux, for the release bundle (packaging/build-linux.sh).
#
#     packaging/build-python.sh PREFIX        (default PREFIX: build/python-glibc2.28)
#
# Why: PyInstaller copies the interpreter (libpython, lib-dynload/*.so) into the bundle, and an
# interpreter compiled on this machine (glibc 2.36) asks for GLIBC_2.34/2.35 symbol versions
# (pthread_*, dlopen, __libc_start_main moved into libc in 2.34; exp/log/pow got new versions in
# 2.29) that UOS 20 does not have.  Zig's C compiler (PyPI package `ziglang`) links against the
# glibc version named in its target, here 2.28, so everything compiled with it needs at most
# 2.28 whatever glibc the build machine runs.
#
# Sources, all from Debian's source packages (apt-get source, with a private apt
# configuration: the machine's own apt settings are not changed): python3.11 (upstream 3.11.2
# plus Debian's security patches, without Debian's layout patches), zlib, libffi and sqlite3,
# the last three compiled as static, position-independent libraries linked into the modules
# that use them, so the bundle needs no system zlib, libffi or sqlite.  Modules whose libraries
# are not built here are left out: _ssl/_hashlib (the program never uses the network; hashlib
# falls back to its built-in hashes), _bz2, _lzma, readline, curses, dbm, tkinter, _uuid.
#
# Took 484 s from nothing on 2 cores shared with other builds; a finished PREFIX is reused
# (delete it to rebuild).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PREFIX="$(realpath -m "${1:-$ROOT/build/python-glibc2.28}")"
WORK="$(realpath -m "${TAIZHANG_PYBUILD_WORK:-$ROOT/build/python-src}")"
GLIBC_TARGET="${GLIBC_TARGET:-2.28}"
JOBS="${JOBS:-$(nproc)}"
ZIG_VERSION_SPEC="${ZIG_VERSION_SPEC:-ziglang==0.17.1}"  # the version this was tested with
HOST_PYTHON="${HOST_PYTHON:-python3}"

if [ -x "$PREFIX/bin/python3.11" ] && [ -f "$PREFIX/.complete" ]; then
  echo "build-python: reusing $PREFIX"
  exit 0
fi

t0=$(date +%s)
mkdir -p "$WORK" "$PREFIX"
cd "$WORK"

# --- the compiler: zig cc for x86_64-linux-gnu.$GLIBC_TARGET ---------------------------------
if [ ! -x "$WORK/zigvenv/bin/python" ]; then
  "$HOST_PYTHON" -m venv "$WORK/zigvenv"
  "$WORK/zigvenv/bin/python" -m pip install -q --disable-pip-version-check "$ZIG_VERSION_SPEC"
fi
ZIG="$("$WORK/zigvenv/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "zig"))')"
mkdir -p "$WORK/tools"
for tool in cc c++; do
  # Queries such as -print-prog-name=ld (libtool asks) fail with a versioned target: answer
  # them without it.
  cat > "$WORK/tools/$tool" <<EOF
#!/bin/sh
case " \$* " in
  *" -print-"*|*" -dumpmachine "*|*" -dumpversion "*) exec "$ZIG" $tool "\$@" ;;
esac
exec "$ZIG" $tool -target x86_64-linux-gnu.$GLIBC_TARGET -fno-sanitize=undefined -Wno-date-time "\$@"
EOF
done
for tool in ar ranlib; do
  printf '#!/bin/sh\nexec "%s" %s "$@"\n' "$ZIG" "$tool" > "$WORK/tools/$tool"
done
chmod +x "$WORK/tools/"*
export CC="$WORK/tools/cc" CXX="$WORK/tools/c++" AR="$WORK/tools/ar" RANLIB="$WORK/tools/ranlib"
export ZIG_GLOBAL_CACHE_DIR="$WORK/zig-cache" ZIG_LOCAL_CACHE_DIR="$WORK/zig-cache"
echo "build-python: zig $("$ZIG" version), target x86_64-linux-gnu.$GLIBC_TARGET"

# --- sources from Debian --------------------------------------------------------------------
if [ ! -f "$WORK/sources.ok" ]; then
  mkdir -p apt/lists/partial src
  # The machine's own Debian archive (as apt is set up here), for source packages: the
  # first "deb" entry of its sources, turned into a deb-src line for the same suite.
  python3 - "$WORK/apt/sources.list" <<'PY'
import glob, re, sys
lines = []
for path in glob.glob("/etc/apt/sources.list.d/*.sources"):
    for stanza in open(path, encoding="utf-8").read().split("\n\n"):
        f = dict(re.findall(r"^(\w[\w-]*):\s*(.+)$", stanza, re.M))
        if f.get("Types", "").split() and "deb" in f["Types"].split() and "security" \
                not in f.get("URIs", ""):
            uri, suite = f["URIs"].split()[0], f["Suites"].split()[0]
            lines.append(f"deb-src {uri} {suite} main")
for path in ["/etc/apt/sources.list", *glob.glob("/etc/apt/sources.list.d/*.list")]:
    try:
        for line in open(path, encoding="utf-8"):
            m = re.match(r"^deb\s+(\S+)\s+(\S+)\s", line)
            if m and "security" not in m.group(1):
                lines.append(f"deb-src {m.group(1)} {m.group(2)} main")
    except OSError:
        pass
if not lines:
    sys.exit("build-python: no Debian archive configured in /etc/apt")
open(sys.argv[1], "w").write(lines[0] + "\n")
PY
  cat > apt/apt.conf <<EOF
Dir::Etc::SourceList "$WORK/apt/sources.list";
Dir::Etc::SourceParts "/nonexistent";
Dir::State::Lists "$WORK/apt/lists";
Dir::Cache "$WORK/apt/cache";
EOF
  export APT_CONFIG="$WORK/apt/apt.conf"
  apt-get update -qq
  (cd src && apt-get source --download-only -qq python3.11 zlib libffi sqlite3 2>&1 | grep -v "unsandboxed" || true)
  unset APT_CONFIG
  touch "$WORK/sources.ok"
fi
DEPS="$WORK/deps"
mkdir -p "$DEPS"
CFLAGS_DEPS="-O2 -fPIC -w"

logged() {  # logged NAME COMMAND…: run in a subshell, output to $WORK/NAME.log, tail on failure
  local name=$1; shift
  if ! ( "$@" ) > "$WORK/$name.log" 2>&1; then
    echo "build-python: $name failed; end of $WORK/$name.log:"; tail -30 "$WORK/$name.log"; exit 1
  fi
}

unpack() {  # unpack ORIG_TARBALL_GLOB into a fresh folder; prints the folder
  local tarball
  tarball=$(ls src/$1 | head -1)
  rm -rf "build-$2" && mkdir "build-$2"
  tar -xf "$tarball" -C "build-$2" --strip-components=1
  echo "$WORK/build-$2"
}

# --- zlib -------------------------------------------------------------------------------------
if [ ! -f "$DEPS/lib/libz.a" ]; then
  d=$(unpack 'zlib_*.orig.tar.*' zlib)
  logged zlib sh -c "cd '$d' && CFLAGS='$CFLAGS_DEPS' ./configure --static --prefix='$DEPS' \
     && make -j$JOBS libz.a && make install"
fi

# --- libffi -----------------------------------------------------------------------------------
if [ ! -f "$DEPS/lib/libffi.a" ]; then
  d=$(unpack 'libffi_*.orig.tar.*' libffi)
  logged libffi sh -c "cd '$d' && CFLAGS='$CFLAGS_DEPS' ./configure --prefix='$DEPS' \
     --libdir='$DEPS/lib' --disable-shared --enable-static --with-pic --disable-docs \
     --disable-multi-os-directory --disable-exec-static-tramp && make -j$JOBS && make install"
fi

# --- sqlite (the amalgamation, with the options Debian enables) -------------------------------
if [ ! -f "$DEPS/lib/libsqlite3.a" ]; then
  d=$(unpack 'sqlite3_*.orig.tar.xz' sqlite)
  SQLITE_FLAGS="-DSQLITE_ENABLE_COLUMN_METADATA -DSQLITE_ENABLE_FTS3 \
    -DSQLITE_ENABLE_FTS3_PARENTHESIS -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_RTREE \
    -DSQLITE_ENABLE_DBSTAT_VTAB -DSQLITE_ENABLE_UNLOCK_NOTIFY -DSQLITE_SECURE_DELETE \
    -DSQLITE_ENABLE_MATH_FUNCTIONS -DSQLITE_MAX_VARIABLE_NUMBER=250000"
  logged sqlite sh -c "cd '$d' && CFLAGS='$CFLAGS_DEPS $SQLITE_FLAGS' ./configure \
     --prefix='$DEPS' --disable-shared --enable-static --disable-tcl --disable-readline \
     --disable-editline && make -j$JOBS libsqlite3.la \
     && mkdir -p '$DEPS/lib' '$DEPS/include' \
     && cp .libs/libsqlite3.a '$DEPS/lib/' && cp sqlite3.h sqlite3ext.h '$DEPS/include/'"
fi

# --- CPython ----------------------------------------------------------------------------------
d=$(unpack 'python3.11_*.orig.tar.*' python)
debian=$(ls src/python3.11_*.debian.tar.xz | head -1)
mkdir -p "$d/debian" && tar -xf "$debian" -C "$d"
applied=0
while read -r patch; do
  case "$patch" in
    CVE-*|0*-3.11-*|relfile-nullptr-dereference.patch|frame_dealloc-crash.diff|shutdown-deadlock.diff) ;;
    *) continue ;;  # Debian's own layout and packaging patches: not for a standalone build
  esac
  if patch -s -p1 -d "$d" --dry-run < "$d/debian/patches/$patch" >/dev/null 2>&1; then
    patch -s -p1 -d "$d" < "$d/debian/patches/$patch" >/dev/null
    applied=$((applied + 1))
  else
    echo "build-python: security patch $patch does not apply, skipped"
  fi
done < <(grep -v '^#' "$d/debian/patches/series" | sed 's/[[:space:]].*//' | grep .)
# The fix for CVE-2026-4224 makes pyexpat use an internal header; Debian builds that module
# as core, setup.py does not: define it as upstream's later 3.11 releases do.
if grep -q '#include "pycore_ceval.h"' "$d/Modules/pyexpat.c" \
   && ! grep -q 'Py_BUILD_CORE_MODULE' "$d/Modules/pyexpat.c"; then
  sed -i '1i #ifndef Py_BUILD_CORE_BUILTIN\n#  define Py_BUILD_CORE_MODULE 1\n#endif' "$d/Modules/pyexpat.c"
fi
echo "build-python: CPython $(sed -n 's/^#define PY_VERSION[[:space:]]*"\(.*\)"/\1/p' "$d/Include/patchlevel.h") with $applied Debian security patches"

cd "$d"
export PKG_CONFIG_PATH="$DEPS/lib/pkgconfig" PKG_CONFIG_LIBDIR="$DEPS/lib/pkgconfig"
./configure --prefix="$PREFIX" --enable-shared --with-ensurepip=install \
  --without-readline --with-system-expat=no --with-system-libmpdec=no \
  CFLAGS="-O2" CPPFLAGS="-I$DEPS/include" LDFLAGS="-L$DEPS/lib -Wl,-rpath,$PREFIX/lib" \
  ZLIB_CFLAGS="-I$DEPS/include" ZLIB_LIBS="$DEPS/lib/libz.a" \
  LIBFFI_CFLAGS="-I$DEPS/include" LIBFFI_LIBS="$DEPS/lib/libffi.a" \
  LIBSQLITE3_CFLAGS="-I$DEPS/include" LIBSQLITE3_LIBS="$DEPS/lib/libsqlite3.a -lm" \
  > "$WORK/configure-python.log" 2>&1 || { tail -30 "$WORK/configure-python.log"; exit 1; }
# zig's linker knows -soname but not its short form -h.
sed -i 's/-Wl,-h/-Wl,-soname,/g' Makefile
# No libpython3.so (the stable-ABI stub, linked from a .so alone, which zig cannot do; nothing
# here needs it: extension modules on Linux do not link libpython).
make -j"$JOBS" PY3LIBRARY= > "$WORK/make-python.log" 2>&1 || { tail -40 "$WORK/make-python.log"; exit 1; }
make install PY3LIBRARY= > "$WORK/install-python.log" 2>&1 || { tail -40 "$WORK/install-python.log"; exit 1; }
grep -A6 "necessary bits to build these optional modules" "$WORK/make-python.log" || true
for mod in zlib _sqlite3 _ctypes pyexpat _decimal _elementtree; do
  "$PREFIX/bin/python3.11" -c "import $mod" || { echo "build-python: module $mod missing"; exit 1; }
done
touch "$PREFIX/.complete"
echo "build-python: $PREFIX ready in $(( $(date +%s) - t0 )) s"
