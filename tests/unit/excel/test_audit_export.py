"""The 操作日志 exported (app/excel/audit_log.py): the workbook holds exactly the rows given,
as the viewer shows them; a CSV cannot smuggle a formula; the export is itself audited."""

from __future__ import annotations

import openpyxl

from app.excel.audit_log import export_audit
from app.services import audit, records
from app.services.access import system
from tests.data.ids import make_id

ZHANG = system("张三")
IDN = make_id("19800101", "011", "320106")


def _person(db, name="日志甲", idn=IDN, by=ZHANG):
    return records.create(db, "people", {"name": name, "id_number": idn,
                                         "phone": "13812345678"}, by)


def test_audit_export_writes_the_rows_and_is_audited(db, tmp_path):
    db.actor = ZHANG
    _person(db)
    rows = audit.read(db, ZHANG, user="张三")
    titles = audit.record_titles(db, ZHANG, rows)
    out = tmp_path / "日志.xlsx"
    assert export_audit(db, out, rows, titles=titles, filters="账号：张三") == len(rows)
    ws = openpyxl.load_workbook(out).active
    got = [tuple(c or "" for c in r) for r in ws.iter_rows(min_row=3, values_only=True)]
    assert got == [audit.row_texts(r, titles) for r in rows]
    assert [c.value for c in ws[2]] == list(audit.COLUMNS)
    last = audit.read(db, ZHANG, limit=1)[0]
    assert last["action"] == "export" and last["changes"]["内容"] == "操作日志"
    assert last["changes"]["行数"] == len(rows)


def test_audit_export_csv_neutralises_formulas(db, tmp_path):
    db.actor = ZHANG
    audit.record(db, "=HYPERLINK(\"x\")", audit.LOGIN_FAILED, detail={"原因": "没有此账号"})
    rows = audit.read(db, ZHANG, actions=[audit.LOGIN_FAILED])
    out = tmp_path / "日志.csv"
    export_audit(db, out, rows)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == ",".join(audit.COLUMNS)
    assert "'=HYPERLINK" in text
