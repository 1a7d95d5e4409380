"""Files that are not what they should be, the writer lock, backups and restore — each with
its Chinese message and no traceback, through the command line as a user meets them."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from app.cli import main
from app.services import records
from app.storage.backup import list_backups, make_backup, rotate
from app.storage.lock import LockHeld, WriterLock


def _check(capsys, path):
    code = main(["check", "--db", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_check_messages_for_every_kind_of_bad_file(tmp_path, capsys):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    code, text = _check(capsys, empty)
    assert code == 1 and "0 字节" in text and "Traceback" not in text
    assert empty.stat().st_size == 0  # never silently replaced
    code, text = _check(capsys, tmp_path)
    assert code == 1 and "文件夹" in text
    fifo = tmp_path / "pipe.db"
    os.mkfifo(fifo)
    code, text = _check(capsys, fifo)
    assert code == 1 and "命名管道" in text
    code, text = _check(capsys, tmp_path / "missing.db")
    assert code == 1 and "不存在" in text
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database" * 100)
    code, text = _check(capsys, junk)
    assert code == 1 and "不是数据库文件" in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path, capsys, db, sqlite_only):  # about the file
    db.close()
    os.chmod(db.path, 0)
    code, text = _check(capsys, db.path)
    assert code == 1 and "无权" in text


def test_damaged_page_is_reported_and_the_newest_backup_offered(db, tmp_path, capsys, sqlite_only):  # about the file
    records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, db.actor)
    backup = make_backup(db.path, "测试")
    db.close()
    con = sqlite3.connect(db.path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    size = db.path.stat().st_size
    with open(db.path, "r+b") as fh:  # overwrite one 4 KB page in the middle
        fh.seek((size // 4096 // 2) * 4096)
        fh.write(os.urandom(4096))
    code, text = _check(capsys, db.path)
    assert code == 1 and "已损坏" in text and str(backup) in text and "Traceback" not in text
    # restore it: verified, the damaged file kept aside, data back
    code = main(["restore", str(backup), "--db", str(db.path)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "原来的文件已保留" in out.out
    code, text = _check(capsys, db.path)
    assert code == 0 and "communities\t社区\t1" in text


def test_newer_schema_and_read_only(db, tmp_path, capsys, sqlite_only):  # about the file
    db.close()
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(db.path, ro / "x.db")
    con = sqlite3.connect(db.path)
    con.execute("UPDATE alembic_version SET version_num='9999'")
    con.commit()
    con.close()
    code, text = _check(capsys, db.path)
    assert code == 1 and "更新版本" in text and "打开一次即可升级" not in text
    if os.geteuid() != 0:
        os.chmod(ro / "x.db", 0o444)
        os.chmod(ro, 0o555)
        code, text = _check(capsys, ro / "x.db")
        assert "只读" in text


def test_second_writer_is_refused_naming_the_holder_and_stale_lock_recovered(db, tmp_path, sqlite_only):  # about the file
    lock = WriterLock(db.path, user="张三", what="窗口").acquire()
    with pytest.raises(LockHeld, match="张三") as info:
        WriterLock(db.path).acquire()
    assert "自" in str(info.value)
    # A CLI writer in another process is refused with the same message, no traceback.
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    run = subprocess.run([sys.executable, "-m", "app", "imports", "--undo", "1", "--db",
                          str(db.path)], capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 1 and "张三" in run.stderr and "Traceback" not in run.stderr
    # Readers still work while the lock is held.
    run = subprocess.run([sys.executable, "-m", "app", "export", "people",
                          str(tmp_path / "p.xlsx"), "--db", str(db.path)],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    lock.release()
    # A holder killed with -9 leaves its file behind: the next writer takes it over.
    code = ("import sys, os, time; from pathlib import Path;"
            "from app.storage.lock import WriterLock;"
            f"WriterLock(Path({str(db.path)!r}), user='李四').acquire();"
            "print('held', flush=True); time.sleep(60)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout.readline().strip() == "held"
    with pytest.raises(LockHeld, match="李四"):
        WriterLock(db.path).acquire()
    proc.kill()
    proc.wait()
    proc.stdout.close()
    WriterLock(db.path).acquire().release()


def test_backup_while_open_holds_everything_committed(db, sqlite_only):  # about the file
    records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"}, db.actor)
    # The write is still in the WAL (the connection is open): a plain copy would miss it.
    path = make_backup(db.path, "测试")
    con = sqlite3.connect(path)
    assert con.execute("SELECT name FROM communities").fetchall() == [("甲社区",)]
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    con.close()
    assert list_backups(db.path)[0][1] == path


def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path):
    import datetime as dt
    folder = tmp_path / "x.备份"
    folder.mkdir()
    start = dt.datetime(2026, 12, 1, 12)
    for d in range(400):
        for h in (9, 17):
            when = start - dt.timedelta(days=d, hours=12 - h)
            (folder / f"x-{when:%Y%m%d-%H%M%S}-自动.db").write_bytes(b"")
    rotate(folder)
    kept = sorted(p.name for p in folder.glob("*.db"))
    assert 12 <= len(kept) <= 7 + 4 + 12
    assert any("20261201-17" in k for k in kept)  # the newest is always kept


def test_users_and_audit_cli(db, capsys, monkeypatch, tmp_path):
    db.close()
    path = db.location  # a file, or on the test server a database's address
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "secret-1")
    assert main(["users", "add", "小王", "--role", "查阅员", "--db", path]) == 0
    assert main(["users", "list", "--db", path]) == 0
    assert "小王\t查阅员" in capsys.readouterr().out
    monkeypatch.setenv("TAIZHANG_USER", "小王")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "secret-1")
    assert main(["export", "people", str(tmp_path / "people.xlsx"), "--db", path]) == 1
    assert "无权导出" in capsys.readouterr().err
    assert main(["users", "list", "--db", path]) == 1
    monkeypatch.setenv("TAIZHANG_PASSWORD", "wrong")
    assert main(["users", "list", "--db", path]) == 1
    assert "账号或密码不正确" in capsys.readouterr().err
    monkeypatch.setenv("TAIZHANG_USER", "admin")
    monkeypatch.setenv("TAIZHANG_PASSWORD", "demo")
    capsys.readouterr()
    assert main(["audit", "--user", "小王", "--json", "--db", path]) == 0
    import json
    rows = json.loads(capsys.readouterr().out)
    assert {"login", "login-failed"} <= {r["action"] for r in rows}
    assert main(["audit", "--action", "account", "--db", path]) == 0
    assert "小王" in capsys.readouterr().out
