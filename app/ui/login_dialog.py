"""Signing in to the window: the login dialog, the first start's administrator, and the lock
after idle time.

``sign_in_window(parent, db) -> Actor | None`` runs the right dialog for ``db`` (first
administrator when it has no account yet, else the login) and returns the signed-in account.
When ``TAIZHANG_USER`` and ``TAIZHANG_PASSWORD`` are both set (automation, the screenshot
script) they sign in without a dialog, exactly as on the command line.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ..services import accounts, settings as db_settings
from .password_form import PasswordForm

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    """Account and password; ``actor`` after Accepted.  Wrong passwords stay in the dialog
    with the reason (and the lockout, after repeated failures)."""

    def __init__(self, parent: QWidget | None, db, *, user: str = "", unlock=None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.unlock = unlock  # the signed-in account when unlocking after idle time
        self.setWindowTitle("解锁" if unlock else "登录")
        self.setMinimumWidth(360)
        lay = QVBoxLayout(self)
        title = QLabel(f"数据库：{db.name}")
        lay.addWidget(title)
        if unlock is not None:
            lay.addWidget(QLabel(f"窗口已锁定（长时间未操作）。请输入“{unlock.name}”的密码继续。"))
        demo = db_settings.get_value(db, accounts.DEMO_FLAG)
        if demo and unlock is None:
            name, _, pw = demo.partition("/")
            note = QLabel(f"这是演示数据库：管理员账号 {name}，密码 {pw}")
            note.setObjectName("demo_note")
            lay.addWidget(note)
        self.fields = PasswordForm(self, name=unlock.name if unlock else user,
                                   name_fixed=unlock is not None)
        self.name, self.password, self.error = (self.fields.name, self.fields.password,
                                                self.fields.error)
        lay.addWidget(self.fields)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录" if not unlock
                                                                   else "解锁")
        if unlock is not None:
            buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序")
        buttons.accepted.connect(self.on_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.fields.focus_first()

    def on_accept(self) -> None:
        try:
            self.actor = accounts.sign_in(self.db, self.name.text(), self.password.text(),
                                          where="解锁" if self.unlock else "窗口")
        except accounts.AccountError as exc:
            self.fields.show_error(str(exc))
            return
        if self.unlock is not None and self.actor.name != self.unlock.name:
            self.error.setText("只能用锁定前的账号解锁")
            self.actor = None
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """The first start of a database without accounts: create its administrator."""

    def __init__(self, parent: QWidget | None, db) -> None:
        super().__init__(parent)
        self.db = db
        self.actor = None
        self.password_used: str | None = None
        self.setWindowTitle("创建管理员账号")
        self.setMinimumWidth(400)
        lay = QVBoxLayout(self)
        intro = QLabel(f"数据库 {db.name} 还没有账号。请创建管理员账号：管理员可以添加其他"
                       "账号（录入员、查阅员）、查看操作日志、备份和恢复。\n"
                       f"密码至少 {accounts.MIN_PASSWORD} 位，请牢记。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.fields = PasswordForm(self, name="管理员", confirm=True)
        self.name, self.password, self.again, self.error = (
            self.fields.name, self.fields.password, self.fields.again, self.fields.error)
        lay.addWidget(self.fields)
        # A plain file (made by an older version, or on a PC without SQLCipher): offer to
        # encrypt it now, while the administrator's password is at hand.
        from PySide6.QtWidgets import QCheckBox
        from ..storage import cipher
        self.encrypt = QCheckBox("加密数据库文件（推荐：文件被拷走也无法读取）")
        plain_file = db.path is not None and not db.encrypted
        self.encrypt.setChecked(plain_file and cipher.available())
        self.encrypt.setVisible(plain_file and cipher.available())
        # Under the password rows, above their error line.
        self.fields.form.addRow(self.encrypt)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("创建并登录")
        buttons.accepted.connect(self.on_accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.password.setFocus()

    def on_accept(self) -> None:
        if self.password.text() != self.again.text():
            self.error.setText("两次输入的密码不一致")
            return
        try:
            self.actor = accounts.create_first_admin(self.db, self.name.text(),
                                                     self.password.text())
        except accounts.AccountError as exc:
            self.error.setText(str(exc))
            return
        self.password_used = self.password.text()
        self.accept()


def sign_in_window(parent: QWidget | None, db):
    """The signed-in account for ``db``, or None when the user cancelled.

    An encrypted file unlocked with an account's password (``db.unlocked_as``) signs that
    account in without asking again.  A plain file's first administrator may ask for it to
    be encrypted: ``db.encrypt_with`` is then that password (for :func:`app.ui.app`)."""
    name, password = os.environ.get("TAIZHANG_USER"), os.environ.get("TAIZHANG_PASSWORD")
    if not accounts.has_accounts(db):
        dlg = FirstAdminDialog(parent, db)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        if dlg.encrypt.isChecked():
            db.encrypt_with = dlg.password_used
        return dlg.actor
    unlocked = getattr(db, "unlocked_as", None)
    db.unlocked_as = None
    if unlocked is not None:
        try:
            return accounts.sign_in(db, unlocked[0], unlocked[1], where="窗口")
        except accounts.AccountError as exc:  # disabled, locked: the dialog says why
            log.warning("sign-in after unlocking refused: %s", exc)
            name = unlocked[0]
    if name and password is not None:
        try:
            return accounts.sign_in(db, name, password, where="窗口（环境变量）")
        except accounts.AccountError as exc:
            log.warning("sign-in from the environment refused: %s", exc)
    dlg = LoginDialog(parent, db, user=name or "")
    return dlg.actor if dlg.exec() == QDialog.DialogCode.Accepted else None


class IdleLock(QObject):
    """Locks the window after ``minutes`` without keyboard or mouse input: ``locked`` is
    emitted and the owner shows the unlock dialog.

    Signals:
        locked: the idle time ran out.
    """

    locked = Signal()
    _INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
              QEvent.Type.Wheel}

    def __init__(self, parent: QObject, minutes: int) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timeout)
        #: True from the time running out until :meth:`set_minutes` (after unlocking):
        #: typing into the unlock dialog does not start the clock again.
        self.is_locked = False
        self.cover = None  # the LockCover while locked (app/ui/app.py)
        self.set_minutes(minutes)

    def _on_timeout(self) -> None:
        self.is_locked = True
        self.locked.emit()

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.is_locked = False
        if minutes > 0:
            self.timer.start(minutes * 60_000)
        else:
            self.timer.stop()

    def eventFilter(self, obj, event) -> bool:
        if event.type() in self._INPUT and self.minutes > 0 and not self.is_locked:
            self.timer.start(self.minutes * 60_000)
        return False
