"""Our own export, imported again untouched, changes nothing — also when the database holds
text stored before cleaning (an older version, a direct edit): full-width letters and digits,
U+3000 and trailing spaces.  The workbook shows that text; the import cleans it; the cleaned
text is the same text, so no one sees an edit nobody made."""

from __future__ import annotations

import sqlalchemy as sa

from app.excel.importer import plan_file
from app.excel.writer import export_register
from app.services import records
from app.storage.schema import TABLES


def test_text_differing_only_by_cleaning_is_unchanged(demo_db, tmp_path):
    members = records.list_rows(demo_db, "party_members", limit=3)
    dirty = {members[0]["id"]: "\u3000ＡＢＣ科技有限公司１２３ ",
             members[1]["id"]: "社区卫生服务中心\u00a0",
             members[2]["id"]: "第２网格\u200b"}
    t = TABLES["party_members"]
    with demo_db.engine.begin() as conn:
        for rid, text in dirty.items():
            conn.execute(sa.update(t).where(t.c.id == rid).values(work_unit=text))
        # The member's person too (the export shows the person's name beside the member's).
        p = TABLES["people"]
        conn.execute(sa.update(p).where(p.c.id == members[0]["person_id"])
                     .values(name=members[0]["person_name"] + "\u3000"))
    path = export_register(demo_db, "party_members", tmp_path / "pm.xlsx").path
    plan = plan_file(demo_db, "party_members", path)
    n = records.count(demo_db, "party_members")
    assert plan.counts["unchanged"] == n, [(r.row, [(c.before, c.after) for c in r.changes])
                                           for r in plan.rows_with("update")]
    assert plan.counts["update"] == 0 and plan.counts["conflict"] == 0
