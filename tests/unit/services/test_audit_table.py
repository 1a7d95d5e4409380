"""The audit log as the 操作日志 viewer reads it (app/services/audit.py): each row's texts
with numbers masked and records named, undo markers as one action, the names in the log, and
that only administrators read any of it."""

from __future__ import annotations

import pytest

from app.excel.audit_log import export_audit
from app.services.access import CLERK, VIEWER, Actor, PermissionDenied
from app.services import audit, records
from app.services.access import system
from tests.data.ids import make_id

ZHANG = system("张三")
IDN = make_id("19800101", "011", "320106")


def _person(db, name="日志甲", idn=IDN, by=ZHANG):
    return records.create(db, "people", {"name": name, "id_number": idn,
                                         "phone": "13812345678"}, by)


def test_audit_rows_as_text_mask_numbers_and_name_records(db):
    db.actor = ZHANG
    p = _person(db)
    records.update(db, "people", p["id"], {"phone": "13900001111"}, ZHANG)
    rows = audit.read(db, ZHANG, register="people")
    titles = audit.record_titles(db, ZHANG, rows)
    texts = [audit.row_texts(r, titles) for r in rows]
    update, create = texts
    assert update[1:5] == ("张三", "修改", "人员信息", f"日志甲（编号 {p['id']}）")
    assert update[5] == "联系电话：138****5678 → 139****1111"
    assert create[2] == "新增" and IDN not in create[5] and IDN[:6] in create[5]
    assert audit.COLUMNS == ("时间", "账号", "操作", "台账", "记录", "内容")


def test_undo_markers_read_as_one_action(db):
    db.actor = ZHANG
    audit.record(db, ZHANG, "undo 7", register="people", record_id=1, detail={"rows": [8]})
    assert [r["action"] for r in audit.read(db, ZHANG, actions=["undo"])] == ["undo 7"]
    texts = audit.row_texts(audit.read(db, ZHANG, limit=1)[0])
    assert texts[2] == "撤销（第 7 条）" and "8" in texts[5]


@pytest.mark.parametrize("role", [VIEWER, CLERK])
def test_only_administrators_read_or_export_the_log(db, tmp_path, role):
    who = Actor("某人", role)
    db.actor = who
    for call in (lambda: audit.read(db, who), lambda: audit.actors(db, who),
                 lambda: audit.record_titles(db, who, []),
                 lambda: export_audit(db, tmp_path / "x.xlsx", [])):
        with pytest.raises(PermissionDenied, match="无权查看操作日志"):
            call()
    assert not (tmp_path / "x.xlsx").exists()
