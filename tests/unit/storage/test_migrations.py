"""Migrations: a fresh database is created at head, an older one is backed up then upgraded
with its data kept, a newer one is refused untouched, and the migrated schema is exactly what
the declarations say."""

import sqlite3

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.services import records
from app.storage import Database, DatabaseError, DatabaseTooNew, head_revision, metadata
from app.services.access import system


def test_fresh_database_is_created_at_head(tmp_path):
    db = Database(tmp_path / "new.db")
    assert db.revision == head_revision()
    assert db.backup_path is None
    with db.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_migrated_schema_matches_the_declarations(tmp_path):
    db = Database(tmp_path / "new.db")
    with db.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == [], diff


def test_upgrade_from_first_revision_keeps_data_and_backs_up(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path, to_revision="0001")
    assert old.revision == "0001"
    with old.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO communities (uuid, name, community_type, created_at, created_by,"
            " updated_at, updated_by) VALUES ('u-1', '老社区', '城市社区', '2020-01-01 00:00:00',"
            " 'x', '2020-01-01 00:00:00', 'x')"))
    old.close()
    db = Database(path)
    db.actor = system("测试")
    assert db.revision == head_revision()
    assert db.backup_path is not None and db.backup_path.exists()
    assert "0001" in db.backup_path.name
    con = sqlite3.connect(db.backup_path)
    assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    assert con.execute("SELECT name FROM communities").fetchone()[0] == "老社区"
    con.close()
    assert [r["name"] for r in records.list_rows(db, "communities")] == ["老社区"]
    # the upgrade brought the workflow steps as data
    assert records.next_steps(db, "consultations", None) == ("征集议题",)


def test_newer_database_is_refused_untouched(tmp_path):
    path = tmp_path / "future.db"
    Database(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_future'")
    con.commit()
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseTooNew, match="更新版本"):
        Database(path)
    assert path.read_bytes() == before


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE stuff (x)")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="不是社区治理台账的数据库"):
        Database(path)


def test_foreign_keys_enforced(db):
    with pytest.raises(sa.exc.IntegrityError):
        with db.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO compounds (uuid, name, community_id, created_at, created_by,"
                " updated_at, updated_by) VALUES ('u', 'x', 12345, '2020-01-01', 'x',"
                " '2020-01-01', 'x')"))


def test_damaged_file_is_refused_with_a_message(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"this is not a database, just some text" * 200)
    with pytest.raises(DatabaseError, match="不是数据库文件"):
        Database(path)


def test_revision_graph_read_without_alembic_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from app.storage.database import alembic_config, known_revisions
    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert set(known_revisions()) == {r.revision for r in script.walk_revisions()}


def test_opening_a_current_database_does_not_import_alembic(tmp_path):
    import subprocess
    import sys
    Database(tmp_path / "cur.db").close()
    code = ("import sys; from app.storage import Database; "
            f"Database(r'{tmp_path / 'cur.db'}'); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=str(__import__("pathlib").Path(__file__).parents[3]))
    assert out.stdout.strip() == "False"


def test_upgrade_to_0004_names_existing_meetings(tmp_path):
    path = tmp_path / "m.db"
    old = Database(path, to_revision="0003")
    stamp = "'2020-01-01 00:00:00', 'x', '2020-01-01 00:00:00', 'x'"
    with old.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO communities (id, uuid, name, community_type, created_at, created_by,"
            f" updated_at, updated_by) VALUES (1, 'c', '甲社区', '城市社区', {stamp})"))
        conn.execute(sa.text(
            "INSERT INTO party_orgs (id, uuid, name, org_type, community_id, created_at,"
            f" created_by, updated_at, updated_by) VALUES (1, 'o', '甲支部', '党支部', 1, {stamp})"))
        conn.execute(sa.text(
            "INSERT INTO party_meetings (id, uuid, org_id, meeting_type, held_at, topic,"
            " created_at, created_by, updated_at, updated_by) VALUES (1, 'm', 1, '党课',"
            f" '2025-03-05 14:30:00', '学习党章', {stamp})"))
    old.close()
    db = Database(path)
    db.actor = system("测试")
    assert records.get(db, "party_meetings", 1)["label"] == "2025-03-05 党课 学习党章"


def test_new_meeting_is_named_and_renamed_with_its_topic(demo_db):
    org = records.list_rows(demo_db, "party_orgs", limit=1)[0]
    m = records.create(demo_db, "party_meetings", {
        "org_id": org["id"], "meeting_type": "支委会", "held_at": "2026-03-01 09:30",
        "topic": "研究发展党员"}, system("测试"))
    assert m["label"] == "2026-03-01 支委会 研究发展党员"
    m = records.update(demo_db, "party_meetings", m["id"], {"topic": "民主评议"}, system("测试"))
    assert m["label"] == "2026-03-01 支委会 民主评议"
