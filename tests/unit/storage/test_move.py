"""Moving an office's file to the server (``taizhang move-to``) and backups (``taizhang
backup``), issue 14.  The server tests need TAIZHANG_TEST_PG (the CI's PostgreSQL pass)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.cli import main
from app.services import records
from app.storage import Database, pg
from app.storage.move import MoveError, move_to_server, table_checksum
from app.storage.schema import TABLES, audit_log, workflow_events
from app.services.access import system
from tests.conftest import add_admin


def _signed(db: Database) -> Database:
    db.actor = system("测试")
    return db


def _office_file(path: Path) -> dict:
    """A small office on a file: places, an organisation tree (a parent created after its
    child), people, a case moved on, a deleted and restored record, an edited one."""
    db = Database(path)
    add_admin(db)  # the CLI signs in as admin/demo
    street = records.create(db, "streets", {"name": "和平街道"}, system("甲"))
    comm = records.create(db, "communities", {"name": "东风社区", "street_id": street["id"],
                                               "community_type": "城市社区"}, system("甲"))
    child = records.create(db, "party_orgs", {"name": "第一支部", "org_type": "党支部",
                                              "community_id": comm["id"]}, system("甲"))
    parent = records.create(db, "party_orgs", {"name": "东风社区党委", "org_type": "党委",
                                               "community_id": comm["id"]}, system("甲"))
    records.update(db, "party_orgs", child["id"], {"parent_id": parent["id"]}, system("乙"))
    person = records.create(db, "people", {"name": "张三", "id_number": "11010519491231002X"},
                            system("甲"))
    case = records.create(db, "mediation_cases", {
        "community_id": comm["id"], "category": "邻里纠纷", "applicant_id": person["id"],
        "summary": "噪音", "received_on": "2026-03-01"}, system("甲"))
    records.advance(db, "mediation_cases", case["id"], "调解中", system("乙"), dt.date(2026, 3, 2))
    records.soft_delete(db, "people", person["id"], system("甲"), "测试")
    records.restore(db, "people", person["id"], system("甲"))
    db.close()
    return {"child": child["id"], "parent": parent["id"], "case": case["id"],
            "person": person["id"]}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_office_file_moves_with_every_row_verified_and_the_file_untouched(
        tmp_path, pg_databases):
    source = tmp_path / "office.db"
    ids = _office_file(source)
    before = _digest(source)
    target = pg_databases.url(pg_databases.create())
    lines = []
    moved = move_to_server(source, target, progress=lines.append)
    assert moved.ok and moved.rows > 20
    assert {t.name for t in moved.tables} >= {"audit_log", "workflow_events", "import_batches",
                                              "people", "party_orgs"}
    assert _digest(source) == before
    server = _signed(Database(target))
    try:
        assert records.get(server, "party_orgs", ids["child"])["parent_id"] == ids["parent"]
        assert records.get(server, "mediation_cases", ids["case"])["step"] == "调解中"
        assert records.get(server, "people", ids["person"])["version"] == 3
        with server.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)
                                ).scalar() == 10  # 6 new, edit, step, delete, restore
            assert conn.execute(sa.select(sa.func.count()).select_from(workflow_events)
                                ).scalar() == 2
        assert server.integrity_check() == []
        # The id sequences went past the copied ids: new records get new ids.
        new = records.create(server, "streets", {"name": "新街道"}, system("丙"))
        assert new["id"] == 2
        # A case numbered on the server continues the year's numbers from the file.
        assert records.create(server, "mediation_cases", {
            "community_id": 1, "category": "邻里纠纷", "summary": "漏水",
            "applicant_id": ids["person"], "received_on": "2026-04-01"}, system("丙")
        )["case_no"] == "2026-0002"
        # Changing a row on one side is what the checksum sees.
        with server.begin() as conn:
            conn.execute(TABLES["streets"].update().where(TABLES["streets"].c.id == 1)
                         .values(name="改过"))
        with server.connect() as a:
            after = table_checksum(a, TABLES["streets"])
        streets = next(t for t in moved.tables if t.name == "streets")
        assert after[1] != streets.sum_server
    finally:
        server.close()


def test_moving_into_a_database_with_data_is_refused_and_nothing_is_kept(
        tmp_path, pg_databases):
    source = tmp_path / "office.db"
    _office_file(source)
    target = pg_databases.url(pg_databases.create())
    server = _signed(Database(target))
    records.create(server, "streets", {"name": "服务器上已有的街道"}, system("丙"))
    server.close()
    with pytest.raises(MoveError, match="已有数据"):
        move_to_server(source, target)
    server = _signed(Database(target))
    try:
        assert [r["name"] for r in records.list_rows(server, "streets")] == ["服务器上已有的街道"]
    finally:
        server.close()


def test_an_older_file_is_upgraded_in_the_copy_only(tmp_path, pg_databases):
    source = tmp_path / "old.db"
    Database(source, to_revision="0005").close()
    before = _digest(source)
    moved = move_to_server(source, pg_databases.url(pg_databases.create()))
    assert moved.ok
    assert _digest(source) == before
    assert not list(tmp_path.glob("*备份*"))  # no backup needed: the file was not upgraded


def test_move_to_command(tmp_path, pg_databases, capsys):
    source = tmp_path / "office.db"
    _office_file(source)
    before = _digest(source)
    target = pg_databases.url(pg_databases.create())
    assert main(["move-to", "--db", str(source), target]) == 0
    assert _digest(source) == before  # the sign-in wrote nothing to the file
    out = capsys.readouterr().out
    assert "全部核对一致" in out and "原文件未改动" in out
    assert main(["move-to", "--db", target, target]) == 2
    assert main(["check", "--db", target]) == 0


def test_server_backup_with_pg_dump(tmp_path, pg_databases, capsys):
    target = pg_databases.url(pg_databases.create())
    server = _signed(Database(target))
    add_admin(server)  # the CLI signs in as admin/demo
    records.create(server, "streets", {"name": "和平街道"}, system("甲"))
    server.close()
    out = tmp_path / "server.dump"
    assert main(["backup", "--db", target, "--out", str(out)]) == 0
    assert out.read_bytes()[:5] == b"PGDMP"
    assert "pg_restore" in capsys.readouterr().out


def test_server_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pg, "find_tool", lambda name: None)
    code = main(["backup", "--db", "postgresql://someone@127.0.0.1:1/nothing",
                 "--out", str(tmp_path / "x.dump")])
    assert code == 1
    err = capsys.readouterr().err
    assert "找不到 pg_dump" in err and "postgresql-client" in err
    assert not (tmp_path / "x.dump").exists()


def test_file_backup(tmp_path, capsys):
    source = tmp_path / "office.db"
    _office_file(source)
    out = tmp_path / "copy.db"
    assert main(["backup", "--db", str(source), "--out", str(out)]) == 0
    copy = _signed(Database(out))
    try:
        assert [r["name"] for r in records.list_rows(copy, "streets")] == ["和平街道"]
    finally:
        copy.close()


def test_copy_between_files_verifies_every_table(tmp_path):
    """The copy and its verification, file to file (the server pass moves to a server)."""
    from app.storage.move import copy_database
    src_path = tmp_path / "office.db"
    ids = _office_file(src_path)
    src, dst = _signed(Database(src_path)), _signed(Database(tmp_path / "copy.db"))
    try:
        said = []
        moved = copy_database(src, dst, said.append)
        assert moved.ok and "  people: 1 行" in said
        assert records.get(dst, "party_orgs", ids["child"])["parent_id"] == ids["parent"]
        # Not into a database that already has records.
        with pytest.raises(MoveError, match="已有数据"):
            copy_database(src, dst)
        with dst.begin() as conn:
            conn.execute(TABLES["streets"].update().values(name="改过"))
        with src.connect() as a, dst.connect() as b:
            assert table_checksum(a, TABLES["streets"]) != table_checksum(b, TABLES["streets"])
    finally:
        src.close()
        dst.close()
    old = Database(tmp_path / "old.db", to_revision="0005")
    new = Database(tmp_path / "new.db")
    try:
        with pytest.raises(MoveError, match="结构版本不同"):
            copy_database(old, new)
    finally:
        old.close()
        new.close()
