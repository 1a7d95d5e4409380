"""文件 → 连接服务器…: the address of the office's PostgreSQL server (issue 14).

The address — host, port, database and user name — is remembered (``server/last``); the
password never is: it is asked for each time and kept only in memory while the program runs.
A PC where typing it is a burden can get it from libpq's own password file, set up once by
whoever manages the server (``~/.pgpass``; Windows ``%APPDATA%\\postgresql\\pgpass.conf``),
or from ``PGPASSWORD``; then the field can stay empty.
"""

from __future__ import annotations

from urllib.parse import quote

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QSpinBox, QVBoxLayout, QWidget)

from .sizing import fit_size

#: The remembered address (never a password: :func:`app.storage.pg.display` drops it).
SETTING = "server/last"


def split_address(address: str) -> dict:
    """host, port, database, user of a remembered address (for the fields)."""
    from sqlalchemy.engine import make_url
    try:
        url = make_url(address)
    except Exception:  # noqa: BLE001 - a damaged setting: start from empty fields
        return {}
    return {"host": url.host or "", "port": url.port or 5432,
            "database": url.database or "", "user": url.username or ""}


def join_address(host: str, port: int, database: str, user: str) -> str:
    """``postgresql://user@host:port/database`` (no password)."""
    who = f"{quote(user, safe='')}@" if user else ""
    return f"postgresql://{who}{host}:{port}/{quote(database, safe='')}"


class ServerDialog(QDialog):
    """Asks where the server is and the password.  After ``exec()`` is Accepted,
    :attr:`address` and :attr:`password` say how to connect."""

    def __init__(self, parent: QWidget | None, address: str = "", message: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("连接服务器")
        parts = split_address(address) if address else {}
        lay = QVBoxLayout(self)
        intro = QLabel("几台电脑共用一个台账时，连接单位的 PostgreSQL 数据库服务器。"
                       "地址和用户名会记住；密码不保存，每次打开时输入。")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        self.host = QLineEdit(parts.get("host", ""), placeholderText="如 192.168.1.10")
        self.port = QSpinBox(minimum=1, maximum=65535)
        self.port.setValue(int(parts.get("port", 5432)))
        self.database = QLineEdit(parts.get("database", "") or "taizhang")
        self.user = QLineEdit(parts.get("user", ""))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("不保存；服务器或本机密码文件已配置时可不填")
        for label, w in (("服务器地址", self.host), ("端口", self.port),
                         ("数据库名", self.database), ("用户名", self.user),
                         ("密码", self.password)):
            form.addRow(label, w)
        lay.addLayout(form)
        self.error = QLabel(message)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020")
        self.error.setVisible(bool(message))
        lay.addWidget(self.error)
        lay.addStretch(1)  # the room fit_size gives goes below the fields, not between them
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("连接")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.on_ok)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        (self.password if parts.get("host") else self.host).setFocus()
        self.address = ""
        self.password_text: str | None = None
        fit_size(self, 460, 320)

    def on_ok(self) -> None:
        host, db, user = (self.host.text().strip(), self.database.text().strip(),
                          self.user.text().strip())
        missing = [n for n, v in (("服务器地址", host), ("数据库名", db), ("用户名", user)) if not v]
        if missing:
            self.error.setText("请填写：" + "、".join(missing))
            self.error.show()
            return
        self.address = join_address(host, self.port.value(), db, user)
        self.password_text = self.password.text() or None
        self.accept()
