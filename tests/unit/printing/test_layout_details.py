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


# -- positions on the page, worked by hand -----------------------------------------------------
# Title 三号 16 pt: baseline = 15 mm + 16 × 1.3 − 0.3 × 16 = 42.52 + 20.8 − 4.8 = 58.52.
# Scope line 五号: 42.52 + 20.8 + 4 + 13.65 − 0.3 × 10.5 = 77.82; the table starts 4 pt below
# its line box: 42.52 + 20.8 + 4 + 13.65 + 4 = 84.97.
# Footer: signatures on 841.89 − 42.52 − 13.65 − 2 = 783.72, page number on 841.89 − 42.52 − 2
# = 797.37; the table must end above 841.89 − 42.52 − 2 × 13.65 − 4 = 768.07 (a long note takes
# a third line: 754.42).
# In a one-line row the baseline is 2.2 + (13.65 − 10.5) / 2 + 0.765 × 10.5 = 11.81 below the
# row's top rule (0.765 em: the ascent of the bundled 文泉驿微米黑).
TITLE_BASE, SCOPE_BASE, TABLE_TOP = 58.52, 77.82, 84.97
SIGN_BASE, NUMBER_BASE = 783.72, 797.37
FOOT, FOOT_WITH_NOTE = 768.07, 754.42
ROW, IN_ROW = 18.05, 11.81


def _baselines(page) -> list[float]:
    """The baseline of every printed character, read from its text matrix in the PDF."""
    return sorted({round(page.height - ch["matrix"][5], 2) for ch in page.chars})


def _hrules(page) -> list[float]:
    return sorted({round(ln["top"], 2) for ln in page.lines
                   if abs(ln["top"] - ln["bottom"]) < 0.01})


def _long(n, **kw):
    rows = [[f"人员{i:03d}", str(i)] for i in range(n)]
    return _spec(rows=rows, scope="范围：全部", **kw)


def test_page_furniture_sits_where_worked_out(tmp_path):
    with _pdf(tmp_path, _long(60)) as pdf:
        for n, page in enumerate(pdf.pages, start=1):
            bases = _baselines(page)
            assert bases[0] == pytest.approx(TITLE_BASE, abs=0.02)
            assert bases[1] == pytest.approx(SCOPE_BASE, abs=0.02)
            assert bases[-2:] == pytest.approx([SIGN_BASE, NUMBER_BASE], abs=0.02)
            rules = _hrules(page)
            assert rules[0] == pytest.approx(TABLE_TOP, abs=0.02)
            # every row is one pitch, and the page is as full as the footer allows
            assert [b - a for a, b in zip(rules, rules[1:])] == \
                pytest.approx([ROW] * (len(rules) - 1), abs=0.02)
            if n == 1:
                assert rules[-1] <= FOOT < rules[-1] + ROW


def test_a_long_note_takes_a_line_from_the_table(tmp_path):
    note = "注：" + "本表所列人员信息仅供社区内部工作使用，不得外传，" * 3
    with _pdf(tmp_path, _long(60, note=note)) as pdf:
        page = pdf.pages[0]
        rules = _hrules(page)
        assert rules[-1] <= FOOT_WITH_NOTE < rules[-1] + ROW
        bases = _baselines(page)
        assert bases[-3:] == pytest.approx([SIGN_BASE - 13.65, SIGN_BASE, NUMBER_BASE], abs=0.02)


def test_text_sits_at_the_same_height_in_every_one_line_row(tmp_path):
    with _pdf(tmp_path, _long(5)) as pdf:
        page = pdf.pages[0]
        rules = _hrules(page)
        bases = _baselines(page)
    for top, bottom in zip(rules, rules[1:]):          # the header and five rows
        inside = [b for b in bases if top < b < bottom]
        assert inside == pytest.approx([top + IN_ROW], abs=0.02), (top, inside)


def test_the_frame_is_four_heavy_rules_and_columns_are_ruled_between(tmp_path):
    with _pdf(tmp_path, _long(5)) as pdf:
        page = pdf.pages[0]
        heavy = [ln for ln in page.lines if ln["linewidth"] == 1.0]
        thin_v = [ln for ln in page.lines if ln["linewidth"] == 0.5
                  and abs(ln["x0"] - ln["x1"]) < 0.01]
        rules = _hrules(page)
        words = page.extract_words()
    top, bottom = rules[0], rules[-1]
    frame = sorted((round(ln["x0"], 2), round(ln["top"], 2), round(ln["x1"], 2),
                    round(ln["bottom"], 2)) for ln in heavy)
    assert frame == sorted([(round(LEFT, 2), top, round(RIGHT, 2), top),
                            (round(LEFT, 2), bottom, round(RIGHT, 2), bottom),
                            (round(LEFT, 2), top, round(LEFT, 2), bottom),
                            (round(RIGHT, 2), top, round(RIGHT, 2), bottom)])
    # 序号 | 姓名 | 金额: two rules between three columns, from the header to the last row
    assert len(thin_v) == 2
    assert all(v["top"] == pytest.approx(top, abs=0.02) and
               v["bottom"] == pytest.approx(bottom, abs=0.02) for v in thin_v)
    edges = [LEFT, *sorted(v["x0"] for v in thin_v), RIGHT]
    for label, (a, b) in zip(("序号", "姓名", "金额"), zip(edges, edges[1:])):
        w = next(w for w in words if w["text"] == label)
        assert (w["x0"] + w["x1"]) / 2 == pytest.approx((a + b) / 2, abs=0.3), label


def test_a_row_taller_than_the_page_fills_it_to_the_footer_then_goes_on(tmp_path):
    # The first data row starts at 84.97 + 18.05 = 103.02; it may grow to the footer line
    # 768.07: (768.07 − 103.02 − 4.4) // 13.65 = 48 lines on the first page.
    cell = "\n".join(f"第{i}行" for i in range(120))
    spec = _spec(rows=[["张三", cell], ["李四", "5"]], scope="范围：全部",
                 columns=[Column("姓名", 6), Column("情况", 20, wrap=False)])
    with _pdf(tmp_path, spec) as pdf:
        first = pdf.pages[0]
        rules = _hrules(first)
        lines = [w["text"] for w in first.extract_words() if w["text"].startswith("第")
                 and w["text"].endswith("行")]
        assert rules[-1] == pytest.approx(FOOT, abs=0.02)
        assert lines == [f"第{i}行" for i in range(48)]
        last = [w["text"] for w in pdf.pages[-1].extract_words()]
        assert "李四" in last
    doc = layout(spec)
    # a row is counted on the page where it starts, once
    assert [p.rows for p in doc.pages] == [1] + [0] * (doc.page_count - 2) + [1]


def test_nothing_but_the_data_is_printed_in_blank_and_empty_rows(tmp_path):
    spec = _spec(sections=[Section([["张三", "1"]], heading="应到人员"),
                           Section([], heading="列席人员", new_page=False, blank_rows=3)])
    with _pdf(tmp_path, spec) as pdf:
        page = pdf.pages[0]
        text = "".join(page.extract_text().split())
        rules = _hrules(page)
    for word in ("应到人员", "列席人员", "张三"):
        assert word in text
    # header, 张三 | header, three blank rows: blank rows print nothing at all
    body = [ch for ch in page.chars if rules[-4] < page.height - ch["matrix"][5] < rules[-1]]
    assert body == []


def test_an_empty_roster_says_so_in_the_first_text_column(tmp_path):
    for numbered, column in ((True, "姓名"), (False, "姓名")):
        with _pdf(tmp_path, _spec(rows=[], numbered=numbered)) as pdf:
            page = pdf.pages[0]
            words = page.extract_words()
            verticals = sorted(v["x0"] for v in page.lines if abs(v["x0"] - v["x1"]) < 0.01
                               and v["linewidth"] == 0.5)
        note = next(w for w in words if w["text"] == "（无记录）")
        head = next(w for w in words if w["text"] == column)
        edges = [LEFT, *verticals, RIGHT]
        cell = next((a, b) for a, b in zip(edges, edges[1:]) if a <= head["x0"] < b)
        assert cell[0] <= note["x0"] < cell[1], numbered
        assert [w["text"] for w in words].count("序号") == (1 if numbered else 0)


def test_info_block_and_heading_sit_where_worked_out(tmp_path):
    # No scope line: title line box 42.52 + 20.8 = 63.32, + 4 + 4 = 71.32.  Info pair: one
    # line (13.65) → baseline 84.97 − 3.15 = 81.82; the third item alone: 95.47; + 4 after the
    # block = 102.62.  Heading: + 13.65 → baseline 113.12, + 2 → the table at 118.27.
    info = [("党组织", "第一支部"), ("会议类型", "支部党员大会"), ("地点", "党群服务中心")]
    spec = _spec(info=info, sections=[Section([["张三", "1"]], heading="应到人员（1 人）")])
    with _pdf(tmp_path, spec) as pdf:
        page = pdf.pages[0]
        bases = _baselines(page)
        rules = _hrules(page)
    assert bases[:4] == pytest.approx([TITLE_BASE, 81.82, 95.47, 113.12], abs=0.02)
    assert rules[0] == pytest.approx(118.27, abs=0.02)


def test_two_short_info_items_share_one_line(tmp_path):
    spec = _spec(info=[("时间", "2026年3月1日"), ("地点", "会议室")])
    with _pdf(tmp_path, spec) as pdf:
        bases = _baselines(pdf.pages[0])
        rules = _hrules(pdf.pages[0])
    assert bases[:2] == pytest.approx([TITLE_BASE, 81.82], abs=0.02)
    assert rules[0] == pytest.approx(84.97 + 4, abs=0.02)   # one info line, then 4 pt


# A fresh page (title, scope, header) leaves 768.07 − 103.02 = 665.05 pt for rows: a row of
# 48 lines (48 × 13.65 + 4.4 = 659.6) fits one, a row of 49 (673.25) does not.
def _tall_after(n_lines, before=10, heading=""):
    cell = "\n".join(f"第{i}行" for i in range(n_lines))
    rows = [[f"人员{i:03d}", "短"] for i in range(before)] + [["张三", cell]]
    return _spec(scope="范围：全部", columns=[Column("姓名", 6), Column("情况", 20, wrap=False)],
                 sections=[Section(rows, heading=heading)])


def _lines_on(page):
    return [w["text"] for w in page.extract_words()
            if w["text"].startswith("第") and w["text"].endswith("行")]


def test_a_row_that_fits_a_fresh_page_moves_there_whole(tmp_path):
    with _pdf(tmp_path, _tall_after(48)) as pdf:
        assert len(pdf.pages) == 2
        assert _lines_on(pdf.pages[0]) == []
        assert _lines_on(pdf.pages[1]) == [f"第{i}行" for i in range(48)]
        rules = _hrules(pdf.pages[1])
    assert rules[-1] - rules[-2] == pytest.approx(48 * 13.65 + 4.4, abs=0.02)
    assert [p.rows for p in layout(_tall_after(48)).pages] == [10, 1]


def test_a_row_too_tall_for_any_page_is_split_where_the_page_ends(tmp_path):
    # After ten rows the row starts at 103.02 + 10 × 18.05 = 283.52:
    # (768.07 − 283.52 − 4.4) // 13.65 = 35 lines there, 14 on the next page.
    with _pdf(tmp_path, _tall_after(49)) as pdf:
        assert len(pdf.pages) == 2
        assert _lines_on(pdf.pages[0]) == [f"第{i}行" for i in range(35)]
        assert _lines_on(pdf.pages[1]) == [f"第{i}行" for i in range(35, 49)]
        assert _hrules(pdf.pages[0])[-1] == pytest.approx(FOOT, abs=0.02)
    assert [p.rows for p in layout(_tall_after(49)).pages] == [11, 0]


def test_under_a_heading_a_fresh_page_holds_one_line_less(tmp_path):
    # The heading takes 13.65 + 2 pt: 665.05 − 15.65 = 649.4 pt, so 47 lines (645.95) still
    # move whole, 48 (659.6) are split.
    with _pdf(tmp_path, _tall_after(47, heading="第一支部")) as pdf:
        assert _lines_on(pdf.pages[0]) == [] and len(_lines_on(pdf.pages[1])) == 47
    with _pdf(tmp_path, _tall_after(48, heading="第一支部")) as pdf:
        assert len(_lines_on(pdf.pages[0])) > 0 and len(pdf.pages) == 2
