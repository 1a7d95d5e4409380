"""Looking at a database file before opening it, so every way it can be wrong gets its own
Chinese message instead of a traceback or, worse, a silent fresh database in its place.

:func:`problem` is asked before SQLAlchemy touches the path: missing, a folder, a FIFO or
device, unreadable, empty (0 bytes), not an SQLite file.  :func:`quick_check` runs SQLite's
``PRAGMA quick_check`` on a read-only connection.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SQLITE_MAGIC = b"SQLite format 3\x00"


class FileProblem(Exception):
    """``str()`` is the Chinese message; ``kind`` a short key tests and callers match."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def problem(path: Path, *, must_exist: bool = True) -> FileProblem | None:
    """Why ``path`` cannot be a database, or None if it looks like one (or is absent and
    ``must_exist`` is False: it will be created)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if must_exist:
            return FileProblem("missing", f"数据库文件不存在：{path}")
        if not path.parent.exists():
            return FileProblem("missing", f"文件夹不存在：{path.parent}")
        return None
    except PermissionError:
        return FileProblem("unreadable", f"无权访问 {path}（没有读取权限）。请检查文件权限。")
    except OSError as exc:
        return FileProblem("unreadable", f"无法访问 {path}：{exc.strerror or exc}")
    if stat.S_ISDIR(st.st_mode):
        return FileProblem("directory", f"{path} 是一个文件夹，不是数据库文件。"
                                        "请选择文件夹里的 .db 文件。")
    if not stat.S_ISREG(st.st_mode):
        what = "命名管道（FIFO）" if stat.S_ISFIFO(st.st_mode) else "设备或特殊文件"
        return FileProblem("special", f"{path} 是{what}，不是普通文件，不能作为数据库打开。")
    if not os.access(path, os.R_OK):
        return FileProblem("unreadable", f"无权读取 {path}。请检查文件权限，"
                                         "或请管理员把文件设为当前用户可读。")
    if st.st_size == 0:
        return FileProblem("empty", f"数据库文件 {path} 是空的（0 字节）：数据可能在复制或保存时"
                                    "丢失了。本程序不会用新数据库覆盖它；请从备份恢复"
                                    "（taizhang restore 备份文件，或“文件 → 恢复”）。")
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError:
        return FileProblem("unreadable", f"无权读取 {path}。请检查文件权限。")
    except OSError as exc:
        return FileProblem("unreadable", f"无法读取 {path}：{exc.strerror or exc}")
    if head != SQLITE_MAGIC and not sidecar_exists(path):
        return FileProblem("not-sqlite", f"{path} 不是数据库文件（文件开头不对），"
                                         "或已经严重损坏。请选择正确的文件，或从备份恢复。"
                                         f"（如果它是加密的数据库：它的密钥文件 {path.name}.keys"
                                         " 应在同一文件夹。）")
    return None


def sidecar_exists(path: Path) -> bool:
    """An encrypted file (SQLCipher: no readable header) has its key slots beside it."""
    from .keyslots import exists
    return exists(path)


def read_only(path: Path) -> bool:
    """True when the file (or its folder, where SQLite keeps the WAL) cannot be written."""
    return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)


def quick_check(path: Path, *, full: bool = False, key: bytes | None = None) -> list[str]:
    """``PRAGMA quick_check`` (or ``integrity_check``) on a read-only connection: [] when
    healthy, else SQLite's findings (or the error that stopped it).  An encrypted file is
    read with ``key``, or the key unlocked for it in this process."""
    from . import cipher, keyslots
    if key is None and cipher.is_encrypted(path):
        key = keyslots.key_for(path)
        if key is None:
            return ["数据库已加密，需要先登录（或恢复密钥）才能检查"]
    errors = cipher.errors()
    try:
        con = cipher.open_any(path, key, read_only=True)
    except errors as exc:
        return [f"无法打开：{exc}"]
    except RuntimeError as exc:  # no SQLCipher on this PC
        return [str(exc)]
    try:
        pragma = "integrity_check" if full else "quick_check"
        rows = [r[0] for r in con.execute(f"PRAGMA {pragma}")]
        return [] if rows == ["ok"] else rows
    except errors as exc:
        return [str(exc)]
    finally:
        con.close()


def damaged_message(path: Path, findings: list[str], backups: list[tuple[str, Path]]) -> str:
    """The message for a damaged file: what SQLite found and the newest backups to restore."""
    lines = [f"数据库文件 {path.name} 已损坏（完整性检查未通过：{'; '.join(findings[:3])}）。",
             "为保护数据，本程序不会修改或替换它。"]
    if backups:
        lines.append("可以从备份恢复（最新的在前）：")
        lines += [f"  {when}  {p}" for when, p in backups[:5]]
        lines.append(f"命令：taizhang restore \"{backups[0][1]}\" --db \"{path}\"，"
                     "或在窗口中用“文件 → 恢复”。")
    else:
        lines.append("没有找到备份。请联系技术人员，不要继续使用这个文件。")
    return "\n".join(lines)
