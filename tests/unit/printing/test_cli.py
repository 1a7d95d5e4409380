"""``taizhang print`` from the command line: the contract of issue 5 (command, options, exit
codes, Chinese messages) and the PDFs it writes."""

from __future__ import annotations

import pytest

from app.cli import main
from app.services import records

from .print_helpers import needs_poppler, pdf_pages, squash

pytestmark = needs_poppler


def _run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_print_party_roster_with_filter_and_grouping(demo_db, tmp_path, capsys):
    out = tmp_path / "党员花名册.pdf"
    code, stdout, err = _run(capsys, "print", "party_members", str(out), "--db",
                             demo_db.location, "--filter", "status=在册",
                             "--group-by", "org_id")
    assert code == 0, err
    pages = pdf_pages(out)
    assert f"{len(pages)} 页" in stdout and "党员花名册" in stdout
    active = records.list_rows(demo_db, "party_members", filters={"status": "在册"})
    gone = records.list_rows(demo_db, "party_members", filters={"status": ["转出", "去世"]})
    text = squash("".join(pages))
    assert all(r["person_name"] in text for r in active)
    only_gone = {r["person_name"] for r in gone} - {r["person_name"] for r in active}
    assert only_gone and not any(name in text for name in only_gone)
    assert "状态：在册" in text
    assert text.count("所在党组织：") >= 3


def test_filter_by_community_name_and_orientation(demo_db, tmp_path, capsys):
    com = records.list_rows(demo_db, "communities")[0]
    out = tmp_path / "调解.pdf"
    code, stdout, err = _run(capsys, "print", "mediation_cases", str(out), "--db",
                             demo_db.location, "--filter", f"社区={com['name']}",
                             "--orientation", "portrait", "--office", "测试街道")
    assert code == 0, err
    assert "纵向" in stdout
    first = squash(pdf_pages(out)[0])
    assert "测试街道矛盾纠纷调解登记表" in first
    assert f"社区：{com['name']}" in first


def test_full_ids_flag(demo_db, tmp_path, capsys):
    out = tmp_path / "full.pdf"
    code, _, err = _run(capsys, "print", "party_members", str(out), "--db",
                        demo_db.location, "--full-ids")
    assert code == 0, err
    member = next(r for r in records.list_rows(demo_db, "party_members",
                                               filters={"status": "在册"})
                  if r["person_id_number"])
    assert member["person_id_number"] in squash("".join(pdf_pages(out)))


def test_print_sign_in(demo_db, tmp_path, capsys):
    m = records.list_rows(demo_db, "party_meetings")[0]
    out = tmp_path / "签到表.pdf"
    code, stdout, err = _run(capsys, "print", "sign-in", str(m["id"]), str(out), "--db",
                             demo_db.location)
    assert code == 0, err
    assert "签到表" in stdout
    assert f"{m['meeting_type']}签到表" in squash(pdf_pages(out)[0])


@pytest.mark.parametrize("argv, message", [
    (["print", "no_such", "x.pdf"], "没有名为“no_such”的台账"),
    (["print", "party_members", "x.txt"], "应以 .pdf 结尾"),
    (["print", "sign-in", "abc", "x.pdf"], "会议编号应为数字"),
    (["print", "sign-in", "x.pdf"], "用法"),
    (["print", "party_members", "x.pdf", "--filter", "status"], "应写成 字段=值"),
    (["print", "party_members", "x.pdf", "--filter", "status=退休"], "不是可选值"),
    (["print", "party_members", "x.pdf", "--filter", "nofield=1"], "没有字段“nofield”"),
    (["print", "party_members", "x.pdf", "--filter", "org_id=不存在的支部"], "没有名为“不存在的支部”"),
    (["print", "party_members", "x.pdf", "--group-by", "work_unit"], "不能按“work_unit”分组"),
    (["print", "sign-in", "999999", "x.pdf"], "没有编号为 999999 的组织生活记录"),
])
def test_bad_arguments_give_a_chinese_message_and_write_nothing(demo_db, tmp_path, capsys,
                                                                monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = _run(capsys, *argv, "--db", demo_db.location)
    assert code == 2
    assert message in err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".taizhang-*"))


def test_missing_database_or_folder(demo_db, tmp_path, capsys):
    code, _, err = _run(capsys, "print", "party_orgs", str(tmp_path / "a.pdf"), "--db",
                        str(tmp_path / "none.db"))
    assert code == 1 and "数据库文件不存在" in err
    code, _, err = _run(capsys, "print", "party_orgs", str(tmp_path / "no" / "a.pdf"), "--db",
                        demo_db.location)
    assert code == 1 and "文件夹不存在" in err


def test_print_works_without_pyside6(demo_db, tmp_path):
    """The command line prints on a machine where Qt cannot even be imported."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[3]
    blocker = tmp_path / "blocker" / "PySide6"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError('blocked')\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(blocker.parent), str(root)])}
    m = records.list_rows(demo_db, "party_meetings")[0]
    for argv in (["party_orgs", "orgs.pdf"], ["sign-in", str(m["id"]), "sign.pdf"]):
        r = subprocess.run([sys.executable, "-m", "app", "print", *argv, "--db",
                            demo_db.location], cwd=tmp_path, env=env, capture_output=True,
                           text=True, encoding="utf-8", timeout=120)
        assert r.returncode == 0, r.stderr
    assert "党组织一览" in squash("".join(pdf_pages(tmp_path / "orgs.pdf")))
    assert "签到表" in squash("".join(pdf_pages(tmp_path / "sign.pdf")))


def test_rare_characters_are_warned_about(demo_db, tmp_path, capsys):
    person = records.list_rows(demo_db, "people")[0]
    records.update(demo_db, "people", person["id"], {"name": "龚䶮"}, "测试")
    code, _, err = _run(capsys, "print", "people", str(tmp_path / "p.pdf"), "--db",
                        demo_db.location)
    assert code == 0
    assert "打印字体中没有这些字：䶮" in err


def test_the_roster_starts_from_the_registers_default_filter_as_the_window_does(
        demo_db, tmp_path, capsys):
    on_roll = records.count(demo_db, "party_members", filters={"status": "在册"})
    everyone = records.count(demo_db, "party_members")
    assert on_roll < everyone
    out = tmp_path / "党员.pdf"
    code, stdout, err = _run(capsys, "print", "party_members", str(out), "--db",
                             demo_db.location)
    assert code == 0, err
    assert f"{on_roll} 行" in stdout
    first = squash(pdf_pages(out)[0])
    assert squash(f"状态：在册　共 {on_roll} 人") in first  # the scope line says so
    # --all prints every status; a --filter on the status field replaces the default.
    code, stdout, err = _run(capsys, "print", "party_members", str(out), "--db",
                             demo_db.location, "--all")
    assert code == 0 and f"{everyone} 行" in stdout, err
    gone = records.count(demo_db, "party_members", filters={"status": "转出"})
    code, stdout, err = _run(capsys, "print", "party_members", str(out), "--db",
                             demo_db.location, "--filter", "status=转出")
    assert code == 0 and f"{gone} 行" in stdout, err
