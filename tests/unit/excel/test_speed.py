"""The fast paths of a big import compute exactly what the plain ones compute."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.validators import InvalidValue
from app.excel.columns import column_by_key
from app.excel.dbstate import fetch_dicts
from app.excel.normalize import Bad, _normaliser, normalise_column
from app.registry import get
from app.services import query

#: The day imports are judged on here (fixed: the test must not depend on the clock).
TODAY = dt.date(2025, 6, 1)


def _one_by_one(col, cells):
    fn = _normaliser(col)
    out = []
    for cell in cells:
        if cell == "" or cell is None:
            out.append(None)
            continue
        try:
            out.append(fn(cell))
        except InvalidValue as exc:
            out.append(("bad", str(exc)))
    return out


@pytest.mark.parametrize("register, key, cells", [
    # True == 1 == 1.0 in a dict: a mixed column must not share their results.
    ("compounds", "has_property", [True, 1.0, 1, "是", "否", False, 0.0, "", None, "也许", True]),
    ("compounds", "buildings_total", [1.0, True, 1, 0, False, "3", "三", 2.5, "", 1.0]),
    ("people", "birth_date", [dt.date(1990, 1, 2), "1990.01.02", "1990-1-2", "1990.13.02",
                              "1990/02/30", 32874.0, dt.datetime(1990, 1, 2, 8), "", "x"]),
    ("people", "phone", ["13800000000", "138 0000 0000", "1380000000", 13800000000.0, "",
                         "010-12345678", "１３８００００００００"]),
])
def test_column_at_once_equals_cell_by_cell(register, key, cells):
    col = column_by_key(register)[key]
    values, any_bad = normalise_column(col, cells)
    got = [("bad", v.message) if isinstance(v, Bad) else v for v in values]
    assert got == _one_by_one(col, cells)
    assert [type(v) for v in got] == [type(v) for v in _one_by_one(col, cells)]
    assert any_bad == any(isinstance(v, Bad) for v in values)


def test_fast_id_check_equals_the_validator():
    """The ID column's fast path (check digit in base 13) accepts exactly what
    ``normalize_id_number`` accepts, over random numbers with every check character."""
    import random

    from app.core.validators import normalize_id_number
    from tests.data.ids import check_char
    from app.excel.normalize import _fast_id
    rng = random.Random(5)
    cells = []
    for _ in range(3000):
        first17 = f"{rng.randrange(110000, 660000)}{rng.randrange(1900, 2030)}" \
                  f"{rng.randrange(1, 13):02d}{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
        cells.append(first17 + check_char(first17))
        cells.append(first17 + rng.choice("0123456789X"))
        cells.append(first17.lower() + "x")
    cells += ["11010519900101002a", "1101051990010100_2", "11010519900101002 ",
              "１１０１０５１９９００１０１００２３"]
    ok = 0
    for cell in cells:
        try:
            expected = normalize_id_number(cell, TODAY)
        except InvalidValue:
            expected = None
        fast = _fast_id(cell, TODAY)
        assert fast is None or fast == expected, cell  # never accepts what the validator refuses
        if expected == cell:
            assert fast == cell, cell  # and takes every clean valid number
            ok += 1
    assert ok > 3000
    # Born after the day the import is judged on: refused by both.
    late = "11010520250602001"  # born 2025-06-02
    assert _fast_id(late + check_char(late), TODAY) is None


def test_stored_rows_read_as_sqlalchemy_reads_them(demo_db):
    with demo_db.connect() as conn:
        for key in ("people", "party_members", "households", "mediation_cases"):
            stmt, _t, _a = query.base_select(get(key))
            plain = [dict(r) for r in conn.execute(stmt).mappings()]
            fast = fetch_dicts(conn, stmt)
            assert plain and fast == plain
            assert [list(r) for r in fast] == [list(r) for r in plain]


