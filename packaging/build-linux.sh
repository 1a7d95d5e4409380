#!/usr/bin/env bash
# Build the Linux release of 社区治理台账 from a clean checkout: the one-folder bundle and the
# .deb for UOS/deepin (and any Debian-based x86_64 desktop with glibc 2.28 or newer).
#
#     packaging/build-linux.sh [--host-python] [--no-deb] [--out DIR]
#
# Steps (each prints how long it took):
#   1. packaging/build-python.sh: CPython 3.11 compiled with zig for glibc 2.28 (reused when
#      already built; 8 minutes the first time on 2 busy cores).  With --host-python the machine's own
#      python3 is used instead: quicker, but the bundle then needs this machine's glibc, so the
#      floor check only reports (it is not a release build).
#   2. A virtual environment of that Python with the program's dependencies and PyInstaller,
#      installed from wheels for manylinux_2_28 or older (downloaded by the host's pip).
#   3. PyInstaller, one folder, no UPX (packaging/taizhang.spec) → DIR/taizhang/.
#   4. packaging/glibc_floor.py: the highest GLIBC_/GLIBCXX_ version any file in the bundle
#      needs; fails above the floor stated in README (glibc 2.28, GLIBCXX 3.4.25).
#   5. The bundle's self-test: DIR/taizhang/taizhang --smoke-test DIR/smoke-bundle.pdf.
#   6. packaging/build-deb.sh → DIR/org.taizhang.ledger_<version>_amd64.deb.
#
# Needs: python3 ≥ 3.11 with pip and venv, and (step 1) Debian's apt-get, make, patch, xz.
# The apt packages below are installed when missing and apt-get is there (run as root or
# with sudo), as .ci/run does.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$ROOT/dist"
HOST_PYTHON_BUILD=0
DEB=1
while [ $# -gt 0 ]; do
  case "$1" in
    --host-python) HOST_PYTHON_BUILD=1 ;;
    --no-deb) DEB=0 ;;
    --out) OUT="$2"; shift ;;
    *) echo "usage: $0 [--host-python] [--no-deb] [--out DIR]" >&2; exit 2 ;;
  esac
  shift
done
OUT="$(realpath -m "$OUT")"
BUILD="$ROOT/build"
FLOOR_GLIBC=2.28
FLOOR_GLIBCXX=3.4.25
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT" "$BUILD"

T_START=$(date +%s)
step_start=$T_START
step() {  # step "name": print how long the previous step took, then the new step's name
  local now; now=$(date +%s)
  [ -n "${STEP:-}" ] && printf '  … %s: %d s\n' "$STEP" $((now - step_start))
  STEP="$1"; step_start=$now
  [ -n "$STEP" ] && echo "== $STEP"
  return 0
}

VERSION=$("$PYTHON" -c "import re,sys; print(re.search(r'__version__ = \"(.+?)\"', open(sys.argv[1], encoding='utf-8').read()).group(1))" "$ROOT/app/__init__.py")
echo "taizhang $VERSION: Linux build into $OUT"

# Libraries PyInstaller's Qt hooks look for (kept in the bundle: older desktops lack some).
XCB_PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 \
libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0"
if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then
  missing=""
  for p in $XCB_PACKAGES make patch xz-utils tcl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    step "apt packages:$missing"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
fi

# --- 1. the interpreter ---------------------------------------------------------------------
if [ "$HOST_PYTHON_BUILD" = 1 ]; then
  step "interpreter: host $("$PYTHON" --version)"
  BASE_PY="$PYTHON"
  VENV="$BUILD/venv-bundle-host"
else
  step "interpreter: CPython for glibc $FLOOR_GLIBC (packaging/build-python.sh)"
  HOST_PYTHON="$PYTHON" bash "$ROOT/packaging/build-python.sh" "$BUILD/python-glibc$FLOOR_GLIBC"
  BASE_PY="$BUILD/python-glibc$FLOOR_GLIBC/bin/python3.11"
  VENV="$BUILD/venv-bundle"
fi

# --- 2. dependencies ------------------------------------------------------------------------
step "dependencies (wheels for manylinux_2_28 or older) and PyInstaller"
REQS="$BUILD/requirements-bundle.txt"
"$PYTHON" - "$ROOT/pyproject.toml" > "$REQS" <<'EOF'
import sys, tomllib
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
print("\n".join(project["dependencies"]))
print("pyinstaller>=6.10,<7")
EOF
WHEELS="$BUILD/wheelhouse"
mkdir -p "$WHEELS"
"$PYTHON" -m pip download -q --disable-pip-version-check -d "$WHEELS" -r "$REQS" \
  --only-binary=:all: --implementation cp --python-version 3.11 --abi cp311 --abi abi3 \
  --abi none --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
  --platform manylinux2014_x86_64 --platform linux_x86_64 --platform any
if [ ! -x "$VENV/bin/python" ]; then
  "$BASE_PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-index \
  --find-links "$WHEELS" -r "$REQS"
"$VENV/bin/python" -c "import sqlite3, zlib, PySide6; print('  Python', __import__('sys').version.split()[0], '· SQLite', sqlite3.sqlite_version, '· PySide6', PySide6.__version__)"

# --- 3. PyInstaller ---------------------------------------------------------------------------
step "PyInstaller (one folder, no UPX)"
rm -rf "$OUT/taizhang"
(cd "$ROOT" && "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT" --workpath "$BUILD/pyinstaller" packaging/taizhang.spec) \
  > "$BUILD/pyinstaller.log" 2>&1 || { tail -40 "$BUILD/pyinstaller.log"; exit 1; }
echo "  $OUT/taizhang: $(du -sh "$OUT/taizhang" | cut -f1), $(find "$OUT/taizhang" -type f | wc -l) files"

# --- 4. glibc floor ---------------------------------------------------------------------------
step "glibc floor (README: glibc $FLOOR_GLIBC, GLIBCXX $FLOOR_GLIBCXX)"
if [ "$HOST_PYTHON_BUILD" = 1 ]; then
  "$VENV/bin/python" "$ROOT/packaging/glibc_floor.py" "$OUT/taizhang" || true
  echo "  (host-python build: for this machine only, not a release)"
else
  "$VENV/bin/python" "$ROOT/packaging/glibc_floor.py" "$OUT/taizhang" \
    --max-glibc "$FLOOR_GLIBC" --max-glibcxx "$FLOOR_GLIBCXX"
fi

# --- 5. self-test -----------------------------------------------------------------------------
step "bundle self-test"
TAIZHANG_HOME="$BUILD/smoke-home" "$OUT/taizhang/taizhang" --smoke-test "$OUT/smoke-bundle.pdf"

# --- 6. .deb ----------------------------------------------------------------------------------
if [ "$DEB" = 1 ]; then
  step ".deb (packaging/build-deb.sh)"
  bash "$ROOT/packaging/build-deb.sh" "$OUT/taizhang" "$OUT"
fi
step ""
echo "build-linux: done in $(( $(date +%s) - T_START )) s"
