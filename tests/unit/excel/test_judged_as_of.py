"""An import is judged as of a given day, not the machine's clock: an ID number whose birth
date is after that day is refused, one born that day is taken (clean text takes the fast
path, a full-width or spaced one the validator: both are checked)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.excel.importer import plan_file
from tests.data import make_corpus as mc
from tests.data.ids import make_id


@pytest.mark.parametrize("today", [dt.date(2025, 6, 1), dt.date(2028, 2, 29)])
def test_birth_after_the_day_of_the_import_is_refused(db, tmp_path, today):
    tomorrow = today + dt.timedelta(days=1)
    fw = str.maketrans("0123456789", "０１２３４５６７８９")
    rows = [["今天生", make_id(f"{today:%Y%m%d}", 12)],
            ["明天生", make_id(f"{tomorrow:%Y%m%d}", 22)],
            ["全角今天", make_id(f"{today:%Y%m%d}", 32).translate(fw)],
            ["全角明天", make_id(f"{tomorrow:%Y%m%d}", 42).translate(fw)]]
    path = mc.make_simple_people(tmp_path / "p.xlsx", rows)
    plan = plan_file(db, "people", path, today=today)
    status = {r.values.get("name") or r.row: r.status for r in plan.rows}
    assert [r.status for r in sorted(plan.rows, key=lambda r: r.row)] == \
        ["new", "invalid", "new", "invalid"], status
    bad = [m for r in plan.rows_with("invalid") for m in r.messages]
    assert all(f"{tomorrow:%Y-%m-%d} 不合理" in m for m in bad), bad
