"""Make the screenshots of the 使用说明 (resources/manual/images) from fresh demo data.

The window is shown at 1366×768, the size of the laptops many offices still use, offscreen
with the bundled CJK font, so any Linux machine makes the same pictures:

    QT_QPA_PLATFORM=offscreen python packaging/manual_screenshots.py [OUT_DIR]

Images are scaled to at most 960 pixels wide and saved with a 256-colour palette, which keeps
text sharp and the whole set small (the repository carries them).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def use_screen(width: int, height: int) -> None:
    """Run offscreen on a screen of this size (not the plugin's 800×800), so dialogs size
    themselves as they would on the clerk's laptop.  Under Xvfb (QT_QPA_PLATFORM=xcb) the
    real screen is used."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    cfg = Path(tempfile.mkdtemp(prefix="taizhang-screen-")) / "screen.json"
    cfg.write_text('{"screens": [{"name": "screen", "x": 0, "y": 0, "width": %d, '
                   '"height": %d, "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}'
                   % (width, height))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={cfg}"


use_screen(1366, 768)

#: The demo's day (the reminders depend on it), as for the README screenshot.
DAY = dt.date(2026, 11, 25)
SIZE = (1366, 768)
MAX_WIDTH = 960


def save(image, out: Path) -> int:
    """Save a QImage/QPixmap as a small palette PNG; returns its size in bytes."""
    from PIL import Image
    from PySide6.QtCore import QBuffer, QIODevice, Qt
    image = image.toImage() if hasattr(image, "toImage") else image
    if image.width() > MAX_WIDTH:
        image = image.scaledToWidth(MAX_WIDTH, Qt.TransformationMode.SmoothTransformation)
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    pil = Image.open(io.BytesIO(bytes(buf.data()))).convert("RGB")
    pil = pil.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pil.save(out, optimize=True)
    return out.stat().st_size


def main(out_dir: Path) -> None:
    from openpyxl import load_workbook
    from PySide6.QtCore import QPoint, QSettings
    from PySide6.QtGui import QPainter
    from PySide6.QtWidgets import QApplication

    from app.demo import build_demo
    from app.excel import writer
    from app.printing.roster import roster_for_rows
    from app.registry import get
    from app.storage import Database
    from app.ui import tasks
    from app.ui.app import make_app
    from app.ui.import_wizard import ImportWizard
    from app.ui.main_window import TAB_AREAS, MainWindow
    from app.ui.record_dialog import RecordDialog
    from app.ui.settings import Settings
    from app.ui.table_columns import ColumnFilterDialog

    tmp = Path(tempfile.mkdtemp(prefix="taizhang-manual-"))
    db = Database(tmp / "和平街道台账.db")
    build_demo(db, "community", seed=1, today=DAY)
    from app.demo.build import DEMO_PASSWORD, DEMO_USER
    from app.services import accounts
    db.actor = accounts.sign_in(db, DEMO_USER, DEMO_PASSWORD, where="截图")  # as a clerk would
    _app = make_app(sys.argv[:1])
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, settings, today=DAY)
    window.resize(*SIZE)
    window.show()
    out_dir.mkdir(parents=True, exist_ok=True)
    sizes: dict[str, int] = {}

    def pump() -> None:
        tasks.wait_all()
        for _ in range(6):
            QApplication.processEvents()

    def shot(name: str, widget=None) -> None:
        pump()
        sizes[name] = save((widget or window).grab(), out_dir / f"{name}.png")

    def with_dialog(name: str, dialog, at: QPoint) -> None:
        """The window with a dialog drawn where it would sit over it."""
        pump()
        base = window.grab().toImage()
        painter = QPainter(base)
        painter.drawImage(at, dialog.grab().toImage())
        painter.end()
        sizes[name] = save(base, out_dir / f"{name}.png")

    def area(key: str):
        window.tabs.setCurrentIndex(TAB_AREAS.index(key))
        pump()
        return window.current_tab()

    # 1. The window: 党建引领 with the organisation tree, as the README shows it.
    tab = area("party")
    panel = tab.open_register("org_tree")
    pump()
    branch = next(n for r in panel.roots for n in r.walk()
                  if n.org_type == "党支部" and n.children)
    panel.select_org(branch.id)
    panel.tree.expandAll()
    panel.members.select_position(0)
    shot("window")

    # 2. 总览.
    window.tabs.setCurrentIndex(TAB_AREAS.index("overview"))
    pump()
    shot("overview")

    # 3. A new member's form after 保存 with nothing filled in.
    tab = area("party")
    view = tab.open_register("party_members")
    view.ensure_loaded()
    form = RecordDialog(window, db, get("party_members"), actor="演示")
    form.show()
    form.on_save()
    shot("form", form)
    form.close()

    # 4. People filtered by 人员标签 from the column's filter list.
    tab = area("basics")
    people = tab.open_register("people")
    people.ensure_loaded()
    tags = [c.key for c in people.model.columns].index("tags")
    people.model.set_column_filter(tags, {"老年人", "残疾人"})
    people.table.horizontalScrollBar().setValue(people.table.horizontalScrollBar().maximum())
    dlg = ColumnFilterDialog(window, "人员标签", people.model.column_values(tags),
                             people.model.column_filters()[tags])
    dlg.resize(300, 360)
    dlg.show()
    with_dialog("column_filter", dlg, QPoint(SIZE[0] - 340, 150))
    dlg.close()

    # 5. The 法治保障 reminders.
    tab = area("law")
    for i in range(tab.reminders.topLevelItemCount()):
        tab.reminders.topLevelItem(i).setExpanded(True)
    shot("reminders")

    # 6–7. The import wizard on a district-style edit of an exported roster.
    src = tmp / "党员花名册.xlsx"
    writer.export_register(db, "party_members", src,
                           columns=["person_name", "person_gender", "person_id_number",
                                    "org_id", "joined_on", "work_unit", "party_post",
                                    "status"])
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    ws.cell(3, 7).value = "区民政局"                     # a change: 工作单位
    ws.cell(4, 4).value = "11010519800101001X"           # a wrong check digit
    ws.cell(5, 8).value = "支部委员"                      # not a choice of 党内职务
    wb.save(src)
    wiz = ImportWizard(window, db, "party_members", actor="演示")
    wiz.resize(1000, 680)
    wiz.show()
    wiz.file_page.path_edit.setText(str(src))
    wiz.next()
    for _ in range(50):
        pump()
        if wiz.currentPage() is wiz.layout_page:
            break
    wiz.next()
    pump()
    shot("import_mapping", wiz)
    while wiz.currentPage() is not wiz.preview_page:
        wiz.next()
        pump()
    for _ in range(50):
        pump()
        if wiz.preview_page.isComplete():
            break
    wiz.preview_page.filter_box.setCurrentIndex(0)
    wiz.preview_page.view.selectRow(1)
    shot("import_preview", wiz)
    wiz.reject()

    # 8. The printed roster of the members on the roll, as the preview shows it.
    from PySide6.QtPrintSupport import QPrintPreviewDialog
    from app.ui.print_preview import PrintJob
    tab = area("party")
    view = tab.open_register("party_members")
    spec = roster_for_rows(db, "party_members", view.model.visible_rows(),
                           scope=view.scope_text())
    job = PrintJob(spec, QSettings(str(tmp / "print.ini"), QSettings.Format.IniFormat))
    printer = job.make_printer()
    preview = QPrintPreviewDialog(printer, window)
    preview.paintRequested.connect(job.paint)
    preview.resize(1000, 700)
    preview.show()
    shot("print_preview", preview)
    preview.close()

    window.close()
    db.close()
    total = sum(sizes.values())
    for name, size in sizes.items():
        print(f"{name}.png  {size / 1024:.0f} KB")
    print(f"共 {len(sizes)} 张，{total / 1024:.0f} KB → {out_dir}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "manual" / "images")
