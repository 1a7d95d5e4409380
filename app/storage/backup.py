"""Backups: consistent online copies, rotation, verification and restore.

A backup is made with SQLite's online backup API from a connection to the live database, so
it holds everything committed — what is still in the WAL included — even while the window
has the database open.  It is written to a temporary file in the target folder, checked
(``quick_check``), flushed to disk and only then renamed to its final name: a crash never
leaves half a backup under a real name.

Automatic backups (before a migration, before an import is committed, at exit when data
changed) go to the folder ``<name>.备份`` beside the database and are rotated: the newest of
each of the last 7 days, 4 weeks and 12 months are kept.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
from pathlib import Path

from . import cipher, keyslots
from .probe import FileProblem, problem, quick_check

log = logging.getLogger(__name__)

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
_STAMP = re.compile(r"-(\d{8}-\d{6})(?:-\d+)?-")


class BackupError(Exception):
    """A backup or restore refused; ``str()`` is the Chinese message."""


def backups_dir(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.stem}.备份")


def _sync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def source_key(src: Path) -> bytes | None:
    """The key ``src`` is encrypted with (None: a plain file); BackupError when it is
    encrypted and was not unlocked in this process."""
    if not cipher.is_encrypted(src):
        return None
    key = keyslots.key_for(src)
    if key is None:
        raise BackupError(f"{src.name} 已加密：需要先登录（或输入恢复密钥）才能复制或核对它。")
    return key


def copy_database(src: Path, target: Path, *, key: bytes | None = None) -> Path:
    """A consistent copy of ``src`` at ``target`` (temp file, check, fsync, rename).  An
    encrypted ``src`` gives an encrypted copy under the same key, its key slots beside it as
    they are now (``<target>.keys``)."""
    key = key or source_key(src)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".taizhang-backup-", suffix=".db",
                                    dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        # SQLite's backup API copies pages; between two connections keyed alike, SQLCipher
        # re-encrypts them for the destination, which is never written in clear.
        source = cipher.open_any(src, key, read_only=True, timeout=30)
        try:
            dest = cipher.open_any(tmp, key)
            try:
                source.backup(dest)
                # A plain file that needs no WAL beside it: copy it anywhere as it is.
                dest.execute("PRAGMA journal_mode=DELETE")
            finally:
                dest.close()
        finally:
            source.close()
        findings = quick_check(tmp, key=key)
        if findings:
            raise BackupError(f"备份文件检查未通过（{'; '.join(findings[:3])}），未保存。")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        if key is not None:
            keyslots.copy(src, target)  # first: a file never lies without its slots
        os.replace(tmp, target)
        _sync_dir(target.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def make_backup(db_path: Path, reason: str = "手动", *, to: Path | None = None,
                now: dt.datetime | None = None, rotate_after: bool = True) -> Path:
    """Back ``db_path`` up: to ``to`` (a file, or a folder to put it in) or into the
    automatic folder, which is then rotated.  Returns the backup's path."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"{db_path.stem}-{stamp}-{_safe(reason)}.db"
    if to is None:
        folder = backups_dir(db_path)
        target = _unique(folder / name)
    else:
        to = Path(to)
        target = _unique(to / name) if to.is_dir() else to
    try:
        copy_database(db_path, target)
    except cipher.errors() as exc:
        raise BackupError(f"无法备份 {db_path.name}：{exc}") from None
    except OSError as exc:
        raise BackupError(f"无法写入备份 {target}：{exc.strerror or exc}") from None
    if to is None and rotate_after:
        rotate(backups_dir(db_path))
    log.info("backup of %s written to %s (%s)", db_path, target, reason)
    return target


def _safe(text: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", text)[:20] or "备份"


def _unique(path: Path) -> Path:
    n = 1
    out = path
    while out.exists():
        out = path.with_name(f"{path.stem}-{n}{path.suffix}")
        n += 1
    return out


def stamp_of(path: Path) -> dt.datetime | None:
    m = _STAMP.search(path.name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None


def list_backups(db_path: Path) -> list[tuple[dt.datetime, Path]]:
    """The automatic backups of ``db_path`` (and the copies made before a migration beside
    it), newest first."""
    found: list[tuple[dt.datetime, Path]] = []
    folder = backups_dir(db_path)
    candidates = list(folder.glob("*.db")) if folder.is_dir() else []
    candidates += list(db_path.parent.glob(f"{db_path.stem}.备份-*{db_path.suffix}"))
    for p in candidates:
        when = stamp_of(p) or dt.datetime.fromtimestamp(p.stat().st_mtime)
        found.append((when, p))
    return sorted(found, key=lambda wp: wp[0], reverse=True)


def rotate(folder: Path, *, today: dt.date | None = None) -> list[Path]:
    """Keep the newest backup of each of the last 7 days, 4 ISO weeks and 12 months in
    ``folder``; remove the rest.  Returns the removed files."""
    items = []
    for p in folder.glob("*.db"):
        when = stamp_of(p)
        if when is not None:
            items.append((when, p))
    items.sort(reverse=True)
    keep: set[Path] = set()
    for period, n in ((lambda d: d.date(), KEEP_DAILY),
                      (lambda d: tuple(d.isocalendar())[:2], KEEP_WEEKLY),
                      (lambda d: (d.year, d.month), KEEP_MONTHLY)):
        seen: list = []
        for when, p in items:
            key = period(when)
            if key in seen:
                continue
            if len(seen) >= n:
                break
            seen.append(key)
            keep.add(p)
    removed = []
    for _when, p in items:
        if p not in keep:
            try:
                p.unlink()
                keyslots.sidecar(p).unlink(missing_ok=True)
                removed.append(p)
            except OSError as exc:
                log.warning("could not remove old backup %s: %s", p, exc)
    return removed


def verify(path: Path, known_revisions: dict) -> str:
    """Check a backup before restoring it; returns its schema revision.  BackupError with
    the reason when it is not a usable taizhang database."""
    bad: FileProblem | None = problem(path)
    if bad is not None:
        raise BackupError(str(bad))
    key = source_key(path)  # an encrypted backup no one unlocked: say so, not "damaged"
    findings = quick_check(path, full=True, key=key)
    if findings:
        raise BackupError(f"备份文件 {path.name} 已损坏（{'; '.join(findings[:3])}），不能用来恢复。")
    try:
        con = cipher.open_any(path, key, read_only=True)
        try:
            rev = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except cipher.errors():
        rev = None
    if not rev:
        raise BackupError(f"{path.name} 不是社区治理台账的数据库，不能用来恢复。")
    if rev[0] not in known_revisions:
        raise BackupError(f"{path.name} 由更新版本的社区治理台账创建（结构版本 {rev[0]}），"
                          "请先安装最新版本。")
    return rev[0]


def restore(db_path: Path, backup: Path, known_revisions: dict, *,
            now: dt.datetime | None = None) -> Path | None:
    """Replace ``db_path`` with ``backup`` after verifying it; the current file (with its
    WAL) is moved aside, never deleted.  Returns where it was put (None if there was none).
    The caller holds the writer lock and has closed its own connections."""
    verify(backup, known_revisions)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = None
    # Copy first, beside the target, so the swap itself is two renames.
    incoming = db_path.with_name(f".{db_path.name}.restoring")
    try:
        copy_database(backup, incoming)
    except (OSError, *cipher.errors()) as exc:
        incoming.unlink(missing_ok=True)
        keyslots.sidecar(incoming).unlink(missing_ok=True)
        raise BackupError(f"无法复制备份文件：{exc}") from None
    if db_path.exists():
        aside = _unique(db_path.with_name(f"{db_path.stem}.恢复前-{stamp}{db_path.suffix}"))
        os.replace(db_path, aside)
        for suffix in ("-wal", "-shm", keyslots.SUFFIX):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    # The backup's slots come with it (the passwords valid when it was made open it).
    incoming_slots = keyslots.sidecar(incoming)
    if incoming_slots.exists():
        os.replace(incoming_slots, keyslots.sidecar(db_path))
    os.replace(incoming, db_path)
    _sync_dir(db_path.parent)
    return aside
