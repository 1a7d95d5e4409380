"""Hostile and broken files are refused with a clear message, and nothing is written."""

from __future__ import annotations

import pytest

from app.excel.errors import FileRefused
from app.excel.importer import plan_file
from app.excel.safety import check_workbook
from tests.data import make_corpus as mc

from .excel_helpers import dump


@pytest.fixture
def good(tmp_path):
    return mc.make_simple_people(tmp_path / "good.xlsx", [["张三", mc.valid_id()]])


@pytest.mark.parametrize("maker, words", [
    (lambda p, g: mc.make_not_zip(p), "不是工作簿"),
    (lambda p, g: mc.make_truncated(p, g), "不完整"),
    (lambda p, g: mc.make_xlsm_renamed(p, g), "含宏"),
    (lambda p, g: mc.make_zip_bomb(p, g), "恶意构造"),
    (lambda p, g: mc.make_xml_bomb(p, g), "XML 炸弹"),
    (lambda p, g: mc.make_absurd_size(p), "范围异常大"),
])
def test_hostile_files_are_refused(db, tmp_path, good, maker, words):
    path = maker(tmp_path / "bad.xlsx", good)
    before = dump(db, "people")
    with pytest.raises(FileRefused) as exc:
        plan_file(db, "people", path)
    assert words in str(exc.value) and "bad.xlsx" in str(exc.value)
    assert dump(db, "people") == before


def test_old_xls_and_macro_extension(tmp_path, good):
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    with pytest.raises(FileRefused, match="旧版 .xls"):
        check_workbook(xls)
    xlsm = tmp_path / "m.xlsm"
    xlsm.write_bytes(good.read_bytes())
    with pytest.raises(FileRefused, match="宏"):
        check_workbook(xlsm)


def test_good_file_passes_and_reports_extent(good):
    report = check_workbook(good)
    [(rows, cols)] = report.extents.values()
    assert rows == 2 and 2 <= cols <= 26  # a cheap upper bound is enough for a small sheet


def test_unusual_cell_form_is_counted_exactly(tmp_path, good):
    """``r`` not the first attribute must not slip past the cheap bound."""
    import zipfile
    src = zipfile.ZipFile(good)
    out = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", b'<row r="1048576"><c t="inlineStr" '
                                    b'r="XFD1048576"><is><t>x</t></is></c></row></sheetData>')
            dst.writestr(info, body)
    with pytest.raises(FileRefused, match="范围异常大"):
        check_workbook(out)


@pytest.mark.parametrize("extra", [
    # ``r`` not the first attribute of the cell, of the row, or a namespace prefix: the cheap
    # bound (row 1000 × one-letter columns) would pass each of them.
    b'<row r="1000"><c t="inlineStr" r="XFD1000"><is><t>x</t></is></c></row>',
    b'<row spans="1:1" r="1000"><c r="XFD1000" t="inlineStr"><is><t>x</t></is></c></row>',
    b'<x:row r="1000"><x:c r="XFD1000" t="inlineStr"><x:is><x:t>x</x:t></x:is></x:c>'
    b'</x:row>',
])
def test_unusual_forms_below_the_cheap_bound_are_counted_exactly(tmp_path, good, extra):
    import zipfile
    src = zipfile.ZipFile(good)
    out = tmp_path / "odd.xlsx"
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"</sheetData>", extra + b"</sheetData>")
            dst.writestr(info, body)
    with pytest.raises(FileRefused, match="范围异常大"):
        check_workbook(out)


def test_wps_wrong_dimension_reads_every_row(demo_db, tmp_path):
    """The district roster has <dimension ref="A1"/>: every row is still read."""
    from app.services import records
    orgs = [r["name"] for r in records.list_rows(demo_db, "party_orgs")]
    path = mc.make_district_roster(tmp_path / "d.xlsx", orgs[1], orgs[2])
    import zipfile
    assert b'<dimension ref="A1"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    plan = plan_file(demo_db, "party_members", path)
    assert max(r.row for r in plan.rows) == 12


def test_unknown_layout_is_refused_with_advice(db, tmp_path):
    path = mc.make_simple_people(tmp_path / "x.xlsx", [["a", "b"]], headers=("甲", "乙"))
    with pytest.raises(FileRefused, match="没有找到「人员信息」的表格"):
        plan_file(db, "people", path)
