"""Page furniture and alignment measured in the written PDF (pdfplumber), against A4 and the
15 mm margins worked out by hand: A4 is 210 × 297 mm = 595.28 × 841.89 pt, 15 mm = 42.52 pt,
so the text area runs from x = 42.52 to x = 552.76 on a portrait page."""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from app.printing.layout import layout
from app.printing.pdf import spec_to_pdf
from app.printing.spec import Column, RosterSpec, Section

PAGE_W, PAGE_H = 595.28, 841.89
LEFT, RIGHT = 42.52, 595.28 - 42.52


def _pdf(tmp_path, spec):
    path = tmp_path / "r.pdf"
    spec_to_pdf(spec, path)
    pdf = pdfplumber.open(path)
    return pdf


def _lines_of_text(page):
    """Each printed line: (text without spaces, x0, x1, top)."""
    out = []
    for line in page.extract_text_lines():
        out.append(("".join(line["text"].split()), line["x0"], line["x1"], line["top"]))
    return out


def _find(lines, start):
    return next(x for x in lines if x[0].startswith(start))


def _spec(**kw):
    cols = kw.pop("columns", [Column("姓名", 6), Column("金额", 6, "right", wrap=False)])
    rows = kw.pop("rows", [["张三", "12"], ["李四", "3456"]])
    return RosterSpec("测试名册", cols, kw.pop("sections", [Section(rows)]), office="和平街道",
                      printed_on=dt.date(2026, 1, 2), **kw)


def test_title_and_page_number_are_centred_signatures_at_the_margin(tmp_path):
    with _pdf(tmp_path, _spec(scope="范围：全部", as_of="截至 2026年1月2日")) as pdf:
        page = pdf.pages[0]
        assert (page.width, page.height) == pytest.approx((PAGE_W, PAGE_H), abs=0.01)
        lines = _lines_of_text(page)
    title = _find(lines, "和平街道测试名册")
    assert (title[1] + title[2]) / 2 == pytest.approx(PAGE_W / 2, abs=0.5)
    number = _find(lines, "第1页共1页")
    assert (number[1] + number[2]) / 2 == pytest.approx(PAGE_W / 2, abs=0.5)
    assert number[3] > 780                      # at the foot of the page
    sign = _find(lines, "制表人")
    assert sign[1] == pytest.approx(LEFT, abs=0.3)
    assert "打印日期：2026年1月2日" in sign[0]
    scope = _find(lines, "范围：全部")
    assert scope[1] == pytest.approx(LEFT, abs=0.3)
    assert scope[2] == pytest.approx(RIGHT, abs=0.3)   # 截至 … ends at the right margin
    assert scope[3] > title[3]


def test_a_short_note_sits_right_of_the_signatures_a_long_one_above_them(tmp_path):
    with _pdf(tmp_path, _spec(note="身份证号已隐去")) as pdf:
        lines = _lines_of_text(pdf.pages[0])
    sign = _find(lines, "制表人")
    assert sign[0].endswith("身份证号已隐去") and sign[2] == pytest.approx(RIGHT, abs=0.3)
    long_note = "注：" + "本表所列人员信息仅供社区内部工作使用，不得外传，" * 3
    with _pdf(tmp_path, _spec(note=long_note)) as pdf:
        lines = _lines_of_text(pdf.pages[0])
    sign = _find(lines, "制表人")
    note = _find(lines, "注：")
    assert note[2] == pytest.approx(RIGHT, abs=0.3)
    assert 11 < sign[3] - note[3] < 14           # one line (13.65 pt between baselines) above
    assert not sign[0].endswith("外传，")


def test_info_pairs_share_a_line_when_short(tmp_path):
    info = [("党组织", "第一支部"), ("会议类型", "支部党员大会"),
            ("主题", "学习贯彻" + "，认真领会精神实质" * 6)]
    with _pdf(tmp_path, _spec(info=info)) as pdf:
        words = pdf.pages[0].extract_words()
    first = next(w for w in words if w["text"].startswith("党组织"))
    second = next(w for w in words if w["text"].startswith("会议类型"))
    third = next(w for w in words if w["text"].startswith("主题"))
    assert first["top"] == pytest.approx(second["top"], abs=0.1)
    assert first["x0"] == pytest.approx(LEFT, abs=0.3)
    assert second["x0"] == pytest.approx(LEFT + (RIGHT - LEFT) / 2, abs=0.3)
    assert third["x0"] == pytest.approx(LEFT, abs=0.3) and third["top"] > first["top"]


def test_right_aligned_numbers_end_at_the_cell_edge(tmp_path):
    with _pdf(tmp_path, _spec()) as pdf:
        page = pdf.pages[0]
        words = page.extract_words()
        verticals = sorted({round(ln["x0"], 2) for ln in page.lines
                            if abs(ln["x0"] - ln["x1"]) < 0.01})
    right_edge = verticals[-1]
    ends = [w["x1"] for w in words if w["text"] in ("12", "3456")]
    assert len(ends) == 2 and ends[0] == pytest.approx(ends[1], abs=0.01)
    assert 0 < right_edge - ends[0] < 6
    name = next(w for w in words if w["text"] == "张三")
    assert 0 < name["x0"] - verticals[1] < 6             # left-aligned after the 序号 column


def test_header_row_is_shaded_and_the_table_framed(tmp_path):
    with _pdf(tmp_path, _spec()) as pdf:
        page = pdf.pages[0]
        rects = page.rects
        widths = {round(ln["linewidth"], 2) for ln in page.lines}
    assert len(rects) == 1 and rects[0]["fill"]
    assert rects[0]["x0"] == pytest.approx(LEFT, abs=0.1)
    assert rects[0]["x1"] == pytest.approx(RIGHT, abs=0.1)
    assert rects[0]["height"] == pytest.approx(10.5 * 1.3 + 4.4, abs=0.05)
    assert widths == {0.5, 1.0}                   # grid rules and the heavier frame


def test_a_heading_without_brackets_is_marked_continued():
    rows = [[f"人员{i:03d}", str(i)] for i in range(80)]
    doc = layout(_spec(sections=[Section(rows, heading="第一支部")]))
    assert doc.page_count >= 2
    assert "第一支部" in doc.pages[0].texts()
    assert "第一支部（续）" in doc.pages[1].texts()


def test_a_following_section_without_room_starts_a_page_under_its_own_heading():
    rows = [[f"人员{i:03d}", str(i)] for i in range(80)]
    per_page = layout(_spec(rows=rows)).pages[0].rows
    first = [[f"人员{i:03d}", str(i)] for i in range(per_page - 1)]
    doc = layout(_spec(sections=[Section(first, heading="应到人员"),
                                 Section([], heading="列席人员", new_page=False, blank_rows=3)]))
    assert doc.page_count == 2
    assert "列席人员" in doc.pages[1].texts()
    assert "列席人员（续）" not in doc.pages[1].texts()   # nothing of it came before
