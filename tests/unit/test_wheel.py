"""The installed wheel carries its migrations and resources: build it, install it into a fresh
virtual environment, and run the headless commands from outside the checkout."""

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, timeout=300)
    [whl] = out.glob("taizhang-*.whl")
    return whl


def test_wheel_contains_migrations_and_resources(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "app/_migrations/env.py" in names
    assert any(n.startswith("app/_migrations/versions/0001_") for n in names)
    assert any(n.startswith("app/_resources/") for n in names)
    entry = [n for n in names if n.endswith("entry_points.txt")]
    text = zipfile.ZipFile(wheel).read(entry[0]).decode()
    assert "taizhang = app.cli:main" in text and "taizhang-gui = app.cli:gui_main" in text


@pytest.mark.slow
def test_installed_wheel_creates_and_checks_a_database(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    # The dependencies come from this interpreter's site-packages (no download), listed in a
    # .pth after the venv's own: the wheel's `app` wins over any editable checkout, and the
    # .pth files in those folders (an editable install's among them) are not processed.
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()"
                              "['purelib'])"], capture_output=True, text=True,
                             check=True).stdout.strip()
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib, "taizhang_test_deps.pth").write_text("\n".join(deps) + "\n",
                                                         encoding="utf-8")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall",
                    str(wheel)], check=True, timeout=300)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["TAIZHANG_HOME"] = str(tmp_path / "home")
    where = subprocess.run([str(py), "-c", "import app, sys; print(app.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert str(venv) in where.stdout, where.stdout  # not the checkout
    db = tmp_path / "w.db"
    exe = bindir / "taizhang"
    r = subprocess.run([str(exe), "demo", "--db", str(db)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([str(exe), "check", "--db", str(db)], cwd=tmp_path, env=env,
                       capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "完整性检查\tok" in r.stdout and r.stdout.strip().endswith("正常")
    # default location: the user's data folder (TAIZHANG_HOME here)
    r = subprocess.run([str(exe), "demo"], cwd=tmp_path, env=env, capture_output=True,
                       text=True, encoding="utf-8", timeout=300)
    assert r.returncode == 0 and (tmp_path / "home" / "taizhang.db").exists()
