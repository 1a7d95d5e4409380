"""The layout engine on hand-made specs: wrapping, column fitting, orientation, pagination,
repeated headers, page numbers, grouping and rows taller than a page."""

from __future__ import annotations

import math

import pytest

from app.printing.fonts import NO_LINE_START, metrics
from app.printing.layout import A4, MARGIN, Line, Text, layout
from app.printing.spec import Column, RosterSpec, Section


def _spec(rows, columns=None, **kw):
    columns = columns or [Column("姓名", 6), Column("社区", 10), Column("出生日期", 9,
                                                                    "center", wrap=False)]
    sections = kw.pop("sections", None) or [Section(rows)]
    return RosterSpec("测试名册", columns, sections, office="和平街道", **kw)


def _rows(n):
    return [[f"人员{i:04d}", "阳光社区", "1980-01-01"] for i in range(n)]


# -- wrapping -------------------------------------------------------------------------------
def test_wrap_keeps_every_character_and_respects_the_width():
    fm = metrics()
    text = "楼上漏水导致楼下墙面受损，双方就赔偿金额发生争执。ABC-12345 物业 reply later"
    for width in (30, 55, 80, 200):
        lines = fm.wrap(text, width, 10)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        for line in lines:
            # a line may overhang only by hanging closing punctuation
            if fm.width(line, 10) > width + 0.01:
                assert line[-1] in NO_LINE_START


def test_wrap_never_starts_a_line_with_closing_punctuation():
    fm = metrics()
    text = "甲乙丙丁，戊己庚辛。壬癸子丑、寅卯辰巳；"
    for width in range(25, 90, 3):
        for line in fm.wrap(text, width, 10)[1:]:
            assert line[0] not in NO_LINE_START, (width, line)


def test_wrap_does_not_split_a_latin_word_when_it_can_break_at_a_space():
    lines = metrics().wrap("contact building manager tomorrow", 60, 10)
    assert len(lines) > 1
    words = {"contact", "building", "manager", "tomorrow"}
    assert all(set(line.split()) <= words for line in lines)


def test_balanced_header_wrap_splits_evenly():
    fm = metrics()
    width = fm.width("申请人姓", 10) + 1
    assert fm.wrap("申请人姓名", width, 10) == ["申请人姓", "名"]
    assert fm.wrap_balanced("申请人姓名", width, 10) == ["申请人", "姓名"]


# -- columns and orientation ----------------------------------------------------------------
def test_few_columns_print_portrait_and_span_the_page():
    doc = layout(_spec(_rows(5)))
    assert doc.orientation == "portrait"
    assert doc.body_size == 10.5
    assert sum(doc.column_widths) == pytest.approx(A4[0] - 2 * MARGIN)


def test_many_columns_turn_the_page_to_landscape():
    cols = [Column(f"字段{i}", 9) for i in range(10)]
    rows = [[f"内容内容内容{i}{j}" for j in range(10)] for i in range(3)]
    doc = layout(_spec(rows, cols))
    assert doc.orientation == "landscape"
    assert sum(doc.column_widths) == pytest.approx(A4[1] - 2 * MARGIN)


def test_orientation_can_be_overridden():
    spec = _spec(_rows(5), orientation="landscape")
    assert layout(spec).orientation == "landscape"
    assert layout(spec, "portrait").orientation == "portrait"


def test_dates_and_ids_are_never_broken_even_when_space_is_short():
    cols = [Column("公民身份号码", 18, wrap=False), *[Column(f"备注{i}", 20) for i in range(8)]]
    rows = [["110105********002X", *["很长的说明文字" * 4] * 8]]
    doc = layout(_spec(rows, cols, numbered=False))
    id_width = doc.column_widths[0]
    fm = metrics()
    assert id_width >= fm.width("110105********002X", doc.body_size)
    assert "110105********002X" in doc.pages[0].texts()


def test_nothing_is_cut_off_even_with_too_many_columns():
    cols = [Column(f"第{i}列", 10, wrap=False) for i in range(30)]
    rows = [[f"数值{i}-{j}" for j in range(30)] for i in range(2)]
    doc = layout(_spec(rows, cols))
    text = "".join(doc.pages[0].texts())
    for i in range(2):
        for j in range(30):
            # each cell's characters are all printed (possibly over several lines)
            assert all(ch in text for ch in f"数值{i}-{j}")
    assert sum(doc.column_widths) == pytest.approx(A4[1] - 2 * MARGIN)


# -- pagination -----------------------------------------------------------------------------
def test_page_count_follows_the_rows_per_page():
    per_page = layout(_spec(_rows(200))).pages[0].rows
    assert 25 <= per_page <= 45  # one-line rows at 五号 on portrait A4
    assert layout(_spec(_rows(per_page))).page_count == 1
    assert layout(_spec(_rows(per_page + 1))).page_count == 2
    for n in (1, 77, 200):
        doc = layout(_spec(_rows(n)))
        assert doc.page_count == math.ceil(n / per_page)
        assert sum(p.rows for p in doc.pages) == n


def test_every_page_has_title_header_and_page_x_of_y():
    doc = layout(_spec(_rows(100)))
    assert doc.page_count > 2
    for n, page in enumerate(doc.pages, start=1):
        texts = page.texts()
        assert "和平街道测试名册" in texts
        for label in ("序号", "姓名", "社区", "出生日期"):
            assert label in texts
        assert f"第 {n} 页 共 {doc.page_count} 页" in texts
        assert any(t.startswith("制表人：") and "审核人：" in t and "打印日期：" in t
                   for t in texts)


def test_rows_are_numbered_and_none_lost_or_repeated():
    doc = layout(_spec(_rows(90)))
    names = [t for p in doc.pages for t in p.texts() if t.startswith("人员")]
    assert names == [f"人员{i:04d}" for i in range(90)]
    serials = [t for p in doc.pages for t in p.texts() if t.isdigit()]
    assert serials == [str(i) for i in range(1, 91)]


def test_grouping_starts_each_section_on_a_new_page_and_restarts_numbering():
    sections = [Section(_rows(3), heading="所在党组织：第一支部（共 3 人）"),
                Section(_rows(50), heading="所在党组织：第二支部（共 50 人）"),
                Section(_rows(2), heading="所在党组织：第三支部（共 2 人）")]
    doc = layout(_spec([], sections=sections))
    firsts = {}
    for i, page in enumerate(doc.pages):
        firsts.setdefault(page.section, i)
    assert sorted(firsts) == [0, 1, 2]
    for s, i in firsts.items():
        assert sections[s].heading in doc.pages[i].texts()
        assert "1" in doc.pages[i].texts()
    assert doc.pages[firsts[1] + 1].section == 1
    assert "所在党组织：第二支部（共 50 人，续）" in doc.pages[firsts[1] + 1].texts()


def test_a_section_can_follow_on_the_same_page_with_blank_rows():
    sections = [Section(_rows(3), heading="应到人员"),
                Section([], heading="列席人员", new_page=False, blank_rows=4)]
    doc = layout(_spec([], sections=sections))
    assert doc.page_count == 1
    texts = doc.pages[0].texts()
    assert "列席人员" in texts and texts.count("姓名") == 2
    # 3 data rows + 4 blank rows + 2 header rows, each closed by a rule across the table
    width = sum(doc.column_widths)
    rules = [op for op in doc.pages[0].ops if isinstance(op, Line)
             and op.y1 == op.y2 and op.x2 - op.x1 == pytest.approx(width)]
    assert len(rules) >= 3 + 4 + 2


def test_a_row_taller_than_a_page_continues_on_the_next():
    long_text = "\n".join(f"第{i}行说明" for i in range(120))
    cols = [Column("姓名", 6), Column("情况", 20)]
    doc = layout(_spec([["张三", long_text], ["李四", "短"]], cols))
    assert doc.page_count >= 3
    printed = [t for p in doc.pages for t in p.texts() if t.startswith("第") and "行说明" in t]
    assert printed == [f"第{i}行说明" for i in range(120)]
    assert "李四" in doc.pages[-1].texts()


def test_text_stays_inside_its_cell():
    rows = [["欧阳明月", "阳光社区幸福里小区第二网格和谐楼栋", "1980-01-01"]] * 5
    doc = layout(_spec(rows))
    fm = metrics()
    left = MARGIN
    edges = [left]
    for w in doc.column_widths:
        edges.append(edges[-1] + w)
    for op in doc.pages[0].ops:
        if isinstance(op, Text) and op.size == doc.body_size and op.text in (
                "欧阳明月", "1980-01-01"):
            right = op.x + fm.width(op.text, op.size)
            assert any(a <= op.x and right <= b for a, b in zip(edges, edges[1:]))


def test_empty_roster_prints_one_page_saying_so():
    doc = layout(_spec([]))
    assert doc.page_count == 1
    assert "（无记录）" in doc.pages[0].texts()


def test_row_length_mismatch_is_refused():
    with pytest.raises(ValueError):
        _spec([["只有一格"]])


def test_long_title_and_scope_wrap_instead_of_running_off_the_page():
    spec = _spec(_rows(80), scope="范围：全部社区；筛选：" + "，".join(
        f"条件{i}＝很长的取值{i}" for i in range(12)))
    spec.office = "某某省某某市某某区某某街道党工委（某某街道办事处）社区治理工作领导小组办公室"
    doc = layout(spec)
    fm = metrics()
    for page in doc.pages:
        for op in page.ops:
            if isinstance(op, Text):
                assert op.x >= MARGIN - 0.01
                assert op.x + fm.width(op.text, op.size) <= doc.width - MARGIN + 0.01
    titles = [op.text for op in doc.pages[0].ops if isinstance(op, Text) and op.size == 16]
    assert "".join(titles) == spec.full_title and len(titles) == 2
    per_page = [p.rows for p in doc.pages]
    assert sum(per_page) == 80 and len(set(per_page[:-1])) == 1


def test_characters_the_font_lacks_are_reported():
    rows = [["龚䶮", "阳光社区", "1980-01-01"], ["吉𠮷", "阳光社区", "1980-01-01"]]
    doc = layout(_spec(rows))
    assert doc.missing == "".join(sorted("䶮𠮷"))
    assert layout(_spec(_rows(3))).missing == ""
