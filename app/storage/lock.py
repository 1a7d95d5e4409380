"""One writer per database: a lock file beside it (``taizhang.db.lock``) naming who holds it.

The window takes the lock as soon as it opens a database (before the login prompt) and keeps
it until it closes the database; a command-line writer (``import --apply``, ``imports
--undo``, ``demo``, ``restore``) takes it for its run.  Readers (``export``, ``print``,
``stats``, ``check``) never need it: SQLite's WAL lets them read while the holder writes.

The file is also locked with the operating system's file lock (``fcntl.flock`` /
``msvcrt.locking``), which dies with its process: a lock file left by a killed program is
recognised as stale and taken over, with no one having to delete it by hand.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


class LockHeld(Exception):
    """Someone else is writing this database; ``str()`` names them (Chinese)."""

    def __init__(self, holder: "Holder", path: Path) -> None:
        self.holder, self.path = holder, path
        super().__init__(
            f"数据库 {path.name} 正在被使用：{holder.describe()}。"
            "同一时间只能有一处修改数据（查看、导出和打印不受影响）。"
            "请等对方关闭后再试；如果对方的程序已经关闭，本锁会自动解除。")


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str
    what: str = ""

    def describe(self) -> str:
        what = f"（{self.what}）" if self.what else ""
        return f"{self.user} 在电脑 {self.host} 上{what}，自 {self.since} 起"


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _os_user() -> str:
    try:
        return getpass.getuser() or "?"
    except Exception:  # noqa: BLE001 - no user name in some sandboxes
        return "?"


def _try_os_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt
        try:
            # A byte far past the text, so others can still read who holds the lock.
            os.lseek(fd, 1 << 30, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    import fcntl
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False


def read_holder(db_path: Path) -> Holder | None:
    """Who the lock file names (None when there is none or it cannot be read)."""
    try:
        raw = json.loads(lock_path(db_path).read_text(encoding="utf-8") or "{}")
        return Holder(str(raw.get("user", "?")), str(raw.get("host", "?")),
                      int(raw.get("pid", 0)), str(raw.get("since", "?")),
                      str(raw.get("what", "")))
    except (OSError, ValueError, TypeError):
        return None


class WriterLock:
    """The lock of one database for this process.  ``acquire()`` raises :class:`LockHeld`;
    ``release()`` (or the end of the process) frees it.  ``db_path`` None (a server
    database): several PCs write at once by design (record versions and row locks keep them
    apart), so there is nothing to hold."""

    def __init__(self, db_path: Path | None, *, user: str | None = None,
                 what: str = "") -> None:
        self.db_path = Path(db_path) if db_path is not None else None
        self.path = lock_path(self.db_path) if self.db_path is not None else None
        self.user = user or _os_user()
        self.what = what
        self.fd: int | None = None

    def acquire(self) -> "WriterLock":
        if self.fd is not None or self.path is None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_os_lock(fd):
            os.close(fd)
            holder = read_holder(self.db_path) or Holder("?", "?", 0, "?")
            raise LockHeld(holder, self.db_path)
        stale = read_holder(self.db_path)
        if stale is not None and stale.pid and stale.pid != os.getpid():
            log.warning("stale lock of %s taken over (was %s)", self.db_path, stale)
        self.fd = fd
        self._write()
        return self

    def _write(self) -> None:
        info = {"user": self.user, "host": socket.gethostname(), "pid": os.getpid(),
                "since": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "what": self.what}
        data = json.dumps(info, ensure_ascii=False).encode("utf-8")
        os.ftruncate(self.fd, 0)
        os.lseek(self.fd, 0, os.SEEK_SET)
        os.write(self.fd, data)
        os.fsync(self.fd)

    def rename(self, user: str) -> None:
        """The signed-in account, once known (the window locks before the login)."""
        self.user = user
        if self.fd is not None:
            self._write()

    def release(self) -> None:
        if self.fd is None:
            return
        # Emptied, not removed: removing it would let a process that opened the old file
        # and one that creates a new one both believe they hold the lock.
        try:
            os.ftruncate(self.fd, 0)
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None

    @property
    def held(self) -> bool:
        return self.fd is not None

    def __enter__(self) -> "WriterLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
