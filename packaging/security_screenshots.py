"""Screenshots of the sign-in and security dialogs (issue 11) over the demo, on a 1366×768
screen (offscreen), to look at after a change to any of them:

    QT_QPA_PLATFORM=offscreen python packaging/security_screenshots.py [OUT_DIR]

登录, 打开加密的数据库 (unlock), the recovery key (after encrypting, and a new one), 正在加密
数据库, 安全设置, 生成新的恢复密钥, 连接服务器 — each dialog at its natural size — and the main
window covered by the idle lock at 1366×768.  The window and demo data are those of
packaging/screenshot.py.  OUT_DIR defaults to out/screenshots (not kept in git).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import screenshot  # noqa: E402 - sets up the 1366×768 offscreen screen on import

#: A recovery key that is obviously an example (never a real file's).
EXAMPLE_KEY = "7K3QM-X9D2P-A4TNV-8HR6C-W1ZEJ-5BFG0-Q2M8S-YT4KD"


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from app.services import accounts
    from app.ui import tasks
    from app.ui.lock_cover import LockCover
    from app.ui.login_dialog import LoginDialog
    from app.ui.recovery_dialog import RecoveryKeyDialog
    from app.ui.security_dialogs import EncryptProgress, SecuritySettingsDialog, \
        encrypt_dialog, new_recovery_key_dialog
    from app.ui.server_dialog import ServerDialog
    from app.ui.unlock_dialog import UnlockDialog

    app, window, db, tmp = screenshot.demo_window("和平街道台账.db")
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def pump() -> None:
        tasks.wait_all()
        for _ in range(5):
            app.processEvents()

    def shot(name: str, widget) -> None:
        """A dialog at the size it opens with (its own or its size hint), a window as it is."""
        widget.show()
        pump()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        shots.append(path)

    def dialog(name: str, dlg) -> None:
        shot(name, dlg)
        dlg.hide()
        dlg.deleteLater()

    pump()
    dialog("login", LoginDialog(window, db, user=""))
    locked = LoginDialog(window, db, unlock=db.actor)
    dialog("login_unlock", locked)
    dialog("unlock_encrypted", UnlockDialog(window, tmp / "和平街道台账.db", user="admin"))
    plain = tmp / "和平街道台账.加密前-20261125-093015.db"
    rec = RecoveryKeyDialog(window, "和平街道台账.db", EXAMPLE_KEY, plain_copy=plain,
                            today=screenshot.DAY)
    dialog("recovery_key", rec)
    rec = RecoveryKeyDialog(window, "和平街道台账.db", EXAMPLE_KEY, new=True,
                            today=screenshot.DAY)
    rec.saved.setChecked(True)
    dialog("recovery_key_new", rec)
    progress = EncryptProgress(window, "和平街道台账.db")
    progress.on_progress(5, 8, "正在核对原文件（第 12/41 个表）")
    shot("encrypt_progress", progress)
    progress.on_progress(8, 8, "正在换上加密的文件（此步不能取消）")
    shot("encrypt_progress_final", progress)
    progress.finish()
    dialog("security_settings", SecuritySettingsDialog(window, db))
    dialog("new_recovery_key_confirm", new_recovery_key_dialog(window, db))
    dialog("encrypt_confirm", encrypt_dialog(window, db))
    dialog("server", ServerDialog(window, "postgresql://jiedao@192.168.1.10:5432/taizhang"))
    dialog("server_error", ServerDialog(window, "", "无法连接：服务器 192.168.1.10 没有应答"
                                                    "（端口 5432）。请确认服务器已开机、地址正确。"))
    # The idle lock over the main window and the 操作日志 (1366×768 as it is).
    window.act_audit.trigger()
    pump()
    cover = LockCover(window)
    cover.engage()
    shot("idle_lock_window", window)
    shot("idle_lock_audit_view", window.audit_view)
    cover.release()
    window.audit_view.close()
    # The 工具 menu as an administrator sees it.
    window.menu_tools.popup(window.mapToGlobal(window.menuBar().geometry().bottomLeft()))
    pump()
    path = out / "menu_tools_security.png"
    window.menu_tools.grab().save(str(path))
    shots.append(path)
    window.menu_tools.close()
    assert accounts.idle_minutes(db) == accounts.DEFAULT_IDLE_MINUTES  # nothing was saved
    tasks.wait_all()
    window.remote.stop()
    window.close()
    QApplication.processEvents()
    print("\n".join(str(p) for p in shots))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "out" / "screenshots")
