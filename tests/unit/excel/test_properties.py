"""Properties of the Excel exchange over generated input (hypothesis): a header however
decorated maps to its column, a column order never changes the mapping, and our own export of
arbitrary valid records, imported again, changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.excel import mapping
from app.excel.columns import excel_columns
from app.excel.importer import plan_file
from app.excel.writer import export_register
from app.registry import REGISTERS, get
from app.services import records
from tests.data.ids import make_id
from app.services.access import system

TODAY = dt.date(2026, 11, 25)
ASCII_FULL = {c: chr(ord(c) + 0xFEE0) for c in
              "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz()/:-"}

headers = st.sampled_from([(reg.key, h) for reg in REGISTERS for c in excel_columns(reg.key)
                           for h in c.headers])


@st.composite
def decorated(draw, header: str):
    """A header as district templates write it: line breaks and spaces inside, full-width
    letters and brackets, a required-mark, a trailing colon, a bracketed hint."""
    s = "".join(ASCII_FULL.get(ch, ch) if draw(st.booleans()) else ch for ch in header) \
        if draw(st.booleans()) else header
    if len(s) > 1 and draw(st.booleans()):
        cut = draw(st.integers(1, len(s) - 1))
        s = s[:cut] + draw(st.sampled_from(["\n", " ", "\u3000", "\r\n", "\t"])) + s[cut:]
    if draw(st.booleans()):
        s = draw(st.sampled_from(["*", "＊"])) + s if draw(st.booleans()) else s + "*"
    has_brackets = any(b in header for b in "()（）[]【】<>《》")
    if not has_brackets and draw(st.booleans()):
        hint = draw(st.text(st.sampled_from("格式如年月日必填选一个0123456789-./"), max_size=8))
        s += draw(st.sampled_from(["（{}）", "({})", "【{}】"])).format(hint)
    if draw(st.booleans()):
        s += draw(st.sampled_from(["：", ":"]))
    return s


@given(headers, st.data())
def test_a_decorated_header_maps_to_its_column(pair, data):
    key, header = pair
    index = mapping.synonym_index(key)
    expected = index[mapping.norm_header(header)]  # a label wins over another's synonym
    assert mapping.lookup_header(index, data.draw(decorated(header))) == expected


@given(st.sampled_from([r.key for r in REGISTERS]), st.randoms(use_true_random=False),
       st.data())
def test_column_order_does_not_change_the_mapping(key, rnd, data):
    cols = list(excel_columns(key))
    rnd.shuffle(cols)
    shown = [data.draw(decorated(c.label)) for c in cols]
    assert mapping.auto_map(key, shown) == [c.key for c in cols]


# -- export → import round trip --------------------------------------------------------------
PEOPLE = get("people")
CHOICES = {f.key: f.choices for f in PEOPLE.fields if f.choices}
name_chars = st.sampled_from("张王李赵钱孙欧阳明月华丽伟芳娜敏静·" "=+-@'ABCxyz0123 （）")
note_chars = st.sampled_from("楼上漏水需回访=+-@'\t\n ABC123，。：；！？“”")


@st.composite
def people(draw):
    """Valid 人员 rows with every kind of field: text that starts like a formula, choices,
    dates, an ID number matching birth date and gender, a phone, several tags, a note."""
    n = draw(st.integers(1, 6))
    out = []
    for i in range(n):
        birth = draw(st.dates(dt.date(1920, 1, 1), TODAY))
        gender = draw(st.sampled_from(["男", "女"]))
        seq = draw(st.integers(0, 49)) * 20 + i * 2 + (gender == "男")
        row = {"name": draw(st.text(name_chars, min_size=1, max_size=12)).strip() or "甲",
               "gender": gender, "birth_date": birth,
               "id_number": make_id(f"{birth:%Y%m%d}", seq) if draw(st.booleans()) else None,
               "phone": draw(st.one_of(st.none(), st.from_regex(r"1[3-9][0-9]{9}",
                                                                  fullmatch=True))),
               "ethnicity": draw(st.sampled_from(CHOICES["ethnicity"])),
               "education": draw(st.one_of(st.none(), st.sampled_from(CHOICES["education"]))),
               "tags": draw(st.lists(st.sampled_from(CHOICES["tags"]), unique=True,
                                     max_size=3)),
               "note": draw(st.one_of(st.none(), st.text(note_chars, max_size=30)))}
        out.append(row)
    return out


@pytest.fixture(scope="module")
def empty_db_file(tmp_path_factory) -> Path:
    from app.storage import Database
    path = tmp_path_factory.mktemp("empty") / "empty.db"
    Database(path).close()
    return path


@settings(max_examples=20)
@given(rows=people())
def test_export_then_import_of_valid_records_changes_nothing(empty_db_file, rows):
    from app.storage import Database
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.db"
        shutil.copyfile(empty_db_file, path)
        db = Database(path)
        db.actor = system("测试")
        try:
            for row in rows:
                records.create(db, "people", row, db.actor, today=TODAY)
            before = records.list_rows(db, "people", reveal=True)
            out = export_register(db, "people", Path(tmp) / "p.xlsx").path
            plan = plan_file(db, "people", out, today=TODAY)
            assert plan.counts["unchanged"] == len(rows), [
                (r.row, r.status, r.messages, [(c.label, c.before, c.after) for c in r.changes])
                for r in plan.rows if r.status != "unchanged"]
            assert len(plan.rows) == len(rows)
            assert records.list_rows(db, "people", reveal=True) == before
        finally:
            db.close()


# -- value aliases ---------------------------------------------------------------------------
ALIASED = [(reg.key, c.key, word, choice) for reg in REGISTERS for c in excel_columns(reg.key)
           if c.target is not None and c.kind in ("choice", "multi")
           for word, choice in c.target.aliases]


def test_registers_declare_value_aliases():
    assert len(ALIASED) >= 10      # 本科/大专, 成功/失败 …: the property below has cases


@given(st.sampled_from(ALIASED), st.data())
def test_an_alias_however_typed_stores_the_declared_choice(case, data):
    from app.excel.columns import column_by_key
    from app.excel.normalize import Bad, normalise_column
    key, col_key, word, choice = case
    col = column_by_key(key)[col_key]
    pad = st.sampled_from(["", " ", "\u3000", "\u200b"])
    typed = data.draw(pad) + word + data.draw(pad)
    [value], bad = normalise_column(col, [typed], TODAY)
    assert not bad and not isinstance(value, Bad)
    assert value == choice or (col.kind == "multi" and value.split("、") == [choice])
    # and the declared choice itself is taken as it is
    [same], _ = normalise_column(col, [choice], TODAY)
    assert same == choice


@given(st.sampled_from([(reg.key, c.key) for reg in REGISTERS for c in excel_columns(reg.key)
                        if c.target is not None and c.kind == "choice"]),
       st.text(st.sampled_from("甲乙丙丁其他未知xyz"), min_size=1, max_size=6))
def test_a_word_that_is_neither_choice_nor_alias_is_refused_with_the_choices(case, word):
    from app.excel.columns import column_by_key
    from app.excel.normalize import Bad, normalise_column
    key, col_key = case
    col = column_by_key(key)[col_key]
    if col.target.resolve_choice(word) is not None:
        return
    [value], bad = normalise_column(col, [word], TODAY)
    assert bad and isinstance(value, Bad)
    assert value.message.startswith(f"“{word}”不是可选值；可选：")
    assert "、".join(col.target.choices) in value.message
