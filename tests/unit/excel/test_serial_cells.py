"""Date cells as Excel stores them: a serial number with a time of day, typed or pasted into a
column without a date format, lands on its own day (worked by hand: 43647 is 2019-07-01)."""

from __future__ import annotations

import datetime as dt

from app.excel.importer import plan_file
from tests.data import make_corpus as mc
from tests.data.ids import make_id


def test_serial_date_cells_with_a_time_keep_their_day(db, tmp_path):
    rows = [["早上", make_id("20190701", 11), 43647.25],     # 06:00
            ["傍晚", make_id("20190701", 21), 43647.75],     # 18:00
            ["深夜", make_id("20190701", 31), "43647.99"],   # a serial typed as text
            ["正午", make_id("20190701", 41), 43647]]
    path = mc.make_simple_people(tmp_path / "p.xlsx", rows,
                                 headers=("姓名", "公民身份号码", "出生日期"))
    plan = plan_file(db, "people", path)
    assert plan.counts["new"] == 4, [r.messages for r in plan.rows]
    assert [r.values["birth_date"] for r in plan.rows_with("new")] == [dt.date(2019, 7, 1)] * 4
