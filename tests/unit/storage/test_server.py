"""A server database (issue 14): addresses, messages, and the server's versions of the checks
the file has.  Those that need a server run in the PostgreSQL pass (TAIZHANG_TEST_PG)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from app.paths import is_server_address, location_arg
from app.services import records
from app.storage import Database, DatabaseError, DatabaseTooNew, pg
from app.storage.schema import TABLES


def test_addresses_are_told_from_files():
    assert is_server_address("postgresql://u@h:5432/db")
    assert is_server_address("POSTGRES://u@h/db")
    assert is_server_address("postgresql+psycopg://u@h/db")
    assert not is_server_address("台账.db") and not is_server_address(Path("x.db"))
    assert not is_server_address("mysql://u@h/db")
    assert location_arg("postgresql://u@h/db") == "postgresql://u@h/db"
    assert location_arg("a/b.db") == Path("a/b.db")


def test_the_password_is_never_shown_nor_remembered():
    url = pg.parse("postgresql://街道@10.0.0.5:5433/taizhang", "秘密")
    assert url.password == "秘密" and url.drivername == "postgresql+psycopg"
    assert pg.display(url) == "postgresql://%E8%A1%97%E9%81%93@10.0.0.5:5433/taizhang"
    assert pg.display("postgresql://a:b@h/d") == "postgresql://a@h/d"
    assert pg.short_name(url) == "taizhang@10.0.0.5"
    assert pg.backup_name(url, "手动").startswith("taizhang.备份-手动-")
    args, env = pg._libpq_env(url)
    assert "秘密" not in " ".join(args) and env["PGPASSWORD"] == "秘密"
    assert args[:4] == ["--host", "10.0.0.5", "--port", "5433"]


@pytest.mark.parametrize("text, why", [
    ("password authentication failed for user \"x\"", "用户名或密码不对"),
    ("database \"nothing\" does not exist", "服务器上没有数据库 nothing"),
    ("connection refused", "连不上服务器"),
    ("something else", "服务器拒绝了连接"),
])
def test_connection_failures_are_said_in_chinese(text, why):
    url = pg.parse("postgresql://x:pw@h/nothing")
    message = pg.connect_error(url, RuntimeError(text))
    assert why in message and "pw" not in message.replace("password", "")


def test_an_unreachable_server_is_refused_with_a_message():
    with pytest.raises(DatabaseError, match="连不上服务器"):
        Database("postgresql://someone@127.0.0.1:1/nothing")


def test_advisory_lock_keys_are_stable_and_63_bit():
    assert pg._key("case_no") == pg._key("case_no") != pg._key("party_households")
    assert 0 <= pg._key("x") < 2 ** 63


def test_pg_dump_is_found_on_path_or_in_debians_folders(monkeypatch, tmp_path):
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    found = pg.find_tool("pg_dump")
    assert found is None or "/usr/lib/postgresql/" in found
    monkeypatch.setattr(pg.shutil, "which", lambda name: f"/opt/{name}")
    assert pg.find_tool("pg_dump") == "/opt/pg_dump"


# -- on a server ---------------------------------------------------------------------------------

def test_a_server_database_is_checked_like_a_file(db, pg_only):
    assert db.is_server and db.path is None
    assert db.integrity_check() == [] and db.integrity_result() == "ok"
    # A sequence behind the ids stored (a hand-made copy) is reported.
    with db.begin() as conn:
        conn.execute(TABLES["streets"].insert().values(
            id=50, uuid="u", name="手工", created_at=sa.func.now(), created_by="x",
            updated_at=sa.func.now(), updated_by="x"))
    assert any("编号序列落后" in p for p in db.integrity_check())
    with db.begin() as conn:
        pg.reset_sequences(conn, TABLES["streets"].metadata)
    assert db.integrity_check() == []
    assert records.create(db, "streets", {"name": "新"}, "t")["id"] == 51


def test_a_newer_or_foreign_server_database_is_refused_untouched(pg_databases, pg_only):
    newer = pg_databases.url(pg_databases.create())
    Database(newer).close()
    engine = sa.create_engine(pg.parse(newer))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        Database(newer)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() \
            == "9999_future"
    engine.dispose()
    foreign = pg_databases.url(pg_databases.create())
    engine = sa.create_engine(pg.parse(foreign))
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE stuff (x int)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="不是社区治理台账的数据库"):
        Database(foreign)


def test_an_older_server_database_is_upgraded(pg_databases, pg_only, tmp_path, monkeypatch):
    monkeypatch.setenv("TAIZHANG_HOME", str(tmp_path))
    old = pg_databases.url(pg_databases.create())
    Database(old, to_revision="0005").close()
    db = Database(old)
    try:
        from app.storage import head_revision
        assert db.revision == head_revision()
        assert db.backup_path is not None and db.backup_path.exists()  # pg_dump first
    finally:
        db.close()
