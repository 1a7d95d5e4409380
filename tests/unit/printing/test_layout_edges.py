"""Edges of the print layout, read back from the written PDF and worked out by hand.

Each case sits on one side of a rule of the layout, close to where the rule turns: a section
that follows on the same page only when its heading, header and one row fit; a row too tall for
any page split at the footer; a note beside the signatures only when 12 pt stay between them.
Positions come from pdfplumber, emboldening from the PDF's text render mode (pdfminer).

Numbers used below (portrait A4, 五号 body, see test_layout_details.py for the derivation):
margin 15 mm = 42.5197 pt, the table ends above 768.0701 pt (two footer lines), a one-line
row is 13.65 + 4.4 = 18.05 pt, the title line box 20.8 pt, a scope or info line 13.65 pt,
a heading 13.65 + 2 pt.
"""

from __future__ import annotations

import datetime as dt

import pdfplumber
import pytest

from app.printing.layout import layout
from app.printing.pdf import spec_to_pdf
from app.printing.spec import Column, RosterSpec, Section

from .print_helpers import pdf_text_modes

MM = 72 / 25.4
PAGE_W, PAGE_H = 595.2756, 841.8898
LEFT, RIGHT = 42.5197, 595.2756 - 42.5197
FOOT = 768.0701              # 841.8898 − 42.5197 − 2 × 13.65 − 4
ROW, LINE = 18.05, 13.65
# Title, scope, then the header row (18.05): the first data row starts here.
ROWS_START = 42.5197 + 20.8 + 4 + 13.65 + 4 + ROW          # 103.0197
ROWS_START_NO_SCOPE = 42.5197 + 20.8 + 4 + 4 + ROW         # 89.3697


def _spec(**kw):
    cols = kw.pop("columns", [Column("姓名", 6), Column("金额", 6, "right", wrap=False)])
    rows = kw.pop("rows", [["张三", "12"], ["李四", "3456"]])
    return RosterSpec(kw.pop("title", "测试名册"), cols, kw.pop("sections", [Section(rows)]),
                      office="和平街道", printed_on=dt.date(2026, 1, 2), **kw)


def _pdf(tmp_path, spec, name="r.pdf"):
    path = tmp_path / name
    spec_to_pdf(spec, path)
    return path


def _hrules(page) -> list[float]:
    return sorted({round(ln["top"], 2) for ln in page.lines
                   if abs(ln["top"] - ln["bottom"]) < 0.01})


def _words(page) -> list[str]:
    return [w["text"] for w in page.extract_words()]


def _people(n):
    return [[f"人员{i:03d}", str(i)] for i in range(n)]


# -- what is bold --------------------------------------------------------------------------

def test_title_heading_and_header_labels_are_bold_and_nothing_else(tmp_path):
    spec = _spec(scope="范围：全部", info=[("党组织", "第一支部")],
                 sections=[Section(_people(60), heading="第一支部")])
    pages = pdf_text_modes(_pdf(tmp_path, spec))
    assert len(pages) == 2
    for n, shown in enumerate(pages, start=1):
        bold = [text for text, mode in shown if mode == 2]
        assert bold == ["和平街道测试名册", "第一支部" if n == 1 else "第一支部（续）",
                        "序号", "姓名", "金额"], n
        assert {mode for text, mode in shown if mode != 2} == {0}
        plain = [text for text, mode in shown if mode == 0]
        assert "人员000" in plain or "人员059" in plain


# -- orientation and page furniture ----------------------------------------------------------

def test_a_landscape_roster_is_printed_on_a_landscape_sheet(tmp_path):
    with pdfplumber.open(_pdf(tmp_path, _spec(orientation="landscape"))) as pdf:
        page = pdf.pages[0]
        size = (page.width, page.height)
        title = next(ln for ln in page.extract_text_lines() if "测试名册" in ln["text"])
        frame = [ln for ln in page.lines if ln["linewidth"] == 1.0
                 and abs(ln["x0"] - ln["x1"]) < 0.01]
    assert size == pytest.approx((PAGE_H, PAGE_W), abs=0.01)       # 297 × 210 mm
    assert (title["x0"] + title["x1"]) / 2 == pytest.approx(PAGE_H / 2, abs=0.5)
    assert sorted(ln["x0"] for ln in frame) == pytest.approx([LEFT, PAGE_H - LEFT], abs=0.02)


def test_the_signature_line_names_who_signed_and_leaves_a_blank_for_the_others(tmp_path):
    spec = _spec(footer=[("制表人", "王五"), ("审核人", "")])
    shown = [text for text, _ in pdf_text_modes(_pdf(tmp_path, spec))[0]]
    assert "制表人：王五　　审核人：＿＿＿＿＿＿　　打印日期：2026年1月2日" in shown


@pytest.mark.parametrize("note, beside", [
    ("注" * 14, True),          # 126 pt: 13.5 pt from the signatures
    ("注" * 13 + "12", True),   # 126.9 pt: 12.6 pt from the signatures, still beside
    ("注" * 15, False),         # 135 pt: only 4.5 pt would remain, so a line of its own
])
def test_a_note_sits_beside_the_signatures_only_with_12_pt_between(tmp_path, note, beside):
    with pdfplumber.open(_pdf(tmp_path, _spec(note=note))) as pdf:
        chars = pdf.pages[0].chars
    sign = [c for c in chars if c["size"] > 10 and c["top"] > 760
            and c["x0"] < 420 and "第" not in c["text"]]
    sign_end = max(c["x1"] for c in sign if c["text"] == "日")
    mine = [c for c in chars if c["size"] < 10]                   # 小五, 9 pt
    note_w = max(c["x1"] for c in mine) - min(c["x0"] for c in mine)
    assert max(c["x1"] for c in mine) == pytest.approx(RIGHT, abs=0.05)
    gap = RIGHT - note_w - sign_end                               # were it beside them
    assert (gap >= 12) is beside                                  # the case is what it says
    same_line = abs(mine[0]["top"] - min(c["top"] for c in sign if c["text"] == "日")) < 2
    assert same_line is beside


def test_a_long_note_without_a_scope_line_still_takes_a_row_from_the_table(tmp_path):
    # Rows start at 89.37; with the note on its own line the table ends above 768.07 − 13.65
    # = 754.42: 36 rows (739.17).  Two footer lines would have let a 37th row in (757.22).
    note = "注：" + "本表所列人员信息仅供社区内部工作使用，不得外传，" * 3
    with pdfplumber.open(_pdf(tmp_path, _spec(rows=_people(60), note=note))) as pdf:
        rules = _hrules(pdf.pages[0])
    assert rules[-1] == pytest.approx(ROWS_START_NO_SCOPE + 36 * ROW, abs=0.02)


def test_the_info_block_is_printed_once_and_pairs_only_short_items(tmp_path):
    # Half the text width is 255.12 pt; two items share a line when both are narrower than
    # 247.12.  "主题：" and 22 characters is 25 × 10.5 = 262.5 pt: too wide to pair.
    wide = ("主题", "学" * 22)
    cases = [[wide, ("时间", "3月1日")], [("时间", "3月1日"), wide],
             [("主题", "学习" * 30), ("时间", "3月1日"), ("地点", "会议室")]]
    for info in cases:
        with pdfplumber.open(_pdf(tmp_path, _spec(info=info))) as pdf:
            words = pdf.pages[0].extract_words()
        tops = {w["text"][:2]: w["top"] for w in words if w["text"][:2] in ("主题", "时间", "地点")}
        assert set(tops) == {label for label, _ in info}, info
        if len(info) == 2:
            width = next(w["x1"] - w["x0"] for w in words if w["text"].startswith("主题"))
            assert 247.12 <= width == pytest.approx(262.5, abs=0.1)
            assert abs(tops["主题"] - tops["时间"]) > 10                 # two lines
        else:
            assert tops["时间"] == pytest.approx(tops["地点"], abs=0.1)  # a pair after it
            assert tops["时间"] > tops["主题"]


def test_a_date_without_a_scope_stands_alone_at_the_right(tmp_path):
    with pdfplumber.open(_pdf(tmp_path, _spec(as_of="截至 2026年1月2日"))) as pdf:
        lines = pdf.pages[0].extract_text_lines()
    line = next(ln for ln in lines if "截至" in ln["text"])
    assert "".join(line["text"].split()) == "截至2026年1月2日"
    assert line["x1"] == pytest.approx(RIGHT, abs=0.05)


def test_a_long_scope_wraps_12_pt_short_of_the_date(tmp_path):
    scope = "范围：" + "第一网格、第二网格、第三网格、" * 6
    with pdfplumber.open(_pdf(tmp_path, _spec(scope=scope, as_of="截至 2026年1月2日"))) as pdf:
        chars = [c for c in pdf.pages[0].chars if c["size"] == 10.5]
    assert [c["text"] for c in chars].count("截") == 1       # the date once, on the first line
    date_x0 = min(c["x0"] for c in chars if c["text"] == "截")
    top = next(c["top"] for c in chars if c["text"] == "截")
    first = sorted((c for c in chars if abs(c["top"] - top) < 1 and c["x0"] < date_x0),
                   key=lambda c: c["x0"])
    assert first[0]["x0"] == pytest.approx(LEFT, abs=0.05)
    end = first[-1]["x1"]
    # as much as fits, no closer than 12 pt to the date: the next character would not fit
    assert end <= date_x0 - 12 < end + 10.5


# -- a section that follows on the same page ---------------------------------------------------
# After k rows the first section ends at 103.02 + 18.05 k.  The next one stays on the page when
# two lines (27.3), its header (18.05), one row (18.05) and 8 pt fit above 768.07, that is when
# 18.05 k ≤ 768.07 − 103.02 − 71.4 = 593.65: k ≤ 32.

def _following(k, **kw):
    return _spec(scope="范围：全部", sections=[
        Section(_people(k)), Section([], heading="列席人员", new_page=False, blank_rows=1)], **kw)


@pytest.mark.parametrize("k, same_page", [(32, True), (33, False)])
def test_a_following_section_stays_on_the_page_only_with_room_for_a_row(tmp_path, k,
                                                                          same_page):
    with pdfplumber.open(_pdf(tmp_path, _following(k))) as pdf:
        on_first = "列席人员" in "".join(pdf.pages[0].extract_text().split())
        pages = len(pdf.pages)
    assert on_first is same_page
    assert pages == (1 if same_page else 2)
    doc = layout(_following(k))
    assert [p.section for p in doc.pages] == ([0] if same_page else [0, 1])


# With rows of p pt (min_row_mm) the rule reads 103.02 + k p + 53.35 + p ≤ 768.07, i.e.
# (k + 1) p ≤ 611.70.  With k = 28: p = 21.076 leaves 0.5 pt, p = 21.110 is 0.5 pt short.
@pytest.mark.parametrize("p, same_page", [(611.2 / 29, True), (612.2 / 29, False)])
def test_the_room_a_following_section_needs_is_worked_out_to_the_point(tmp_path, p, same_page):
    spec = _spec(scope="范围：全部", min_row_mm=p / MM, info=[("党组织", "第一支部")],
                 sections=[Section(_people(28)),
                           Section([], heading="列席人员", new_page=False, blank_rows=1)])
    # the info line (13.65 + 4) moves everything down: take it off the room
    spec_no_info = _spec(scope="范围：全部", min_row_mm=p / MM, sections=spec.sections)
    with pdfplumber.open(_pdf(tmp_path, spec_no_info)) as pdf:
        first = pdf.pages[0]
        heads = [c for c in first.chars if c["text"] == "列"]
        rules = _hrules(first)
        pages = len(pdf.pages)
    if same_page:
        end = ROWS_START + 28 * p                                  # 693.14
        assert pages == 1
        assert rules[:3] == pytest.approx([ROWS_START - ROW, ROWS_START, ROWS_START + p],
                                          abs=0.02)
        # 8 pt of space, then the heading's line (baseline 13.65 − 3.15 below), 2 pt, header
        assert first.height - heads[0]["matrix"][5] == pytest.approx(end + 8 + 10.5, abs=0.02)
        assert end + 8 + 15.65 == pytest.approx(rules[-3], abs=0.02)
    else:
        assert heads == [] and pages == 2
    # With the info block on page 1 the section never fits there; it starts a page of its own
    # under its own heading, and the info block is not repeated.
    with pdfplumber.open(_pdf(tmp_path, spec, "info.pdf")) as pdf:
        texts = ["".join(pg.extract_text().split()) for pg in pdf.pages]
    assert len(texts) == 2
    assert "党组织：第一支部" in texts[0] and "党组织" not in texts[1]
    assert "列席人员" in texts[1] and "续" not in texts[1]


def test_a_roster_whose_first_section_follows_on_still_starts_a_page(tmp_path):
    spec = _spec(sections=[Section([["张三", "1"]], new_page=False)])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        assert len(pdf.pages) == 1
        assert {"序号", "姓名", "金额", "张三"} <= set(_words(pdf.pages[0]))


def test_blank_rows_are_not_counted_as_people_and_an_empty_roster_prints_only_its_note(
        tmp_path):
    doc = layout(_spec(sections=[Section([["张三", "1"]], blank_rows=3)]))
    assert [p.rows for p in doc.pages] == [1]
    with pdfplumber.open(_pdf(tmp_path, _spec(rows=[]))) as pdf:
        page = pdf.pages[0]
        rules = _hrules(page)
        body = [w["text"] for w in page.extract_words() if rules[1] < w["top"] < rules[-1]]
    assert body == ["（无记录）"]


# -- a row taller than what is left --------------------------------------------------------

def _tall(n_lines, before, scope="范围：全部", heading="", **kw):
    cell = "\n".join(f"第{i}行" for i in range(n_lines))
    rows = [[f"人员{i:03d}", "短"] for i in range(before)] + [["张三", cell]]
    return _spec(scope=scope, columns=[Column("姓名", 6), Column("情况", 20, wrap=False)],
                 sections=[Section(rows, heading=heading)], **kw)


def _lines_on(page):
    return [w for w in _words(page) if w.startswith("第") and w.endswith("行")]


@pytest.mark.parametrize("before, first", [
    (8, 37),    # starts at 103.02 + 8 × 18.05 = 247.42: (768.07 − 247.42 − 4.4) / 13.65 = 37.8
    (10, 35),   # 283.52: 35.2
    (26, 14),   # 572.32: 191.35 / 13.65 = 14.02
])
def test_a_split_row_keeps_as_many_lines_as_fit_above_the_footer(tmp_path, before, first):
    with pdfplumber.open(_pdf(tmp_path, _tall(49, before))) as pdf:
        assert _lines_on(pdf.pages[0]) == [f"第{i}行" for i in range(first)]
        assert _lines_on(pdf.pages[1]) == [f"第{i}行" for i in range(first, 49)]


def test_with_one_line_of_room_a_too_tall_row_still_starts_there(tmp_path):
    # No scope line: rows start at 89.37; after 36 rows the 50-line row starts at 739.17 with
    # (768.07 − 739.17 − 4.4) / 13.65 = 1.8 lines of room.  A fresh page holds
    # 768.07 − 89.37 = 678.70 pt, less than the row's 50 × 13.65 + 4.4 = 686.9: one line here,
    # the other 49 (673.25 pt) on the next page.
    spec = _tall(50, 36, scope="")
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        assert len(pdf.pages) == 2
        assert _lines_on(pdf.pages[0]) == ["第0行"]
        assert _lines_on(pdf.pages[1]) == [f"第{i}行" for i in range(1, 50)]
    assert [p.rows for p in layout(spec).pages] == [37, 0]


def test_the_rest_of_a_split_row_goes_on_under_the_heading_marked_continued(tmp_path):
    spec = _tall(49, 10, heading="第一支部", info=[("党组织", "第一支部")])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        second = pdf.pages[1]
        text = "".join(second.extract_text().split())
        rules = _hrules(second)
        body = [w["text"] for w in second.extract_words() if rules[1] < w["top"] < rules[-1]]
    assert "第一支部（续）" in text and "党组织" not in text
    # the rest of the row: only the lines of 情况; 序号 and 姓名 were printed with its start
    assert body and all(w.startswith("第") and w.endswith("行") for w in body)
    assert [p.section for p in layout(spec).pages] == [0, 0]


# A fresh page under a two-line title, a scope line and a heading: 768.07 − (42.52 + 2 × 20.8
# + 13.65 + 8 + 15.65 + 18.05) = 628.60 pt for rows; a 46-line row (632.3 pt) does not fit and
# is split where it starts, 3.7 pt short.
def test_a_row_3_pt_taller_than_a_fresh_page_under_a_long_title_is_split(tmp_path):
    title = "测试名册（" + "二〇二六年度第一季度社区网格员走访情况" * 2 + "）"
    spec = _tall(46, 5, heading="第一支部", title=title)
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        first = pdf.pages[0]
        title_lines = {round(c["top"]) for c in first.chars if c["size"] == 16}
        assert len(title_lines) == 2
        assert len(_lines_on(first)) > 0 and len(pdf.pages) == 2


# With rows of at least 10 mm (28.35 pt) the header stays one line high (18.05): a fresh page
# still holds 665.05 pt, so a 48-line row (659.6) moves there whole.
def test_the_least_row_height_does_not_make_the_header_taller(tmp_path):
    spec = _tall(48, 10, min_row_mm=10)
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        assert _lines_on(pdf.pages[0]) == []
        assert _lines_on(pdf.pages[1]) == [f"第{i}行" for i in range(48)]
        rules = _hrules(pdf.pages[1])
    assert rules[1] - rules[0] == pytest.approx(ROW, abs=0.02)


# -- cells -----------------------------------------------------------------------------------

def test_a_cell_that_does_not_wrap_keeps_spaces_and_blank_lines(tmp_path):
    spec = _spec(rows=[["张三", "5 678"], ["李四", "甲\n\n丙"]])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        chars = pdf.pages[0].chars

    def base(ch):
        return next(round(PAGE_H - c["matrix"][5], 2) for c in chars if c["text"] == ch)

    assert base("5") == base("8") == base("张")       # "5 678" on one line, 张三's
    assert base("丙") - base("甲") == pytest.approx(2 * LINE, abs=0.02)


def _portrait(columns, rows):
    return RosterSpec("测试名册", columns, [Section(rows)], office="和平街道",
                      printed_on=dt.date(2026, 1, 2), orientation="portrait")


def test_a_wrapping_cell_fills_each_line_as_far_as_the_padding_allows(tmp_path):
    # A wide column that never wraps leaves the 情况说明 column narrow; its lines hold as many
    # 10.5 pt characters as fit between 3 pt of padding each side: ⌊(w − 6) / 10.5⌋.
    text = "一二三四五六七八九十" * 2
    spec = _portrait([Column("情况说明", 8), Column("备注", 60, wrap=False)],
                     [[text, "备" * 36]])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        page = pdf.pages[0]
        edges = sorted({ln["x0"] for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01})
        lines = [w for w in page.extract_words() if w["text"][0] in text]
    w = edges[2] - edges[1]
    fit = int((w - 6) // 10.5)
    assert 1 < fit < len(text)
    got = [ln["text"] for ln in sorted(lines, key=lambda ln: ln["top"])]
    assert got == [text[i:i + fit] for i in range(0, len(text), fit)]
    assert all(ln["x0"] == pytest.approx(edges[1] + 3, abs=0.05) for ln in lines)


def test_a_header_label_wraps_into_lines_of_even_length(tmp_path):
    label = "户籍详细地址及备注说明"
    spec = _portrait([Column(label, 2), Column("备注", 60, wrap=False)], [["甲乙", "备" * 34]])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        page = pdf.pages[0]
        edges = sorted({ln["x0"] for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01})
        parts = sorted((w for w in page.extract_words() if w["text"][0] in label
                        and w["top"] < 100 and w["x0"] < edges[2]), key=lambda w: w["top"])
    # 11 characters in a column that would hold ⌊(w − 6) / 10.5⌋ = 10 on a line: two lines,
    # 6 and 5 characters, not 10 and 1
    assert int((edges[2] - edges[1] - 6) // 10.5) == 10
    assert [p["text"] for p in parts] == ["户籍详细地址", "及备注说明"]


# In 小五 (9 pt: a wide 备注 column does not fit at 10.5) a line is 9 × 1.3 = 11.7 pt and a
# one-line row 16.1.  A fresh page's room for rows, worked out for two layouts of the page:
#   two-line title, no scope, no heading: 768.07 − (42.52 + 2 × 20.8 + 8 + 16.1) = 659.85;
#     a 56-line row is 56 × 11.7 + 4.4 = 659.6: it fits, with 0.25 pt to spare;
#   two-line title, four scope lines, a heading: 768.07 − (42.52 + 41.6 + 4 × 13.65 + 8
#     + 15.65 + 16.1) = 589.60; a 50-line row is 589.4: it fits, with 0.2 pt to spare.
# Neither fits after five rows on the first page, so each moves whole to the next.
LONG_TITLE = "测试名册（二〇二六年度第一季度社区网格员走访入户情况及问题整改落实登记表）"


@pytest.mark.parametrize("scope, heading, n_lines, bottom", [
    ("", "", 56, 108.2197 + 659.6),
    ("范围：" + "第一网格、第二网格、第三网格、" * 10, "第一支部", 50, 178.4697 + 589.4),
])
def test_a_row_that_fits_a_fresh_page_with_a_quarter_point_to_spare_moves_there(
        tmp_path, scope, heading, n_lines, bottom):
    cell = "\n".join(f"第{i}行" for i in range(n_lines))
    rows = [[f"人员{i:03d}", "短", "备" * 44 if i == 0 else ""] for i in range(5)]
    spec = _spec(title=LONG_TITLE, scope=scope, orientation="portrait",
                 columns=[Column("姓名", 6), Column("情况", 20, wrap=False),
                          Column("备注", 60, wrap=False)],
                 sections=[Section(rows + [["张三", cell, ""]], heading=heading)])
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        first, second = pdf.pages[0], pdf.pages[1]
        assert len(pdf.pages) == 2
        assert {round(c["size"], 2) for c in first.chars if c["text"] == "短"} == {9.0}
        assert len({round(c["top"]) for c in first.chars if c["size"] == 16}) == 2
        if scope:
            scope_tops = {round(c["top"]) for c in first.chars if c["text"] == "网"
                          and c["size"] == 10.5}
            assert len(scope_tops) == 4
        assert _lines_on(first) == []
        assert _lines_on(second) == [f"第{i}行" for i in range(n_lines)]
        assert _hrules(second)[-1] == pytest.approx(bottom, abs=0.02)


def test_a_wide_wrapping_column_fills_its_lines_to_within_the_padding(tmp_path):
    # The same rule in a column some 350 pt wide (no 序号, three columns): the lines hold
    # ⌊(w − 6) / 10.5⌋ characters, here less than a quarter of a character short of one more.
    text = "一二三四五六七八九十" * 4
    spec = RosterSpec("测试名册", [Column("情况说明", 8), Column("备注", 60, wrap=False),
                               Column("编号", 4, wrap=False)],
                      [Section([[text, "备" * 10, "1234567"]])], office="和平街道",
                      printed_on=dt.date(2026, 1, 2), orientation="portrait", numbered=False)
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        page = pdf.pages[0]
        edges = sorted({ln["x0"] for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01})
        lines = [w for w in page.extract_words() if w["text"][0] in text]
    w = edges[1] - edges[0]
    fit = int((w - 6) // 10.5)
    assert 0 < (w - 6) / 10.5 - fit < 0.25 and fit < len(text)
    got = [ln["text"] for ln in sorted(lines, key=lambda ln: ln["top"])]
    assert got == [text[i:i + fit] for i in range(0, len(text), fit)]


def _scope_lines(page, right=PAGE_W):
    """The scope's lines (10.5 pt, left of ``right``: the date), top to bottom: (text, x1);
    two scope lines end above 98.62 pt, where the table starts."""
    chars = [c for c in page.chars if c["size"] == 10.5 and 60 < c["top"] < 98
             and c["x0"] < right]
    out = []
    for top in sorted({round(c["top"], 1) for c in chars}):
        line = sorted((c for c in chars if round(c["top"], 1) == top), key=lambda c: c["x0"])
        out.append(("".join(c["text"] for c in line), line[-1]["x1"]))
    return out


# A first scope line that ends within a point of the room it has.  Widths read from the PDF
# at 10.5 pt: a Chinese character 10.5, "1" 5.78, "c" 4.86, "w" 7.83.
def test_a_scope_line_without_a_date_uses_the_whole_width(tmp_path):
    # 47 characters and "11c": 493.5 + 16.43 = 509.93 pt of the 510.24 between the margins.
    first = "范围：" + "网" * 44 + "11c"
    with pdfplumber.open(_pdf(tmp_path, _spec(scope=first + "第二行"))) as pdf:
        lines = _scope_lines(pdf.pages[0])
    assert [text for text, _ in lines] == [first, "第二行"]
    assert RIGHT - 0.5 < lines[0][1] <= RIGHT + 0.01


def test_a_scope_line_beside_the_date_uses_all_the_room_left_of_it(tmp_path):
    # The date starts at 462.83 (read from the PDF), so the scope has 462.83 − 12 − 42.52 =
    # 408.31 pt: 37 characters and "11w" (388.5 + 19.40 = 407.90) fit, a 38th character not.
    first = "范围：" + "网" * 34 + "11w"
    spec = _spec(scope=first + "第二行", as_of="截至 2026年1月2日")
    with pdfplumber.open(_pdf(tmp_path, spec)) as pdf:
        page = pdf.pages[0]
        date_x0 = min(c["x0"] for c in page.chars if c["text"] == "截")
        lines = _scope_lines(page, date_x0)
    assert date_x0 == pytest.approx(462.83, abs=0.01)
    assert [text for text, _ in lines] == [first, "第二行"]
    assert date_x0 - 12 - 1 < lines[0][1] <= date_x0 - 12


def test_info_items_a_little_narrower_than_half_less_8_pt_pair(tmp_path):
    # "主题：" and 20 characters and "c": 241.5 + 4.86 = 246.36 pt, under 247.12.
    item = ("主题", "学" * 20 + "c")
    for info in ([item, ("时间", "3月1日")], [("时间", "3月1日"), item]):
        with pdfplumber.open(_pdf(tmp_path, _spec(info=info))) as pdf:
            words = pdf.pages[0].extract_words()
        theme = next(w for w in words if w["text"].startswith("主题"))
        when = next(w for w in words if w["text"].startswith("时间"))
        assert 246.12 <= theme["x1"] - theme["x0"] < 247.12
        assert theme["top"] == pytest.approx(when["top"], abs=0.1), info
