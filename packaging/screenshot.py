"""Take the README screenshot: the main window on fresh demo data, 党建引领 tab.

Runs offscreen (or under Xvfb) with the bundled CJK font, so it gives the same picture on any
Linux machine:

    QT_QPA_PLATFORM=offscreen python packaging/screenshot.py [docs/screenshot.png]
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

#: The demo is built for a fixed day so the reminders (政治生日 this month …) are the same.
DAY = dt.date(2026, 11, 25)


def demo_window(name: str = "演示街道.db"):
    """(app, window, db, tmp folder): the main window at 1366×768 over fresh demo data built
    for :data:`DAY`, signed in as the demo's administrator, with its own settings file.
    Other screenshot scripts start from here too (packaging/security_screenshots.py)."""
    from PySide6.QtCore import QSettings

    from app.demo import build_demo
    from app.storage import Database
    from app.ui.app import make_app
    from app.ui.main_window import MainWindow
    from app.ui.settings import Settings

    tmp = Path(tempfile.mkdtemp(prefix="taizhang-shot-"))
    db = Database(tmp / name)
    build_demo(db, "community", seed=1, today=DAY)
    from app.demo.build import DEMO_PASSWORD, DEMO_USER
    from app.services import accounts
    db.actor = accounts.sign_in(db, DEMO_USER, DEMO_PASSWORD, where="截图")  # as a clerk would
    app = make_app(sys.argv[:1])
    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(db, settings, today=DAY)
    window.resize(1366, 768)  # the laptops many offices still use
    window.show()
    return app, window, db, tmp


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui import tasks

    _app, window, db, _tmp = demo_window()  # the app kept referenced for the script's life
    from app.ui.main_window import TAB_AREAS
    window.tabs.setCurrentIndex(TAB_AREAS.index("party"))
    tab = window.current_tab()
    panel = tab.open_register("org_tree")
    QApplication.processEvents()
    # A 党支部 with 党小组 under it, so the tree and the member table both have content.
    branch = next(n for r in panel.roots for n in r.walk() if n.org_type == "党支部" and n.children)
    panel.select_org(branch.id)
    panel.tree.expandAll()
    # Open the "behind schedule" reminders: the first thing a secretary looks at.
    rem = tab.reminders
    for i in range(rem.topLevelItemCount()):
        item = rem.topLevelItem(i)
        item.setExpanded(item.text(0).startswith(("三会一课", "调解")))
    panel.members.select_position(0)
    tasks.wait_all()
    for _ in range(5):
        QApplication.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(out))
    window.close()
    db.close()
    print(f"已保存截图：{out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshot.png")
