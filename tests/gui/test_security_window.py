"""Issue 11 in the window: the recovery key dialog, converting a plain file in the background,
the idle lock covering every window, 工具 → 安全设置… and 生成新的恢复密钥…, and the shared
password form."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QLabel

from app.services import accounts, audit
from app.services.access import CLERK, VIEWER, system
from app.storage import Database, cipher, encryption, keyslots
from app.storage.probe import SQLITE_MAGIC
from app.ui import tasks
from app.ui.login_dialog import FirstAdminDialog, LoginDialog
from app.ui.lock_cover import COVER_NAME
from app.ui.password_form import PasswordForm
from app.ui.recovery_dialog import RecoveryKeyDialog
from app.ui.security_dialogs import ConfirmPasswordDialog, EncryptProgress, \
    SecuritySettingsDialog
from app.ui.unlock_dialog import UnlockDialog

from .conftest import TODAY

needs_cipher = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")
CODE = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567-89ABC-DEFGH"


@pytest.fixture(autouse=True)
def _forget_keys():
    keyslots.forget_all()
    yield
    keyslots.forget_all()


# -- the recovery key dialog ------------------------------------------------------------------
def test_the_recovery_key_dialog_closes_only_once_the_key_is_kept(qtbot):
    dlg = RecoveryKeyDialog(None, "台账.db", CODE, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.key_label.text() == "ABCDE-FGHJK-MNPQR-STVWX-\nYZ012-34567-89ABC-DEFGH"
    assert dlg.key_label.font().fixedPitch()
    assert dlg.key_label.font().pointSizeF() > QGuiApplication.font().pointSizeF()
    assert not dlg.close_button.isEnabled()
    dlg.reject()  # Esc
    dlg.close()  # the title bar's ×
    assert dlg.isVisible() and "请先保存" in dlg.status.text()
    dlg.saved.setChecked(True)
    assert dlg.close_button.isEnabled()
    dlg.close_button.click()
    assert not dlg.isVisible() and dlg.result() == QDialog.DialogCode.Accepted


def test_copy_puts_the_key_on_the_clipboard_and_closing_clears_it(qtbot):
    dlg = RecoveryKeyDialog(None, "台账.db", CODE, today=TODAY)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.copy_button.click()
    assert QGuiApplication.clipboard().text() == CODE
    assert keyslots.normalise_recovery(QGuiApplication.clipboard().text())
    dlg.saved.setChecked(True)
    dlg.close_button.click()
    assert QGuiApplication.clipboard().text() != CODE


def test_the_printed_sheet_is_one_page_with_the_file_the_date_and_the_key(qtbot, tmp_path):
    import pdfplumber
    dlg = RecoveryKeyDialog(None, "和平街道.db", CODE, today=TODAY)
    qtbot.addWidget(dlg)
    out = dlg.on_save_pdf(tmp_path / "密钥")
    assert out == tmp_path / "密钥.pdf" and "已保存" in dlg.status.text()
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) == 1
        # Bold Chinese is drawn twice (synthetic bold): read each character once.
        text = pdf.pages[0].dedupe_chars().extract_text().replace(" ", "")
    assert "和平街道.db" in text and "2026年11月25日" in text
    assert "ABCDE-FGHJK-MNPQR-STVWX-" in text and "YZ012-34567-89ABC-DEFGH" in text
    assert "妥善保管" in text or "保管" in text


def test_print_shows_the_sheet_in_qts_preview(qtbot, dialogs):
    dlg = RecoveryKeyDialog(None, "台账.db", CODE, today=TODAY)
    qtbot.addWidget(dlg)
    seen = {}

    def look(preview):
        seen["title"] = preview.windowTitle()
        preview.accept()
    dialogs.on(QPrintPreviewDialog, look)
    assert dlg.on_print()
    assert seen["title"] == "打印恢复密钥" and "送去打印" in dlg.status.text()


# -- converting a plain file in the background --------------------------------------------
@needs_cipher
def test_the_conversion_runs_off_the_gui_thread_with_its_steps_shown(
        window, tmp_path, monkeypatch, recovery_keys, sqlite_only):
    path = tmp_path / "旧文件.db"
    Database(path).close()
    threads, steps, ticks = [], [], []
    original = Database.encrypt_in_place

    def spy(self, *args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        return original(self, *args, **kwargs)
    monkeypatch.setattr(Database, "encrypt_in_place", spy)
    shown = EncryptProgress.on_progress

    def record(self, done, total, text):
        shown(self, done, total, text)
        steps.append((done, self.step.text(), self.cancel_button.isEnabled(),
                      self.isVisible()))
    monkeypatch.setattr(EncryptProgress, "on_progress", record)
    # The GUI thread keeps turning while the file is converted.
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(1)
    assert window.open_path(path)  # first administrator admin/secret-1, box ticked
    timer.stop()
    assert threads == [False]
    assert window.db.encrypted and path.read_bytes()[:16] != SQLITE_MAGIC
    assert [s[0] for s in steps][-1] == encryption.STEPS and all(s[3] for s in steps)
    assert steps[0][1].startswith("第 1/8 步") and steps[0][2]  # 取消 offered at first
    assert "不能取消" in steps[-1][1] and not steps[-1][2]  # … not during the rename
    assert len(ticks) > 1
    assert recovery_keys[-1]["db"] == "旧文件.db"


@needs_cipher
def test_cancelling_the_conversion_leaves_the_file_plain_and_says_so(
        window, tmp_path, monkeypatch, message_boxes, recovery_keys, sqlite_only):
    path = tmp_path / "旧文件.db"
    Database(path).close()
    before = path.read_bytes()
    shown = EncryptProgress.on_progress

    def cancel_at_two(self, done, total, text):
        shown(self, done, total, text)
        if done == 2:
            self.cancel_button.click()
            assert "正在取消" in self.step.text()
    monkeypatch.setattr(EncryptProgress, "on_progress", cancel_at_two)
    assert window.open_path(path)  # still opened: plain, as before
    assert not window.db.encrypted and window.db.actor.name == "admin"
    assert path.read_bytes()[:16] == SQLITE_MAGIC
    assert not list(tmp_path.glob("旧文件.加密前-*")) and not keyslots.exists(path)
    assert recovery_keys == []
    kind, title, text = message_boxes.shown[-1] if message_boxes.shown[-1][1] == "未加密" \
        else next(m for m in message_boxes.shown if m[1] == "未加密")
    assert kind == "information" and "已取消加密" in text and "没有改动" in text
    assert before[:16] == SQLITE_MAGIC


# -- the idle lock covers every window -------------------------------------------------------
def _cover_share(widget) -> float:
    """The share of the widget's pixels painted in the cover's colour."""
    image = widget.grab().toImage()
    colour = QColor("#dfe3e8").rgb()
    step = 7
    points = [(x, y) for x in range(0, image.width(), step) for y in range(0, image.height(), step)]
    return sum(image.pixel(x, y) == colour for x, y in points) / len(points)


def test_the_idle_lock_covers_every_window_and_uncovers_them_after_unlocking(
        window, demo_db, qtbot, dialogs):
    from app.ui.app import start_idle_lock
    demo_db.actor = accounts.sign_in(demo_db, "admin", "demo")
    start_idle_lock(window, demo_db)
    window.act_audit.trigger()
    window.act_recycle.trigger()
    window.on_manual()
    preview = QPrintPreviewDialog(window)
    preview.resize(600, 500)
    preview.show()
    side = QDialog(window)
    QLabel("张三 11010519491231002X", side)
    side.resize(300, 200)
    side.show()
    form = QDialog(window)  # a form open with exec() when the lock comes
    QLabel("李四 13912345678", form)
    form.resize(300, 200)
    others = [window.audit_view, window.recycle_bin, window.help_window, preview, side]
    for w in others:
        qtbot.waitExposed(w)
    assert all(_cover_share(w) < 0.5 for w in (window, *others))
    seen = {}

    def while_locked(dlg):
        lock = window.idle_lock
        assert lock.cover is not None
        for w in (window, *others, form):
            assert lock.cover.covered(w), w
            assert _cover_share(w) > 0.8, w
        assert form.isVisible()
        assert not lock.cover.covered(dlg)  # the unlock dialog itself stays readable
        late = QDialog(window)  # a window opening while locked: covered as it appears
        late.show()
        assert lock.cover.covered(late)
        late.close()
        seen["locked"] = True
        dlg.password.setText("demo")
        dlg.on_accept()
    dialogs.on(LoginDialog, while_locked)

    def after_unlocking():
        seen["form_open_after"] = form.isVisible()
        seen["uncovered"] = [_cover_share(w) < 0.5 for w in (window, *others, form)]
        form.accept()
    QTimer.singleShot(0, window.idle_lock.locked.emit)
    QTimer.singleShot(0, after_unlocking)
    assert form.exec() == QDialog.DialogCode.Accepted  # the form survived the lock
    assert seen == {"locked": True, "form_open_after": True,
                    "uncovered": [True] * (len(others) + 2)}
    assert window.idle_lock.cover is None
    assert all(w.isVisible() for w in (window, *others))
    assert not [c for w in (window, *others) for c in w.findChildren(QLabel, COVER_NAME)
                if c.isVisible()]
    assert window.idle_lock.timer.isActive()  # counting again
    preview.close()
    side.close()


def test_typing_into_the_unlock_dialog_does_not_restart_the_clock(window, demo_db):
    from app.ui.login_dialog import IdleLock
    lock = IdleLock(window, 15)
    lock.timer.timeout.emit()  # the time ran out
    assert lock.is_locked
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtCore import Qt
    lock.timer.stop()
    lock.eventFilter(window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A,
                                       Qt.KeyboardModifier.NoModifier))
    assert not lock.timer.isActive()
    lock.set_minutes(15)  # unlocked
    assert not lock.is_locked and lock.timer.isActive()


# -- 工具 → 安全设置… -------------------------------------------------------------------------
def test_an_administrator_sets_the_idle_time_from_the_tools_menu(window, demo_db, dialogs,
                                                                qtbot):
    from app.ui.app import start_idle_lock
    demo_db.actor = accounts.sign_in(demo_db, "admin", "demo")
    window.set_database(demo_db)
    start_idle_lock(window, demo_db)
    assert window.act_security.isVisible() and window.act_security.isEnabled()
    assert window.act_security in window.menu_tools.actions()

    def set_30(dlg):
        assert dlg.minutes.value() == 15 and dlg.minutes.specialValueText() == "不锁定"
        assert dlg.minutes.minimum() == 0 and dlg.minutes.maximum() == 240
        dlg.minutes.setValue(30)
        dlg.buttons.accepted.emit()
        qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=5000)
    dialogs.on(SecuritySettingsDialog, set_30)
    window.act_security.trigger()
    assert accounts.idle_minutes(demo_db) == 30
    assert window.idle_lock.minutes == 30 and window.idle_lock.timer.interval() == 30 * 60_000
    assert "30 分钟" in window.statusBar().currentMessage()
    row = audit.read(demo_db, system("admin"), actions=[audit.SECURITY])[0]
    assert row["actor"] == "admin" and row["changes"]["新值"] == 30


@pytest.mark.parametrize("role", [CLERK, VIEWER])
def test_other_roles_do_not_see_the_security_items_and_are_refused(window, demo_db, role,
                                                                   qtbot):
    accounts.create_account(demo_db, system("admin"), "someone", role, "pw-123456")
    demo_db.actor = accounts.sign_in(demo_db, "someone", "pw-123456")
    window.set_database(demo_db)
    assert not window.act_security.isVisible() and not window.act_security.isEnabled()
    assert not window.act_new_recovery.isVisible()
    visible = [a.text() for a in window.menu_tools.actions() if a.isVisible()]
    assert "安全设置…" not in visible and "生成新的恢复密钥…" not in visible
    # Even the dialog itself, opened some other way: the service refuses.
    dlg = SecuritySettingsDialog(window, demo_db)
    qtbot.addWidget(dlg)
    dlg.minutes.setValue(1)
    dlg.on_accept()
    qtbot.waitUntil(lambda: dlg.error.text() != "", timeout=5000)
    assert "无权修改设置" in dlg.error.text() and dlg.buttons.isEnabled()
    assert accounts.idle_minutes(demo_db) == accounts.DEFAULT_IDLE_MINUTES


# -- 工具 → 生成新的恢复密钥… -------------------------------------------------------------------
@needs_cipher
def test_an_administrator_makes_a_new_recovery_key(qtbot, tmp_path, settings, dialogs,
                                                    recovery_keys, sqlite_only):
    from app.ui.main_window import MainWindow
    path = tmp_path / "加密.db"
    db = Database(path, encrypt=True)
    old = db.recovery_code
    db.actor = accounts.create_first_admin(db, "主任", "secret-1")
    w = MainWindow(db, settings, today=TODAY)
    qtbot.addWidget(w)
    try:
        assert w.act_new_recovery.isVisible() and w.act_new_recovery.isEnabled()

        def confirm(dlg):
            assert dlg.fields.name.text() == "主任" and dlg.fields.name.isReadOnly()
            dlg.fields.password.setText("wrong-1")
            dlg.on_accept()
            qtbot.waitUntil(lambda: "不正确" in dlg.fields.error.text(), timeout=5000)
            assert dlg.result() == 0 and dlg.fields.password.text() == ""
            dlg.fields.password.setText("secret-1")
            dlg.on_accept()
            qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=5000)
        dialogs.on(ConfirmPasswordDialog, confirm)
        w.act_new_recovery.trigger()
        assert dialogs.opened[-1].windowTitle() == "生成新的恢复密钥"
        assert len(recovery_keys) == 1 and recovery_keys[0]["new"]
        code = recovery_keys[0]["code"]
        assert code != old and "新的恢复密钥" in w.statusBar().currentMessage()
        tasks.wait_all()
        keyslots.forget_all()
        encryption.unlock_with_recovery(path, code)
        keyslots.forget_all()
        with pytest.raises(keyslots.WrongSecret):
            encryption.unlock_with_recovery(path, old)
    finally:
        w.remote.stop()
        tasks.wait_all()
        w.close()
        db.close()


def test_a_plain_database_offers_no_new_recovery_key(window, demo_db):
    demo_db.actor = system("admin")
    window.set_database(demo_db)
    assert window.act_new_recovery.isVisible() and not window.act_new_recovery.isEnabled()


# -- one password form ------------------------------------------------------------------------
def test_the_sign_in_dialogs_share_one_password_form(qtbot, demo_db, tmp_path):
    login = LoginDialog(None, demo_db, user="admin")
    unlock = UnlockDialog(None, tmp_path / "x.db", user="admin")
    first = FirstAdminDialog(None, demo_db)
    for dlg in (login, unlock, first):
        qtbot.addWidget(dlg)
        assert isinstance(dlg.fields, PasswordForm)
        assert dlg.name is dlg.fields.name and dlg.password is dlg.fields.password
    assert first.again is first.fields.again and login.fields.again is None
    login.password.setText("wrong")
    login.on_accept()
    assert "不正确" in login.error.text() and login.password.text() == ""


@needs_cipher
def test_an_administrator_encrypts_the_open_file_from_the_tools_menu(
        window, demo_db, dialogs, qtbot, recovery_keys, sqlite_only):
    from .conftest import open_register
    demo_db.actor = accounts.sign_in(demo_db, "admin", "demo")
    window.set_database(demo_db)
    assert window.act_encrypt.isVisible() and window.act_encrypt.isEnabled()
    assert not window.act_new_recovery.isEnabled()

    def confirm(dlg):
        assert dlg.windowTitle() == "加密数据库文件"
        dlg.fields.password.setText("wrong-1")
        dlg.on_accept()
        qtbot.waitUntil(lambda: "不正确" in dlg.fields.error.text(), timeout=5000)
        dlg.fields.password.setText("demo")
        dlg.on_accept()
        qtbot.waitUntil(lambda: dlg.result() == QDialog.DialogCode.Accepted, timeout=5000)
    dialogs.on(ConfirmPasswordDialog, confirm)
    window.act_encrypt.trigger()
    assert demo_db.encrypted and demo_db.path.read_bytes()[:16] != SQLITE_MAGIC
    assert recovery_keys[-1]["db"] == demo_db.name and "加密前" in recovery_keys[-1]["plain_copy"]
    assert not window.act_encrypt.isEnabled() and window.act_new_recovery.isEnabled()
    assert window.remote.timer.isActive()  # watching for other PCs' writes again
    # The window goes on over the encrypted file.
    view = open_register(window, "people")
    assert view.model.total == 2400
    row = audit.read(demo_db, demo_db.actor, actions=[audit.ENCRYPT])[0]
    assert row["actor"] == "admin"
    keyslots.forget_all()
    encryption.unlock_with_recovery(demo_db.path, recovery_keys[-1]["code"])
