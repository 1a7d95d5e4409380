"""The administrator's commands as a script runs them: ``users`` (add, list, passwd, disable,
enable), ``audit`` as text, ``backup`` into the rotated folder and ``restore`` — through
``main`` with the environment a script sets (TAIZHANG_USER / TAIZHANG_PASSWORD /
TAIZHANG_NEW_PASSWORD), answers read from what the commands print and from the database."""

from __future__ import annotations

import json
import sqlite3

import pytest

from app.cli import main
from app.services import records


def _as(monkeypatch, user: str, password: str) -> None:
    monkeypatch.setenv("TAIZHANG_USER", user)
    monkeypatch.setenv("TAIZHANG_PASSWORD", password)


def test_users_add_list_reset_disable_enable(db, monkeypatch, capsys):
    db.close()
    where = db.location
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "clerk-pass-1")
    assert main(["users", "add", "小李", "--role", "录入员", "--db", where]) == 0
    # A short new password is refused with the rule, and no account is made.
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "abc")
    assert main(["users", "add", "小赵", "--role", "查阅员", "--db", where]) == 1
    assert "6 位" in capsys.readouterr().err
    assert main(["users", "list", "--json", "--db", where]) == 0
    listed = {a["name"]: a for a in json.loads(capsys.readouterr().out)}
    assert set(listed) == {"admin", "小李"} and listed["小李"]["role"] == "录入员"

    # The clerk signs in; may not manage accounts.
    _as(monkeypatch, "小李", "clerk-pass-1")
    assert main(["users", "list", "--db", where]) == 1
    assert "无权管理账号" in capsys.readouterr().err

    # The administrator resets the clerk's password: the old one stops working.
    _as(monkeypatch, "admin", "demo")
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "clerk-pass-2")
    assert main(["users", "passwd", "小李", "--db", where]) == 0
    assert "已重设“小李”的密码" in capsys.readouterr().out
    _as(monkeypatch, "小李", "clerk-pass-1")
    assert main(["check", "--db", where]) == 1
    assert "账号或密码不正确" in capsys.readouterr().err
    _as(monkeypatch, "小李", "clerk-pass-2")
    assert main(["check", "--db", where]) == 0
    capsys.readouterr()

    # Disabled: refused even with the right password; enabled again: works.
    _as(monkeypatch, "admin", "demo")
    assert main(["users", "disable", "小李", "--db", where]) == 0
    _as(monkeypatch, "小李", "clerk-pass-2")
    assert main(["check", "--db", where]) == 1
    assert "已停用" in capsys.readouterr().err
    _as(monkeypatch, "admin", "demo")
    assert main(["users", "enable", "小李", "--db", where]) == 0
    _as(monkeypatch, "小李", "clerk-pass-2")
    assert main(["check", "--db", where]) == 0
    capsys.readouterr()

    # The clerk changes their own password (the old one from TAIZHANG_PASSWORD).
    monkeypatch.setenv("TAIZHANG_NEW_PASSWORD", "clerk-pass-3")
    assert main(["users", "passwd", "--db", where]) == 0
    assert "密码已修改" in capsys.readouterr().out
    _as(monkeypatch, "小李", "clerk-pass-3")
    assert main(["check", "--db", where]) == 0

    # The audit log as text, filtered: the clerk's failed sign-ins, masked of passwords.
    _as(monkeypatch, "admin", "demo")
    capsys.readouterr()
    assert main(["audit", "--user", "小李", "--action", "login-failed", "--db", where]) == 0
    text = capsys.readouterr().out
    lines = [ln for ln in text.splitlines() if "小李" in ln]
    assert len(lines) == 2  # the old password once, disabled once
    assert "clerk-pass" not in text


def test_backup_then_damage_then_restore_gives_the_same_data(db, sqlite_only, monkeypatch,
                                                             capsys, tmp_path):
    rid = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                         db.actor)["id"]
    path = db.path
    db.close()
    assert main(["backup", "--db", str(path)]) == 0  # into the rotated folder beside it
    out = capsys.readouterr().out
    backup = next(p for p in (path.parent / f"{path.stem}.备份").glob("*.db"))
    assert str(backup) in out
    # A later change, then the file is damaged (a page overwritten).
    con = sqlite3.connect(path)
    con.execute("UPDATE communities SET name = '改过' WHERE id = ?", (rid,))
    con.commit()
    con.close()
    raw = bytearray(path.read_bytes())
    raw[4096:8192] = b"\xff" * 4096
    path.write_bytes(bytes(raw))
    assert main(["check", "--db", str(path)]) == 1
    capsys.readouterr()
    assert main(["restore", str(backup), "--db", str(path)]) == 0
    said = capsys.readouterr().out
    assert "原来的文件已保留为" in said
    con = sqlite3.connect(path)
    try:
        assert con.execute("SELECT name FROM communities WHERE id = ?", (rid,)).fetchone() \
            == ("甲社区",)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        actions = [r[0] for r in con.execute("SELECT action FROM audit_log")]
    finally:
        con.close()
    assert "db-restore" in actions  # its own action, not a record's ``restore``


def test_a_viewer_cannot_back_up_or_restore(db, sqlite_only, monkeypatch, capsys):
    from app.services import accounts
    from app.services.access import VIEWER
    accounts.create_account(db, db.actor, "查阅甲", VIEWER, "viewer-pass")
    path = db.path
    db.close()
    _as(monkeypatch, "查阅甲", "viewer-pass")
    assert main(["backup", "--db", str(path)]) == 1
    assert "无权备份" in capsys.readouterr().err
    assert not (path.parent / f"{path.stem}.备份").exists() or \
        not list((path.parent / f"{path.stem}.备份").glob("*手动*"))


def test_audit_since_a_day_in_the_future_shows_nothing(db, monkeypatch, capsys):
    import datetime as dt
    db.close()
    future = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert main(["audit", "--since", future, "--json", "--db", db.location]) == 0
    assert json.loads(capsys.readouterr().out or "[]") == []
    with pytest.raises(SystemExit) as exc:  # a usage error: argparse's status 2
        main(["audit", "--since", "昨天", "--db", db.location])
    assert exc.value.code == 2
    assert "日期应为 YYYY-MM-DD" in capsys.readouterr().err


def test_refusals_inside_a_signed_in_command_are_messages(db, monkeypatch, capsys):
    """``signed_in``: the services' refusals (no right, an account change refused) end each
    command with the Chinese message and status 1, never a traceback."""
    from app.services import accounts
    from app.services.access import CLERK
    accounts.create_account(db, db.actor, "录入甲", CLERK, "clerk-pass-1")
    db.close()
    where = db.location
    assert main(["users", "disable", "admin", "--db", where]) == 1
    assert capsys.readouterr().err == "错误：不能停用最后一个管理员\n"
    _as(monkeypatch, "录入甲", "clerk-pass-1")
    for argv, said in ((["audit"], "无权查看操作日志"), (["users", "list"], "无权管理账号"),
                       (["users", "enable", "admin"], "无权管理账号"),
                       (["encrypt"], "无权恢复")):
        assert main([*argv, "--db", where]) == 1
        err = capsys.readouterr().err
        assert err.startswith("错误：") and said in err and "Traceback" not in err


def test_audit_action_filter_tells_the_two_restores_apart(db, monkeypatch, capsys):
    import datetime as dt

    from app.services import audit
    from app.storage.schema import audit_log
    with db.begin() as conn:  # an older log, where both were ``restore``
        conn.execute(audit_log.insert(), [
            dict(at=dt.datetime(2026, 1, 1), actor="admin", register="", record_id=0,
                 action="restore", changes=json.dumps({"备份文件": "a.db"})),
            dict(at=dt.datetime(2026, 1, 2), actor="admin", register="people", record_id=3,
                 action="restore", changes=None)])
    audit.record(db, db.actor, audit.RESTORE, detail={"备份文件": "b.db"})
    db.close()
    assert main(["audit", "--action", "db-restore", "--db", db.location]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split("\t")[2] for ln in lines] == ["用备份恢复数据库", "恢复数据库"]
    assert main(["audit", "--action", "restore", "--db", db.location]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split("\t")[2] for ln in lines] == ["恢复"]
