"""Reading limits (app.excel.limits): cells counted as the reader places them, before it
reads; special paths each with their own message; an import of nothing records no batch;
Ctrl+C ends the CLI quietly with the data untouched."""

from __future__ import annotations

import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.excel import limits
from app.excel.errors import FileRefused
from app.excel.formats import check_file
from app.excel.reader import Workbook
from app.excel.safety import check_workbook

from . import hostile
from .roster_run import ROOT, make_roster, state, wait_for_commit


def _sheet(tmp_path, rows: bytes, name="s.xlsx", dimension=None) -> Path:
    return hostile.write_xlsx(tmp_path / name, [hostile.sheet_xml(rows, dimension)])


@pytest.mark.parametrize("rows, words", [
    # No r= anywhere: each row follows the one before, each cell the cell before it.
    (b'<row r="200000"><c><v>1</v></c></row>', "200,000 行"),
    (b"<row>" + b"<c><v>1</v></c>" * 1100 + b"</row>", "1,025 列"),
    # A cell that says it is far below its row, with or without a dimension.
    (b'<row r="1"><c r="A1"><v>1</v></c><c r="B150000"><v>1</v></c></row>', "150,000 行"),
    # An r= that is not a plain reference goes to the exact count too.
    (b'<row r="2"><c r="A0000002"><v>1</v></c><c><v>1</v></c></row>'
     b'<row r="120000"><c><v>1</v></c></row>', "120,000 行"),
    # Rectangle: 3,000 rows × 1,001 columns.
    (b'<row r="3000"><c r="ALM3000"><v>1</v></c></row>', "个单元格"),
])
def test_sheets_past_a_cap_are_refused_before_reading(tmp_path, rows, words):
    path = _sheet(tmp_path, rows)
    with pytest.raises(FileRefused) as exc:
        check_workbook(path)
    message = str(exc.value)
    assert words in message and "s.xlsx" in message and "表1" in message
    assert "拆分" in message and "文件" in message


def test_cells_without_r_are_placed_as_the_reader_places_them(tmp_path):
    """The same extent as python-calamine reports, for a sheet written without r=."""
    import python_calamine as pc
    rows = (b'<row><c t="inlineStr"><is><t>a</t></is></c><c/><c><v>2</v></c></row>'
            b'<row r="5"><c r="C5"><v>1</v></c><c><v>3</v></c></row><row><c><v>4</v></c>'
            b"</row>")
    path = _sheet(tmp_path, rows)
    [(got_rows, got_cols)] = check_workbook(path).extents.values()
    sheet = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    data = sheet.to_python(skip_empty_area=False)
    assert (got_rows, got_cols) == (len(data), max(len(r) for r in data))


def test_styled_empty_cells_far_away_do_not_count(tmp_path):
    """Excel writes styled empty cells and rows down to row 1,048,576: not data."""
    rows = hostile.GOOD_ROWS + (b'<row r="1048576" s="1" customFormat="1">'
                                b'<c r="XFD1048576" s="1"/></row>')
    with Workbook(_sheet(tmp_path, rows)) as wb:
        assert len(wb.sheet("表1").rows) == 2


def test_the_largest_roster_the_caps_allow_passes_the_cheap_check(tmp_path):
    """100,000 data rows of 15 columns (with title and header rows) pass, on the cheap
    bound (no second pass)."""
    def row(i: int) -> bytes:
        return b'<row r="%d">' % i + b"".join(b'<c r="%s%d"><v>1</v></c>' % (c, i)
                                               for c in (b"A", b"B", b"O")) + b"</row>"
    path = hostile.write_xlsx(tmp_path / "big.xlsx", [hostile.streamed(b"", row, 100_003)])
    [(rows, cols)] = check_workbook(path).extents.values()
    assert rows == 100_003 and cols <= 26


def test_xls_cells_are_counted_from_the_biff_records(tmp_path):
    ok = hostile.write_cfb(tmp_path / "ok.xls", {"Workbook": hostile.xls_stream(
        [(0, 0, 1.0), (99, 9, 2.0)])})
    assert limits.scan_xls(ok) == {next(iter(limits.scan_xls(ok))): (100, 10)}
    with pytest.raises(FileRefused, match="huge.xls.*表1.*范围异常大"):
        check_file(hostile.make_xls_huge_extent(tmp_path))


def test_xlsb_cells_are_counted_from_the_records(tmp_path):
    ok = hostile.write_xlsb(tmp_path / "ok.xlsb", hostile.xlsb_sheet(
        [(0, 0, 1.0), (0, 2, 2.0), (1, 1, 3.0)]))
    kind, report = check_file(ok)
    assert kind == "xlsb" and report.extents == {"xl/worksheets/sheet1.bin": (2, 3)}
    with pytest.raises(FileRefused, match="far.xlsb.*1,048,576 行"):
        check_file(hostile.make_xlsb_far_cell(tmp_path))


def test_ods_empty_repeats_are_free_but_repeated_values_count(tmp_path):
    """LibreOffice ends each sheet with a million empty repeated rows: not data."""
    empty_tail = (b'<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
                  b'table:number-columns-repeated="1024"/></table:table-row>')
    ok = hostile.write_ods(tmp_path / "ok.ods", hostile.ods_content(
        b"<table:table-row>" + hostile.ODS_CELL * 3 + b"</table:table-row>" + empty_tail))
    kind, report = check_file(ok)
    assert kind == "ods" and report.extents == {"Sheet1": (1, 3)}
    with pytest.raises(FileRefused, match="1,000,000 行"):
        check_file(hostile.make_ods_repeated_rows(tmp_path))


def test_csv_rows_and_columns_are_capped_as_parsed(tmp_path):
    with pytest.raises(FileRefused, match="rows.csv.*110,001 行.*拆分"):
        Workbook(hostile.make_csv_million_rows(tmp_path))
    with pytest.raises(FileRefused, match="wide.csv.*5,000 列"):
        Workbook(hostile.make_csv_wide(tmp_path))


@pytest.mark.parametrize("maker, words", [
    (hostile.make_directory, "是一个文件夹"),
    pytest.param(hostile.make_fifo, "命名管道（FIFO）", marks=pytest.mark.skipif(
        not hasattr(os, "mkfifo"), reason="no FIFOs here")),
    (hostile.make_dev_zero, "是一个设备"),
    (hostile.make_missing, "找不到文件"),
])
def test_special_paths_each_have_their_own_message(tmp_path, maker, words):
    path = maker(tmp_path)
    with pytest.raises(FileRefused) as exc:
        check_file(path)
    assert words in str(exc.value) and path.name in str(exc.value)


def test_unreadable_file_has_its_own_message(tmp_path, monkeypatch):
    path = hostile.write_xlsx(tmp_path / "locked.xlsx")
    if os.geteuid() == 0:
        # root reads a mode-000 file anyway: make the open itself refuse, as it does for a
        # clerk's account.
        real_open = Path.open

        def refusing(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)
        monkeypatch.setattr(Path, "open", refusing)
    else:
        path.chmod(0)
    try:
        with pytest.raises(FileRefused, match="没有权限读取.*locked.xlsx"):
            check_file(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


# -- an import of nothing ---------------------------------------------------------------------

def test_cli_import_with_no_row_to_write_records_no_batch(db, tmp_path, capsys):
    from app.excel.cli import main as excel_main
    from app.services.imports import list_batches
    bad = hostile.write_xlsx(tmp_path / "bad_ids.xlsx", [hostile.sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>110105199001010020</t></is></c></row>'.encode())])
    args = ["--db", str(db.location), "import", "people", str(bad)]
    assert excel_main(args) == 0  # the plan alone is a preview
    assert "没有需要写入的行" in capsys.readouterr().out
    assert excel_main(args + ["--apply"]) == 1
    err = capsys.readouterr().err
    assert "bad_ids.xlsx" in err and "有错误 1" in err and "没有记录导入批次" in err
    assert list_batches(db) == []


# -- Ctrl+C -----------------------------------------------------------------------------------

def test_keyboard_interrupt_in_process_is_one_line(db, tmp_path, monkeypatch, capsys):
    from app import cli
    from app.excel import importer

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt
    monkeypatch.setattr(importer, "plan_file", interrupted)
    handler = signal.getsignal(signal.SIGINT)
    try:
        rc = cli.main(["import", "people", str(hostile.write_xlsx(tmp_path / "g.xlsx")),
                       "--db", str(db.location), "--apply"])
    finally:
        signal.signal(signal.SIGINT, handler)
    assert rc == 130
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("已中断") and "Traceback" not in err


@pytest.mark.slow
def test_ctrl_c_during_a_cli_import_exits_130_with_the_data_untouched(demo_db_template,
                                                                      sqlite_only, tmp_path,
                                                                      tmp_path_factory):
    import shutil

    from app.services import records
    from app.storage import Database
    base = tmp_path / "base.db"
    shutil.copyfile(demo_db_template, base)
    db = Database(base)
    from app.services.access import system
    db.actor = system("测试")
    orgs = [r["name"] for r in records.list_rows(db, "party_orgs")][1:]
    db.close()
    roster = make_roster(tmp_path / "roster.xlsx", 5000, orgs)
    before = state(base)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", TAIZHANG_HOME=str(tmp_path),
               PYTHONPYCACHEPREFIX=str(tmp_path_factory.getbasetemp() / "pycache"))
    for when in ("plan", "commit"):
        path = tmp_path / f"{when}.db"
        shutil.copyfile(base, path)
        proc = subprocess.Popen([sys.executable, "-m", "app", "--db", str(path), "import",
                                 "party_members", str(roster), "--apply"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if when == "plan":
            time.sleep(1.5)
        else:
            assert wait_for_commit(proc, path) is not None
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        err = err.decode("utf-8", "replace")
        assert proc.returncode == 130, (when, err)
        assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("已中断"), err
        assert state(path) == before, when


@given(st.integers(0, 9_999_999), st.integers(0, 99_999_999))
def test_greater_matches_exactly_the_larger_numbers(n, m):
    """The cheap check's "row past the highest row" pattern, against plain comparison."""
    from app.excel.safety import _greater
    assert (re.fullmatch(_greater(n), str(m)) is not None) == (m > n)
