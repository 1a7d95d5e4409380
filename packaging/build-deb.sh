#!/usr/bin/env bash
# The .deb of 社区治理台账 in the layout the UOS/deepin application store expects:
#
#     packaging/build-deb.sh BUNDLE_DIR [OUT_DIR]       (BUNDLE_DIR: dist/taizhang from PyInstaller)
#
#   /opt/apps/org.taizhang.ledger/
#     info                                         appid, name, version (four numbers), arch,
#                                                  permissions (all false)
#     entries/applications/org.taizhang.ledger.desktop
#     entries/icons/hicolor/<N>x<N>/apps/org.taizhang.ledger.png, scalable/…/…svg
#     files/                                       the bundle: files/taizhang and files/_internal
#
# Nothing is installed outside /opt/apps/org.taizhang.ledger/ and there are no maintainer
# scripts: on UOS/deepin the system links entries/ into the launcher; removing the package
# removes every file it brought (user data stays in ~/.local/share/taizhang).
# Built with dpkg-deb (root-owned files via --root-owner-group, no fakeroot needed).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUNDLE="$(realpath "${1:?usage: build-deb.sh BUNDLE_DIR [OUT_DIR]}")"
OUT="$(realpath -m "${2:-$ROOT/dist}")"
PYTHON=${PYTHON:-python3}

read -r APPID VERSION NAME < <("$PYTHON" - "$ROOT/app/__init__.py" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
get = lambda key: re.search(rf'^{key} = "(.+?)"', text, re.M).group(1)
print(get("APP_ID"), get("__version__"), get("APP_NAME"))
EOF
)
# The store wants four numbers: 0.1.0 → 0.1.0.0.
VERSION4=$("$PYTHON" -c "import sys; p=sys.argv[1].split('.'); print('.'.join((p+['0']*4)[:4]))" "$VERSION")
ARCH=$(dpkg --print-architecture 2>/dev/null || echo amd64)
[ -x "$BUNDLE/taizhang" ] || { echo "build-deb: $BUNDLE/taizhang missing" >&2; exit 1; }

STAGE="$ROOT/build/deb/$APPID"
rm -rf "$ROOT/build/deb" && mkdir -p "$STAGE/DEBIAN"
APPDIR="$STAGE/opt/apps/$APPID"
mkdir -p "$APPDIR/entries/applications" "$APPDIR/files"
cp -a "$BUNDLE/." "$APPDIR/files/"

# Icons: every PNG size in resources/icons, plus the SVG.
for png in "$ROOT"/resources/icons/taizhang-*.png; do
  size=$(basename "$png" .png); size=${size#taizhang-}
  mkdir -p "$APPDIR/entries/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$APPDIR/entries/icons/hicolor/${size}x${size}/apps/$APPID.png"
done
mkdir -p "$APPDIR/entries/icons/hicolor/scalable/apps"
cp "$ROOT/resources/icons/taizhang.svg" "$APPDIR/entries/icons/hicolor/scalable/apps/$APPID.svg"

cat > "$APPDIR/entries/applications/$APPID.desktop" <<EOF
[Desktop Entry]
Type=Application
Version=1.0
Name=$NAME
Name[zh_CN]=$NAME
GenericName=Community governance ledger
GenericName[zh_CN]=基层治理台账
Comment=街道、社区党建引领基层治理台账（离线，数据只存在本机）
Exec=/opt/apps/$APPID/files/taizhang
TryExec=/opt/apps/$APPID/files/taizhang
Icon=$APPID
Terminal=false
Categories=Office;Database;
Keywords=台账;党建;社区;街道;花名册;taizhang;
StartupNotify=true
StartupWMClass=taizhang
X-Deepin-Vendor=user-custom
EOF

"$PYTHON" - "$APPDIR/info" "$APPID" "$NAME" "$VERSION4" "$ARCH" <<'EOF'
import json, sys
path, appid, name, version, arch = sys.argv[1:]
info = {
    "appid": appid,
    "name": name,
    "version": version,
    "arch": [arch],
    "permissions": {key: False for key in (
        "autostart", "notification", "trayicon", "clipboard", "account", "bluetooth",
        "camera", "audio_record", "installed_apps")},
}
with open(path, "w", encoding="utf-8") as f:
    json.dump(info, f, ensure_ascii=False, indent=4)
    f.write("\n")
EOF

# Depends: what the bundle loads from the system (it carries Python, Qt, SQLite and the xcb
# utility libraries itself).  Package names valid from Debian 10 / UOS 20 on.
SIZE_KB=$(du -sk "$STAGE/opt" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: $APPID
Version: $VERSION4
Architecture: $ARCH
Maintainer: taizhang maintainers <packaging@taizhang.invalid>
Installed-Size: $SIZE_KB
Depends: libc6 (>= 2.28), libstdc++6 (>= 8), libgcc1 | libgcc-s1, zlib1g, libglib2.0-0, libfontconfig1, libfreetype6, libdbus-1-3, libx11-6, libx11-xcb1, libxcb1, libxkbcommon0, libegl1 | libegl1-mesa, libgl1 | libgl1-mesa-glx
Recommends: libcups2
Section: utils
Priority: optional
Description: $NAME — offline ledger for sub-district and community offices
 Keeps the registers of party-building-led grassroots governance (党建引领、自治基础、
 法治保障、德治支撑、服务群众、干部担当) in one local SQLite file, computes the
 figures reports need, exchanges Excel workbooks and prints rosters and sign-in
 sheets.  Self-contained: Python, Qt and the Chinese print font are inside
 /opt/apps/$APPID/files.
EOF

mkdir -p "$OUT"
DEB="$OUT/${APPID}_${VERSION4}_${ARCH}.deb"
THREADS=""
dpkg-deb --help 2>/dev/null | grep -q -- --threads-max && THREADS="--threads-max=$(nproc)"
# xz: the compression every dpkg reads (UOS 20's 1.19 included); multithreaded where offered.
# shellcheck disable=SC2086
dpkg-deb --root-owner-group -Zxz $THREADS --build "$STAGE" "$DEB" >/dev/null
echo "build-deb: $DEB ($(du -h "$DEB" | cut -f1), installs $((SIZE_KB / 1024)) MB)"
# Everything under /opt/apps/$APPID, no maintainer scripts.
if dpkg-deb -c "$DEB" | awk '{print $6}' | grep -v "^\./$" | grep -v "^\./opt/$" \
     | grep -v "^\./opt/apps/$" | grep -qv "^\./opt/apps/$APPID/"; then
  echo "build-deb: files outside /opt/apps/$APPID" >&2; exit 1
fi
if dpkg-deb --ctrl-tarfile "$DEB" | tar -t | grep -Eq '(preinst|postinst|prerm|postrm)$'; then
  echo "build-deb: maintainer scripts found" >&2; exit 1
fi
