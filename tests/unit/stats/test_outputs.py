"""Drill-down equals the figure; the CLI (table, --json, errors); the workbook; the brief's
sentences carry the right numbers in the .docx and the PDF; the layering rules of app/stats."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from app.services import records
from tests.conftest import require_tool
from app.stats import catalogue, compute, drill

from .conftest import TODAY

ROOT = Path(__file__).resolve().parents[3]


def _count_parts(fig, value):
    """(part, expected rows) for a count figure: the whole, or each part of a breakdown."""
    if not isinstance(value, dict):
        return [(None, value)]
    out = []
    for part, v in value.items():
        if isinstance(v, dict):
            out += [((part, inner), n) for inner, n in v.items()]
        else:
            out.append((part, v))
    return out


def test_drill_down_rows_equal_every_count_figure(street):
    report = compute(street, "2026Q3", today=TODAY)
    checked = 0
    for fig in catalogue.FIGURES:
        if not fig.counts_rows:
            continue
        for which, values in (("now", report.values), ("before", report.previous_values)):
            for part, want in _count_parts(fig, values[fig.key]):
                register, ids = drill(street, fig.key, "2026Q3", today=TODAY, part=part,
                                      previous=which == "before")
                assert register == fig.register_key
                # What the register view loads for these rows (its query, not deleted).
                rows = records.list_rows(street, register, filters={"id": ids})
                assert len(rows) == want, (fig.key, which, part)
                checked += 1
    assert checked > 200


def test_drill_down_of_a_scoped_figure_stays_in_scope(street):
    register, ids = drill(street, "members_total", "2026Q3", ["甲社区"], today=TODAY)
    names = {r["person_name"] for r in records.list_rows(street, register, filters={"id": ids})}
    assert names == {"人员1", "人员2"}
    register, ids = drill(street, "members_by_status", "2026Q3", today=TODAY, part="转出")
    assert [r["person_name"] for r in records.list_rows(street, register,
                                                         filters={"id": ids})] == ["人员3"]


def _run(*args):
    from app.cli import main
    return main(list(args))


def test_cli_table_json_and_errors(street, capsys, tmp_path):
    assert _run("stats", "--db", street.location, "--period", "2026Q3", "--today",
                TODAY.isoformat()) == 0
    out = capsys.readouterr().out
    assert "测试街道 · 2026年第三季度 · 全街道" in out
    line = next(x for x in out.splitlines() if x.startswith("党组织对小区的覆盖率"))
    assert line.split()[1:3] == ["66.7", "33.3"]
    assert _run("stats", "--db", street.location, "--period", "2026Q3", "--community",
                "甲社区", "--json", "--today", TODAY.isoformat()) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["party"]["members_total"] == {
        "label": "期末在册党员", "value": 2, "unit": "名", "previous": 2, "timing": "期末",
        "register": "party_members"}
    for bad in (["--period", "2026Q5"], ["--period", "2026-13"], ["--community", "丙社区"],
                ["--period", "2027"], ["--period", "2026-09-31..2026-10-01"]):
        assert _run("stats", "--db", street.location, "--today", TODAY.isoformat(), *bad) == 2
        err = capsys.readouterr().err
        assert err.startswith("错误：") and "Traceback" not in err
    assert _run("stats", "--db", str(tmp_path / "none.db")) == 1


def test_workbook_has_a_sheet_per_area_with_last_year_beside(street, tmp_path):
    import openpyxl
    report = compute(street, "2026Q3", ["乙社区"], today=TODAY)
    from app.stats.workbook import write_workbook
    path = write_workbook(report, tmp_path / "统计表.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["党建引领", "自治基础", "法治保障", "德治支撑", "服务群众", "干部担当"]
    ws = wb["党建引领"]
    assert "2026年第三季度" in ws["A2"].value and "乙社区" in ws["A2"].value
    assert ws["B3"].value.startswith("本期") and ws["C3"].value.startswith("上年同期")
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == "期末在册党员")
    assert row[1:5] == (2, 1, "+1", "名")          # m4 m5 | m5
    assert ws.print_title_rows == "$3:$3"


def _brief_text_docx(path):
    from docx import Document
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs), doc


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_brief_sentences_hold_the_numbers(street, tmp_path, suffix):
    report = compute(street, "2026Q3", today=TODAY)
    from app.stats.brief import write_brief
    path = write_brief(report, tmp_path / f"简报{suffix}")
    if suffix == ".docx":
        text, doc = _brief_text_docx(path)
        assert len(doc.inline_shapes) >= 6          # the charts
        assert len(doc.tables) == 6
    else:
        require_tool("pdftotext", "poppler-utils")
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        text = "".join(text.split())                # lines wrap anywhere in Chinese
    assert "测试街道党建引领基层治理数据简报" in text
    for sentence in ("已建立小区党支部2个", "党组织对小区的覆盖率达66.7%", "期末在册党员4名",
                     "其中正式党员2名、预备党员2名", "召开“三会一课”6次", "按规定应召开11次",
                     "未按期召开的支部和党小组3个", "受理矛盾纠纷调解案件3件", "调解成功率50.0%",
                     "平均63.5天办结", "老访户1人", "网上办理占33.3%", "平均每季度开展主题沙龙1.0次",
                     "有“三无”小区1个"):
        assert sentence in text, sentence


def test_stats_layering_and_select_only():
    bad = []
    for path in (ROOT / "app" / "stats").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [("app." if node.level else "") + node.module.lstrip(".")] \
                    if node.level <= 1 else [node.module]
            for n in names:
                if n.split(".")[0] in ("PySide6", "shiboken6") or any(
                        n.startswith(f"app.{x}") or n == x for x in ("ui", "excel", "printing")):
                    bad.append(f"{path.name}: {n}")
            if isinstance(node, ast.Attribute) and node.attr in ("insert", "update", "delete") \
                    and isinstance(node.value, ast.Name) and node.value.id in ("t", "c", "o"):
                bad.append(f"{path.name}: writes with .{node.attr}")
    assert bad == []
