"""The administrator's security dialogs (issue 11): 工具 → 安全设置… (the idle lock's time),
工具 → 生成新的恢复密钥… (after typing the password again), and the progress of encrypting
a plain database file, which runs in the background.

Every change goes through :mod:`app.services.security` on the writer thread; these dialogs
only ask and show.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, \
    QProgressBar, QSpinBox, QVBoxLayout, QWidget

from .password_form import ERROR_STYLE, PasswordForm


def encryption_text(db) -> str:
    """Whether the database file is encrypted, in words for the settings dialog."""
    from ..storage import cipher, keyslots
    if db.is_server:
        return "不适用：服务器上的数据库由服务器管理访问权限。"
    if db.encrypted:
        return (f"已加密（SQLCipher，AES-256）。密钥文件 {keyslots.sidecar(db.path).name} "
                "须与数据库放在同一文件夹。")
    if not cipher.available():
        return "未加密：" + cipher.UNAVAILABLE
    return ("未加密。管理员可用“工具 → 加密数据库文件…”加密"
            "（加密前会保留一份核对过的未加密副本）。")


class SecuritySettingsDialog(QDialog):
    """工具 → 安全设置…: minutes without input before the window locks (0: never)."""

    def __init__(self, parent: QWidget | None, db) -> None:
        from ..services import accounts, security
        super().__init__(parent)
        self.db = db
        self.stored: int | None = None
        self.setWindowTitle("安全设置")
        lay = QVBoxLayout(self)
        intro = QLabel("这些设置保存在数据库里，对所有使用这个数据库的电脑和账号都有效。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.minutes = QSpinBox()
        self.minutes.setRange(0, security.MAX_IDLE_MINUTES)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setSpecialValueText("不锁定")
        self.minutes.setValue(accounts.idle_minutes(db))
        self.minutes.setAccessibleName("空闲锁定时间")
        self.minutes.setMinimumWidth(self.minutes.sizeHint().width() + 24)
        row = QHBoxLayout()
        row.addWidget(self.minutes)
        row.addStretch(1)
        form.addRow("空闲锁定时间", row)
        hint = QLabel(f"窗口这么久没有键盘和鼠标操作就锁定，只有原账号的密码能解锁。"
                      f"可设 {security.MIN_IDLE_MINUTES}–{security.MAX_IDLE_MINUTES} 分钟，"
                      f"0 为不锁定（不推荐）。默认 {accounts.DEFAULT_IDLE_MINUTES} 分钟。")
        hint.setWordWrap(True)
        hint.setEnabled(False)  # the grey of a hint
        form.addRow("", hint)
        encrypted = QLabel(encryption_text(db))
        encrypted.setWordWrap(True)
        form.addRow("文件加密", encrypted)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.on_accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(440)
        self.minutes.setFocus()
        self.minutes.selectAll()

    def on_accept(self) -> None:
        from ..services import security
        from .tasks import run_write
        db, actor, value = self.db, self.db.actor, self.minutes.value()
        self.buttons.setEnabled(False)

        def done(stored: int) -> None:
            self.stored = stored
            self.accept()

        def failed(exc) -> None:
            self.buttons.setEnabled(True)
            self.error.setText(str(exc))
        self.task = run_write(lambda _t: security.set_idle_minutes(db, actor, value),
                              owner=self, on_done=done, on_error=failed)


class ConfirmPasswordDialog(QDialog):
    """An administrator's action that needs the password typed again: what it does, the
    account (fixed) and the password.  ``work(db, actor, password)`` runs on the writer
    thread when ``button`` is pressed; a refusal (wrong password …) stays in the dialog.
    After Accepted, :attr:`value` is what ``work`` returned and :attr:`password` the
    password typed."""

    def __init__(self, parent: QWidget | None, db, *, title: str, intro: str, button: str,
                 work) -> None:
        super().__init__(parent)
        self.db = db
        self.work = work
        self.value = None
        self.password: str | None = None
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        lay.addWidget(label)
        self.fields = PasswordForm(self, name=db.actor.name, name_fixed=True)
        lay.addWidget(self.fields)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                        QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(button)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.on_accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(440)
        # A long explanation would otherwise make the dialog as wide as the screen allows.
        width = max(480, self.minimumSizeHint().width())
        self.resize(width, lay.totalHeightForWidth(width))
        self.fields.focus_first()

    def on_accept(self) -> None:
        from .tasks import run_write
        db, actor, password = self.db, self.db.actor, self.fields.password.text()
        if not password:
            self.fields.show_error("请输入密码")
            return
        self.buttons.setEnabled(False)
        self.fields.error.setText("请稍候…")

        def done(value) -> None:
            self.value, self.password = value, password
            self.accept()

        def failed(exc) -> None:
            self.buttons.setEnabled(True)
            self.fields.show_error(str(exc))
        self.task = run_write(lambda _t: self.work(db, actor, password), owner=self,
                              on_done=done, on_error=failed)


def new_recovery_key_dialog(parent: QWidget | None, db) -> ConfirmPasswordDialog:
    """工具 → 生成新的恢复密钥…: the new key is made when 生成 is pressed."""
    from ..services import security
    return ConfirmPasswordDialog(
        parent, db, title="生成新的恢复密钥", button="生成",
        intro=(f"为数据库 {db.name} 生成新的恢复密钥：原来的恢复密钥立即失效"
               "（打印或保存的旧密钥请销毁），各账号的密码照常可用。\n"
               "新的恢复密钥只显示一次。请输入您的密码确认。"),
        work=security.new_recovery_key)


def encrypt_dialog(parent: QWidget | None, db) -> ConfirmPasswordDialog:
    """工具 → 加密数据库文件…: the password is checked (as a sign-in) before the conversion,
    which then runs with :func:`run_conversion`."""
    from ..services import accounts

    def check(db, actor, password):
        return accounts.sign_in(db, actor.name, password, where="加密数据库")
    return ConfirmPasswordDialog(
        parent, db, title="加密数据库文件", button="加密",
        intro=(f"把数据库 {db.name} 加密保存（SQLCipher，AES-256）：文件被拷走也无法读取。\n"
               "加密前会在旁边保留一份核对过的未加密副本；加密后会显示恢复密钥（只显示一次）。"
               "数据多时需要一两分钟，期间不能使用程序；最后一步之前可以取消。\n"
               "请输入您的密码确认。"),
        work=check)


class EncryptProgress(QDialog):
    """The busy state of a conversion: the step, a bar, and 取消 until the final rename."""

    def __init__(self, parent: QWidget | None, db_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("正在加密数据库")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.cancel_requested = threading.Event()
        lay = QVBoxLayout(self)
        intro = QLabel(f"正在加密数据库 {db_name}。数据多时需要一两分钟，请不要关闭程序或电脑。\n"
                       "取消只在最后一步（换上加密的文件）之前有效；在此之前原文件不会改动。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.step = QLabel("正在准备…")
        self.step.setObjectName("step")
        self.step.setWordWrap(True)
        lay.addWidget(self.step)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy until the first step is reported
        lay.addWidget(self.bar)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("取消")
        self.buttons.rejected.connect(self.on_cancel)
        lay.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self.finished_work = False

    def on_progress(self, done: int, total: int, text: str) -> None:
        from ..storage import encryption
        self.bar.setRange(0, total)
        self.bar.setValue(done - 1)  # step ``done`` has begun: the ones before it are done
        if self.cancel_requested.is_set() and done < total:
            return  # keep saying 正在取消
        self.step.setText(f"第 {done}/{total} 步：{text}")
        if done >= encryption.STEPS:
            self.cancel_button.setEnabled(False)
            self.cancel_button.setToolTip("正在换上加密的文件，已不能取消")

    def on_cancel(self) -> None:
        if not self.cancel_button.isEnabled():
            return
        self.cancel_requested.set()
        self.cancel_button.setEnabled(False)
        self.step.setText("正在取消…（当前一步做完后停止，原文件不会改动）")

    def reject(self) -> None:  # Esc, the window's close button: the same as 取消
        if self.finished_work:
            super().reject()
        else:
            self.on_cancel()

    def closeEvent(self, event) -> None:
        if self.finished_work:
            super().closeEvent(event)
        else:
            event.ignore()
            self.on_cancel()

    def finish(self) -> None:
        self.finished_work = True
        self.done(QDialog.DialogCode.Accepted)


def run_conversion(parent: QWidget | None, db, password: str):
    """Encrypt the plain file of ``db`` on the writer thread while :class:`EncryptProgress`
    shows the steps (the window stays responsive; other windows of the program wait).
    Returns the :class:`app.storage.encryption.Conversion`; raises what the conversion
    raised (:class:`~app.storage.encryption.ConversionCancelled` when cancelled)."""
    from .tasks import run_write
    dlg = EncryptProgress(parent, db.name)
    result: dict = {}
    loop = QEventLoop()

    def done(value) -> None:
        result["done"] = value
        loop.quit()

    def failed(exc) -> None:
        result["error"] = exc
        loop.quit()

    actor_name = db.actor.name
    task = run_write(lambda task: db.encrypt_in_place(
        actor_name, password, progress=task.report, cancelled=dlg.cancel_requested.is_set),
        owner=dlg, on_done=done, on_error=failed, on_progress=dlg.on_progress)
    dlg.task = task
    parent_window = parent.window() if parent is not None else None
    if parent_window is not None:
        parent_window.conversion = dlg  # tests and the screenshot script find it here
    dlg.show()
    try:
        if not result:  # the result arrives through the event loop, never before it runs
            loop.exec()
    finally:
        dlg.finish()
        dlg.deleteLater()
        if parent_window is not None:
            parent_window.conversion = None
    if "error" in result:
        raise result["error"]
    return result["done"]
