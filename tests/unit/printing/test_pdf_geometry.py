"""Row heights and text positions measured in the written PDF (pdfplumber reads the rules and
glyphs back), against numbers worked by hand — not taken from the layout code.

House style, worked by hand: body text 五号 = 10.5 pt, line pitch 1.3 × 10.5 = 13.65 pt,
2.2 pt of padding above and below: a one-line row is 13.65 + 4.4 = 18.05 pt high, a
three-line row 3 × 13.65 + 4.4 = 45.35 pt.  A sign-in row leaves 9 mm for a signature:
9 × 72 / 25.4 = 25.51 pt.
"""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from app.printing.pdf import spec_to_pdf
from app.printing.signin import signin_spec
from app.printing.spec import Column, RosterSpec, Section
from app.services import records

ONE_LINE = 18.05
THREE_LINES = 45.35
PITCH = 13.65
SIGN_ROW = 9 * 72 / 25.4


def _rules(page) -> list[float]:
    """Tops of the horizontal rules that cross the whole table, top to bottom."""
    horizontal = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]
    widest = max(ln["x1"] - ln["x0"] for ln in horizontal)
    return sorted({round(ln["top"], 2) for ln in horizontal
                   if ln["x1"] - ln["x0"] > widest - 0.5})


def _words(page) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for w in page.extract_words():
        out.setdefault(w["text"], []).append(w)
    return out


def test_row_heights_measured_in_the_pdf(tmp_path):
    cols = [Column("姓名", 6), Column("情况", 10, wrap=False),
            Column("出生日期", 9, "center", wrap=False)]
    rows = [["张三", "一行", "1980-01-01"], ["李四", "第一行\n第二行\n第三行", "1981-02-02"],
            ["王五", "一行", "1982-03-03"]]
    spec = RosterSpec("测试名册", cols, [Section(rows)], office="和平街道",
                      printed_on=dt.date(2026, 1, 1))
    spec_to_pdf(spec, tmp_path / "r.pdf")
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        assert len(pdf.pages) == 1
        page = pdf.pages[0]
        rules = _rules(page)
        words = _words(page)
    heights = [b - a for a, b in zip(rules, rules[1:])]
    assert heights == pytest.approx([ONE_LINE, ONE_LINE, THREE_LINES, ONE_LINE], abs=0.05)
    # Each name sits inside its own row, and the three lines of 李四's cell are one pitch apart.
    for name, (top, bottom) in zip(("张三", "李四", "王五"), zip(rules[1:], rules[2:])):
        w = words[name][0]
        assert top < w["top"] < w["bottom"] < bottom, name
    tops = [words[t][0]["top"] for t in ("第一行", "第二行", "第三行")]
    assert [b - a for a, b in zip(tops, tops[1:])] == pytest.approx([PITCH, PITCH], abs=0.05)
    # Centred vertically: 李四 (one line) is in the middle of its three-line row.
    w = words["李四"][0]
    assert (w["top"] + w["bottom"]) / 2 == pytest.approx((rules[2] + rules[3]) / 2, abs=0.6)


def _table_rows(page) -> list[tuple[float, float]]:
    """(top, bottom) of every table row: bands between rules that a vertical rule crosses
    (the gap between two tables on one page has none)."""
    rules = _rules(page)
    verticals = [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01]
    return [(a, b) for a, b in zip(rules, rules[1:])
            if any(v["top"] <= a + 0.1 and v["bottom"] >= b - 0.1 for v in verticals)]


def test_sign_in_rows_leave_room_to_sign(demo_db, tmp_path):
    meeting = records.list_rows(demo_db, "party_meetings", limit=1)[0]
    spec = signin_spec(demo_db, meeting["id"], printed_on=dt.date(2026, 1, 1))
    spec_to_pdf(spec, tmp_path / "s.pdf")
    body_rows = 0
    with pdfplumber.open(tmp_path / "s.pdf") as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            footer = min(w["top"] for w in words if w["text"].startswith("主持人"))
            headers = [w["top"] for w in words if w["text"] == "签名"]
            for top, bottom in _table_rows(page):
                assert bottom < footer            # the table never runs into the footer
                if any(top < h < bottom for h in headers):
                    assert bottom - top == pytest.approx(ONE_LINE, abs=0.05)
                    continue
                assert bottom - top >= SIGN_ROW - 0.05, (top, bottom)
                body_rows += 1
    expected = len(spec.sections[0].rows) + len(spec.sections[1].rows) \
        + spec.sections[1].blank_rows
    assert body_rows == expected
