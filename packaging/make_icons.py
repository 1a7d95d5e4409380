"""Make the PNG and ICO icons from resources/icons/taizhang.svg (run after changing the SVG;
the results are committed):

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

PNG sizes: 16 24 32 48 64 128 256 512 (Linux hicolor theme, window icon; the .deb ships them
all).  taizhang.ico holds 16 24 32 48 64 256 as PNG entries (Windows Vista and later read them),
for the Windows executable, Start-menu shortcut and installer.  Rendered with Qt's SVG renderer.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SVG = ICONS / "taizhang.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 256)


def render(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNG images."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in sorted(pngs.items()):
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def main() -> int:
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841
    pngs = {size: render(size) for size in PNG_SIZES}
    for size, data in pngs.items():
        (ICONS / f"taizhang-{size}.png").write_bytes(data)
    (ICONS / "taizhang.ico").write_bytes(ico({s: pngs[s] for s in ICO_SIZES}))
    print(f"{len(pngs)} PNG files and taizhang.ico in {ICONS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
