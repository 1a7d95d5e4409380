"""The headless commands: demo, check, registers (exact output shape is a contract)."""

import sqlite3

from app.cli import main
from app.registry import REGISTERS


def test_registers_lists_every_key_label_area(capsys):
    assert main(["registers"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(REGISTERS)
    assert "party_members\t党员\t党建引领" in lines
    assert "mediation_cases\t矛盾纠纷调解\t法治保障" in lines


def test_demo_then_check_reports_healthy_and_every_register_filled(tmp_path, capsys):
    db = tmp_path / "d.db"
    assert main(["demo", "--db", str(db), "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("结构版本\t") and "最新" in out[0]
    assert out[1] == "完整性检查\tok"
    rows = {line.split("\t")[0]: line.split("\t") for line in out[2:-1]}
    assert set(rows) == {r.key for r in REGISTERS}
    for reg in REGISTERS:
        key, label, n = rows[reg.key]
        assert label == reg.label and int(n) > 0
    assert out[-1] == "结论\t正常"


def test_global_db_option_before_the_subcommand(tmp_path, capsys):
    db = tmp_path / "g.db"
    assert main(["--db", str(db), "demo"]) == 0
    assert db.exists()


def test_demo_twice_is_refused(tmp_path, capsys):
    db = tmp_path / "d.db"
    main(["demo", "--db", str(db)])
    assert main(["demo", "--db", str(db)]) == 1
    assert "已有人员" in capsys.readouterr().err


def test_check_missing_file_fails(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "none.db")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_check_fails_on_a_broken_foreign_key(tmp_path, capsys):
    db = tmp_path / "d.db"
    main(["demo", "--db", str(db)])
    from app.storage import cipher, keyslots
    # The demo's file is encrypted (where SQLCipher is installed); its key is unlocked in
    # this process since the demo made it.
    con = cipher.open_any(db, keyslots.key_for(db))
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("UPDATE compounds SET community_id = 9999 WHERE id = 1")
    con.commit()
    con.close()
    capsys.readouterr()
    assert main(["check", "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "外键错误" in out and out.strip().endswith("有问题，见上")


def test_check_reports_an_old_schema(tmp_path, capsys):
    from app.storage import Database
    db = tmp_path / "old.db"
    Database(db, to_revision="0001").close()
    assert main(["check", "--db", str(db)]) == 1
    assert "0001" in capsys.readouterr().out


def test_check_a_damaged_file_fails_with_a_message(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    assert main(["check", "--db", str(bad)]) == 1
    assert "不是数据库文件" in capsys.readouterr().err


def test_demo_on_a_damaged_file_fails_with_a_message(tmp_path, capsys):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not a database at all" * 100)
    try:
        code = main(["demo", "--db", str(bad)])
    except SystemExit as exc:
        code = exc.code
    assert code == 1
    assert "不是数据库文件" in capsys.readouterr().err
