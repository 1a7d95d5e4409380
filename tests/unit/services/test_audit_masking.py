"""A full-number view's search text (and filter values) are logged with 身份证号 and mobile
numbers masked, as the log masks such fields; a search without one is logged as typed."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.services import accounts, audit, records
from app.storage.schema import audit_log
from tests.data.ids import make_id

IDN = make_id("19850312", "017", "320106")
MASKED_ID = IDN[:6] + "*" * 8 + IDN[14:]
MOBILE = "13912345678"
MASKED_MOBILE = "139****5678"


def _last(db) -> dict:
    with db.connect() as conn:
        row = conn.execute(sa.select(audit_log).order_by(audit_log.c.id.desc())).first()
    out = dict(row._mapping)
    out["changes"] = json.loads(out["changes"]) if out["changes"] else None
    return out


@pytest.fixture
def person(db):
    admin = accounts.sign_in(db, "admin", "demo")
    db.actor = admin
    comm = records.create(db, "communities", {"name": "甲社区", "community_type": "城市社区"},
                          admin)
    p = records.create(db, "people", {"name": "张三丰", "community_id": comm["id"],
                                      "id_number": IDN, "phone": MOBILE}, admin)
    return db, p


def test_a_search_by_a_full_id_number_is_logged_masked(person):
    db, p = person
    rows = records.list_rows(db, "people", search=IDN, reveal=True)
    assert [r["id"] for r in rows] == [p["id"]]  # the search itself still finds the person
    row = _last(db)
    assert row["action"] == audit.VIEW_FULL
    assert row["changes"]["查找"] == MASKED_ID
    assert IDN not in json.dumps(row["changes"], ensure_ascii=False)
    assert IDN[6:14] not in row["changes"]["查找"]  # not even the birth date
    # A filter on the number (the same detail) is masked too.
    records.list_rows(db, "people", filters={"id_number": IDN}, reveal=True)
    row = _last(db)
    assert row["changes"]["筛选"] == {"id_number": MASKED_ID}
    assert IDN not in json.dumps(row["changes"], ensure_ascii=False)


def test_numbers_within_a_longer_search_are_masked_and_the_rest_kept(person):
    db, _p = person
    records.list_rows(db, "people", search=f"张三丰 {MOBILE}", reveal=True)
    assert _last(db)["changes"]["查找"] == f"张三丰 {MASKED_MOBILE}"
    # Typed with full-width digits: masked all the same.
    full_width = IDN[:17].translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}) + IDN[17]
    records.list_rows(db, "people", search=full_width, reveal=True)
    logged = _last(db)["changes"]["查找"]
    assert logged == MASKED_ID and IDN[6:14] not in logged


def test_a_search_by_a_name_is_logged_as_typed(person):
    db, p = person
    rows = records.list_rows(db, "people", search="张三丰", reveal=True)
    assert [r["id"] for r in rows] == [p["id"]]
    assert _last(db)["changes"]["查找"] == "张三丰"
    records.list_rows(db, "people", search="３号楼 2单元", reveal=True)  # no number in it
    assert _last(db)["changes"]["查找"] == "３号楼 2单元"
