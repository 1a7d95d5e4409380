"""The 使用说明 shipped in resources/manual (issue 12): every chapter the brief names is there,
linked from the index, every picture it shows exists and the pictures stay small."""

from __future__ import annotations

import re

from app.paths import resources_dir

MANUAL = resources_dir() / "manual"


def _pages():
    return sorted(MANUAL.glob("*.md"))


def test_the_index_links_every_page_and_every_link_resolves():
    index = (MANUAL / "index.md").read_text("utf-8")
    linked = set(re.findall(r"\]\(([^)#]+\.md)\)", index))
    assert linked == {p.name for p in _pages()} - {"index.md"}
    for page in _pages():
        for target in re.findall(r"\]\(([^)#:]+)\)", page.read_text("utf-8")):
            assert (MANUAL / target).exists(), (page.name, target)


def test_it_covers_what_a_clerk_needs():
    text = "\n".join(p.read_text("utf-8") for p in _pages())
    for topic in ("第一次使用", "演示数据", "党建引领", "自治基础", "法治保障", "德治支撑",
                  "服务群众", "干部担当", "基础信息", "导入", "值对应", "身份证号被存成了数字",
                  "打印", "签到表", "备份数据库", "taizhang print", "taizhang import",
                  "Ctrl+Z", "人员标签", "字号"):
        assert topic in text, topic


def test_pictures_exist_are_used_and_small():
    images = sorted((MANUAL / "images").glob("*.png"))
    used = {m for p in _pages() for m in re.findall(r"images/([\w-]+\.png)",
                                                    p.read_text("utf-8"))}
    assert used == {i.name for i in images}
    assert 5 <= len(images) <= 12
    assert all(i.stat().st_size < 200_000 for i in images)
    assert sum(i.stat().st_size for i in images) < 1_200_000


def test_the_screenshot_script_makes_every_picture_the_manual_shows(tmp_path):
    """packaging/manual_screenshots.py still runs on the demo and makes the pictures the
    pages use (in a process of its own: it starts its own QApplication)."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root)}
    done = subprocess.run([sys.executable, str(root / "packaging" / "manual_screenshots.py"),
                           str(tmp_path)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    made = {p.name for p in tmp_path.glob("*.png")}
    assert made == {p.name for p in (MANUAL / "images").glob("*.png")}
    assert all(p.stat().st_size < 200_000 for p in tmp_path.glob("*.png"))
