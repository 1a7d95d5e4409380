"""Screenshots of the 操作日志 viewer and the 回收站 over the demo, on a 1366×768 screen
(offscreen), to look at after a change to either:

    QT_QPA_PLATFORM=offscreen python packaging/audit_screenshots.py [OUT_DIR]

A few writes by 张三 and 李四 (phone changes, deletions with and without a reason) give the
log and the bin something to show beside the demo's own rows.  OUT_DIR defaults to
out/screenshots (not kept in git).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def use_screen(width: int, height: int) -> None:
    """As packaging/manual_screenshots.py: an offscreen screen of the laptop's size, so the
    dialogs size themselves as they would there."""
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") != "offscreen":
        return
    cfg = Path(tempfile.mkdtemp(prefix="taizhang-screen-")) / "screen.json"
    cfg.write_text('{"screens": [{"name": "screen", "x": 0, "y": 0, "width": %d, '
                   '"height": %d, "logicalDpiX": 96, "logicalDpiY": 96, "dpr": 1}]}'
                   % (width, height))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={cfg}"


def main(out: Path) -> None:
    use_screen(1366, 768)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv[:1])
    from app.demo import build_demo
    from app.services import records
    from app.services.access import system
    from app.storage import Database
    from app.ui import tasks
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="taizhang-shots-"))
    today = dt.date(2026, 11, 25)
    db = Database(tmp / "demo.db")
    build_demo(db, "community", seed=1, today=today)
    db.actor = system("admin")
    zhang, li = system("张三"), system("李四")
    when = dt.datetime(2026, 11, 25, 9, 12)
    people = records.list_rows(db, "people", limit=6)
    for i, p in enumerate(people[:4]):
        records.update(db, "people", p["id"], {"phone": f"1391234567{i}"}, zhang,
                       now=when + dt.timedelta(minutes=i))
    for i, p in enumerate(people[:3]):
        records.soft_delete(db, "people", p["id"], zhang, "户籍迁出" if i == 0 else "",
                            now=when + dt.timedelta(minutes=10 + i))
    org = records.list_rows(db, "party_orgs", limit=1)[0]
    records.soft_delete(db, "party_orgs", org["id"], li, "合并支部",
                        now=when + dt.timedelta(minutes=20))
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    w = MainWindow(db, settings, today=today)
    w.resize(1366, 768)
    w.show()
    w.act_audit.trigger()
    view = w.audit_view
    view.ensure_loaded()
    view.table.selectRow(9)  # a new record: its whole 内容 below the table
    app.processEvents()
    view.grab().save(str(out / "audit_view.png"))
    view.user.setCurrentIndex(view.user.findData("张三"))
    view.ensure_loaded()
    app.processEvents()
    view.grab().save(str(out / "audit_view_filtered.png"))
    w.act_recycle.trigger()
    bin_ = w.recycle_bin
    bin_.ensure_loaded()
    bin_.table.selectRow(0)
    app.processEvents()
    bin_.grab().save(str(out / "recycle_bin.png"))
    w.menu_tools.popup(w.mapToGlobal(w.menuBar().geometry().bottomLeft()))
    app.processEvents()
    w.menu_tools.grab().save(str(out / "menu_tools.png"))
    w.menu_tools.close()
    tasks.wait_all()
    w.remote.stop()
    w.close()
    print("\n".join(str(p) for p in sorted(out.glob("*.png"))))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "screenshots")
