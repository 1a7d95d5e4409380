"""Mutation score of the core logic, per module (mutmut 3).

For each module below, the repository is copied to a scratch folder, mutmut mutates that one
module and runs only the tests that exercise it (a narrow selection keeps a run to minutes on
two cores), and the killed / total count is printed.  Survivors that are equivalent to the
original (no test can tell them apart) are listed with the reason in
``tests/mutation/equivalent.toml`` and counted separately.

    python bench/mutation_score.py                 # every module, one after the other
    python bench/mutation_score.py validators plan # some of them
    python bench/mutation_score.py --survivors     # also print each survivor's diff
    python bench/mutation_score.py layout --recheck names.txt   # only the mutants named there

``--recheck`` runs only the mutants listed in a file (one name a line, e.g. the survivors of
the last full run): after tests were added, a mutant killed before is still killed, so the
score is the full run's killed count plus the rechecked ones now killed.

Needs ``pip install mutmut`` (not part of the test extra: CI does not run this).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.90

#: name → (module file, tests that exercise it)
MODULES = {
    "validators": ("app/core/validators.py", ["tests/unit/core"]),
    "normalize": ("app/excel/normalize.py",
                  ["tests/unit/excel/test_speed.py", "tests/unit/excel/test_normalize.py",
                   "tests/unit/excel/test_serial_cells.py",
                   "tests/unit/excel/test_judged_as_of.py"]),
    "validate_row": ("app/excel/validate_row.py",
                     ["tests/unit/excel/test_plan_decisions.py",
                      "tests/unit/excel/test_plan_people.py",
                      "tests/unit/excel/test_plan_changes.py",
                      "tests/unit/excel/test_reimport_unchanged.py",
                      "tests/unit/excel/test_plan_validation.py",
                      "tests/unit/excel/test_import_budget.py"]),
    "layout": ("app/printing/layout.py",
               ["tests/unit/printing/test_layout.py", "tests/unit/printing/test_pdf_geometry.py",
                "tests/unit/printing/test_layout_details.py",
                "tests/unit/printing/test_layout_edges.py"]),
    "batch_rules": ("app/services/batch.py",
                    ["tests/unit/services/test_workflow_rules.py",
                     "tests/unit/services/test_batch.py"]),
    "rules": ("app/services/rules.py", ["tests/unit/services/test_workflow_rules.py"]),
    # The figures (总览, taizhang stats): the counting engine, the periods they are counted
    # for, and the shared conditions (months, ages, steps reached) — against hand-worked
    # answers on the hand-built 街道 of tests/unit/stats/conftest.py.
    "stats_engine": ("app/stats/engine.py",
                     ["tests/unit/stats/test_figures.py", "tests/unit/stats/test_outputs.py",
                      "tests/unit/stats/test_drill.py", "tests/unit/stats/test_engine.py"]),
    "stats_period": ("app/stats/period.py",
                     ["tests/unit/stats/test_period.py", "tests/unit/stats/test_figures.py"]),
    # (Not test_outputs.py: the outputs only format these values, and a surviving mutant of
    # an import-time factory runs every test of the selection in a fresh import.)
    "stats_common": ("app/stats/common.py",
                     ["tests/unit/stats/test_figures.py", "tests/unit/stats/test_drill.py",
                      "tests/unit/stats/test_engine.py", "tests/unit/stats/test_common.py"]),
}

#: Functions of a module mutated on their own: the workflow rules of batch.py (the rest of
#: it is the write path), and the import plan's decisions in validate_row.py (what changed,
#: which status, which step; check_row's bookkeeping and the person operations are left for
#: a later run: 776 mutants of the whole file take hours on two shared cores).
ONLY_FUNCTIONS = {"batch_rules": ("step_error", "next_of"),
                  "validate_row": ("_decide", "_same_text", "_blank", "_validate",
                                   "_step_warnings", "_step_date", "_file_canon", "_text",
                                   "_after_text")}


#: Modules whose functions are called while the code is imported: the figure catalogue is
#: declared with ``choice()``, ``flag()``, ``age_band()``, ``month()`` … of app/stats/common.py
#: at import.  mutmut imports the code once (collecting which tests call what) and forks a
#: child per mutant, so the declarations a mutant of such a function would build are never
#: built; and it credits the calls made during the import to the first test alone.  For these
#: modules a plugin (below) makes each mutant's child import the named packages afresh, and
#: credits the functions called during the import to every test of the selection.
IMPORT_TIME = {"stats_common": ("app.stats", "tests.unit.stats")}

IMPORT_HITS_PLUGIN = '''"""Written by bench/mutation_score.py (see IMPORT_TIME there)."""
import os
import sys

import pytest
from mutmut.state import state

FRESH = %r
_AT_IMPORT = set()


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config, parser, args):
    # In a mutant's child: forget the modules imported (unmutated) by the parent, so the
    # declarations are built again with the mutant.
    if "__mutmut_" in os.environ.get("MUTANT_UNDER_TEST", ""):
        for name in [m for m in sys.modules if m.startswith(FRESH)]:
            del sys.modules[name]


def pytest_collection_finish(session):
    _AT_IMPORT.update(state()._stats)


def pytest_runtest_setup(item):
    state()._stats.update(_AT_IMPORT)
'''


def equivalents() -> dict[str, str]:
    path = ROOT / "tests" / "mutation" / "equivalent.toml"
    if not path.exists():
        return {}
    return {k: v for section in tomllib.loads(path.read_text("utf-8")).values()
            for k, v in section.items()}


def copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file() and not rel.startswith(("docs/", "mutants/")):
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def run_module(name: str, show: bool, recheck: list[str] | None = None
               ) -> tuple[int, int, list[str]]:
    module, tests = MODULES[name]
    tests = [t for t in tests if t.startswith("-") or (ROOT / t).exists()
             or not t.startswith("tests/")]
    work = Path(tempfile.mkdtemp(prefix=f"mutation-{name}-"))
    copy_repo(work)
    args = ["-p", "no:cacheprovider", "-q", "-x"]
    if name in IMPORT_TIME:
        # tests/ is copied into mutmut's folder (and is a package): the plugin goes there.
        (work / "tests" / "mutation_import_hits.py").write_text(
            IMPORT_HITS_PLUGIN % (IMPORT_TIME[name],), encoding="utf-8")
        args += ["-p", "tests.mutation_import_hits"]
    with open(work / "pyproject.toml", "a", encoding="utf-8") as f:
        f.write("\n[tool.mutmut]\n"
                'source_paths = ["app"]\n'
                'also_copy = ["db", "resources"]\n'   # migrations and fonts the tests need
                f"only_mutate = [{json.dumps(module)}]\n"
                f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
                f"pytest_add_cli_args = {json.dumps(args)}\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(work)}
    env.pop("CI", None)
    only = ONLY_FUNCTIONS.get(name)
    dotted = module[:-3].replace("/", ".")
    names = [f"{dotted}.x_{fn}__mutmut_*" for fn in only] if only else []
    if recheck:
        names = [m for m in recheck if m.startswith(dotted + ".")]
    run = subprocess.run(["mutmut", "run", "--max-children", "1", *names], cwd=work, env=env,
                         capture_output=True, text=True)
    if run.returncode not in (0, 1) or "failed to collect stats" in run.stdout + run.stderr:
        print(run.stdout[-3000:], run.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"mutmut failed on {module}")
    res = subprocess.run(["mutmut", "results", "--all", "true"], cwd=work, env=env,
                         capture_output=True, text=True).stdout.splitlines()
    status: dict[str, str] = {}
    for line in res:
        if ":" not in line:
            continue
        mutant, state = (x.strip() for x in line.rsplit(":", 1))
        if only and not any(f".x_{fn}__mutmut_" in mutant for fn in only):
            continue
        if recheck and mutant not in recheck:
            continue
        if state == "not checked":
            continue
        status[mutant] = state
    # A timeout counts as detected (e.g. a page-capacity mutant makes the paginator start new
    # pages forever), but it is reported: on two shared cores a slow run can also be load.
    survivors = sorted(m for m, s in status.items() if s not in ("killed", "timeout"))
    timeouts = sum(1 for s in status.values() if s == "timeout")
    if timeouts:
        print(f"    ({timeouts} of the killed timed out: check them on a quiet machine)",
              flush=True)
    if show:
        for m in survivors:
            diff = subprocess.run(["mutmut", "show", m], cwd=work, env=env,
                                  capture_output=True, text=True).stdout
            print(f"--- {m}\n" + "\n".join(line for line in diff.splitlines()
                                           if line[:1] in "+-" and line[:3] not in ("+++", "---")))
    shutil.rmtree(work, ignore_errors=True)
    return len(status) - len(survivors), len(status), survivors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", choices=[[], *MODULES], default=[])
    parser.add_argument("--survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument("--recheck", type=Path, help="file of mutant names: run only those")
    args = parser.parse_args()
    known = equivalents()
    recheck = (args.recheck.read_text("utf-8").split() if args.recheck else None)
    rows = []
    for name in args.modules or MODULES:
        start = time.perf_counter()
        killed, total, survivors = run_module(name, args.survivors, recheck)
        explained = [m for m in survivors if m in known]
        left = [m for m in survivors if m not in known]
        score = killed / total if total else 1.0
        adjusted = (killed + len(explained)) / total if total else 1.0
        rows.append((MODULES[name][0], killed, total, score, len(explained), adjusted, left))
        print(f"{MODULES[name][0]:32} killed {killed:4}/{total:<4} {score:6.1%}   "
              f"+{len(explained)} equivalent → {adjusted:6.1%}   "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
        for m in left:
            print(f"    survived, unexplained: {m}")
    bad = [r for r in rows if r[5] < GOAL]
    print(f"goal ≥ {GOAL:.0%} per module (equivalent mutants explained): "
          + ("met" if not bad else "NOT met for " + ", ".join(r[0] for r in bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
