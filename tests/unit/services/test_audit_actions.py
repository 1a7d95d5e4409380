"""The security settings have audit actions of their own (修改安全设置, 生成新的恢复密钥) that
the 操作 filter and ``taizhang audit --action`` find, while older rows written as
``account``/``encrypt`` read as before."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa

from app.cli import main
from app.services import accounts, audit, security
from app.services.access import system
from app.storage import Database, cipher, keyslots
from app.storage.schema import audit_log

ADMIN = system("admin")


def _last(db) -> dict:
    with db.connect() as conn:
        row = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    out = dict(row._mapping)
    out["changes"] = json.loads(out["changes"]) if out["changes"] else None
    return out


def _cli_audit(location, action, capsys) -> list[dict]:
    assert main(["audit", "--json", "--action", action, "--db", str(location)]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_new_actions_have_labels_and_are_offered_in_the_filter():
    choices = dict(audit.action_choices())
    assert choices[audit.SECURITY] == "修改安全设置"
    assert choices[audit.RECOVERY_KEY] == "生成新的恢复密钥"
    assert len(set(choices.values())) == len(choices)  # no two choices read the same


def test_the_idle_time_is_logged_as_a_security_setting(db, capsys):
    security.set_idle_minutes(db, ADMIN, 30)
    row = _last(db)
    assert row["action"] == audit.SECURITY == "security"
    assert audit.action_label(row) == "修改安全设置"
    assert row["changes"]["原值"] == 15 and row["changes"]["新值"] == 30
    found = audit.read(db, ADMIN, actions=[audit.SECURITY])
    assert [r["id"] for r in found] == [row["id"]]
    assert audit.read(db, ADMIN, actions=[audit.ACCOUNT]) == []  # no longer 账号管理
    assert [r["id"] for r in audit.read(db, ADMIN, search="安全设置")] == [row["id"]]
    printed = _cli_audit(db.location, "security", capsys)
    assert [r["id"] for r in printed] == [row["id"]]
    assert main(["audit", "--action", "security", "--db", str(db.location)]) == 0
    assert "修改安全设置" in capsys.readouterr().out


def test_older_rows_read_as_they_did(db):
    """Rows written before the actions existed keep their action and its label."""
    at = dt.datetime(2026, 1, 2, 9, 0)
    with db.begin() as conn:
        for action, detail in (
                (audit.ACCOUNT, {"修改设置": "空闲锁定时间（分钟，0 为不锁定）",
                                 "原值": 15, "新值": 30}),
                (audit.ENCRYPT, {"操作": "生成新的恢复密钥", "原恢复密钥": "已失效"})):
            conn.execute(audit_log.insert().values(
                at=at, actor="admin", action=action, register="", record_id=0,
                changes=json.dumps(detail, ensure_ascii=False)))
    old_account = audit.read(db, ADMIN, actions=[audit.ACCOUNT])
    old_encrypt = audit.read(db, ADMIN, actions=[audit.ENCRYPT])
    assert [audit.action_label(r) for r in old_account] == ["账号管理"]
    assert [audit.action_label(r) for r in old_encrypt] == ["加密数据库"]
    assert audit.read(db, ADMIN, actions=[audit.SECURITY, audit.RECOVERY_KEY]) == []


@pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")
def test_a_new_recovery_key_is_logged_as_such(tmp_path, sqlite_only, monkeypatch, capsys):
    keyslots.forget_all()
    path = tmp_path / "加密.db"
    db = Database(path, encrypt=True)
    try:
        accounts.create_first_admin(db, "admin", "secret-1")
        admin = accounts.sign_in(db, "admin", "secret-1")
        code = security.new_recovery_key(db, admin, "secret-1")
        row = _last(db)
        assert row["action"] == audit.RECOVERY_KEY == "recovery-key"
        assert audit.action_label(row) == "生成新的恢复密钥"
        assert code not in json.dumps(row["changes"], ensure_ascii=False)
        assert [r["id"] for r in audit.read(db, admin, actions=[audit.RECOVERY_KEY])] == \
            [row["id"]]
        assert audit.read(db, admin, actions=[audit.ENCRYPT]) == []  # not 加密数据库
        monkeypatch.setenv("TAIZHANG_PASSWORD", "secret-1")
        printed = _cli_audit(path, "recovery-key", capsys)
        assert [r["id"] for r in printed] == [row["id"]]
    finally:
        db.close()
        keyslots.forget_all()
