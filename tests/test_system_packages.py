"""The rule for tests that need a system package: skipped with a reason, summed up in one
line with the apt-get command that would run them, and a failure under CI."""

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import NEEDS_POSTGRESQL, ROOT, skip_summary, system_packages

SUITE = """
import pytest

@pytest.mark.needs_system("dovecot-imapd")
def test_imap():
    pass

@pytest.mark.browser
def test_page():
    pass

def test_plain():
    pass
"""


def run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nmarkers =\n    browser: x\n    needs_system: x\n    needs_postgresql: x\n"
    )
    (tmp_path / "test_suite.py").write_text(SUITE)
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "CI": "", **env}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:django", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_package_list_is_the_scripts(tmp_path):
    table = system_packages()
    assert {"chromium", "dovecot-imapd", "tesseract-ocr", "ocrmypdf"} <= set(table)
    out = subprocess.run(
        ["bash", "scripts/system_packages.sh", "missing"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert set(out) == {p for p, path in table.items() if not os.path.exists(path)}


def test_a_missing_package_skips_its_tests_and_the_last_line_says_how_to_run_them(tmp_path):
    result = run(tmp_path, FOI_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    dovecot_missing = not os.path.exists(system_packages()["dovecot-imapd"])
    assert last.startswith(f"SKIPPED {1 + dovecot_missing} test(s)"), last
    assert "apt-get install -y chromium" in last and "test_suite.py" in last


def test_under_ci_a_skip_fails_the_run(tmp_path):
    result = run(tmp_path, FOI_CHROMIUM=str(tmp_path / "no-chromium"), CI="true")
    assert result.returncode == 1
    assert "CI=true: a skip fails the run" in result.stdout


def test_nothing_skipped_prints_no_summary(tmp_path):
    result = run(tmp_path, FOI_CHROMIUM=sys.executable)  # any file that exists
    others = {p: path for p, path in system_packages().items() if p != "chromium"}
    if any(not os.path.exists(path) for path in others.values()):
        assert "SKIPPED" in result.stdout  # dovecot missing here: said, never silent
    else:
        assert result.returncode == 0 and "SKIPPED" not in result.stdout


def test_the_summary_names_every_need_with_its_count():
    line = skip_summary(
        [
            ("tests/a.py::t1", "needs the system package(s): chromium"),
            ("tests/a.py::t2", "needs the system package(s): dovecot-imapd chromium"),
            ("tests/b.py::t", NEEDS_POSTGRESQL),
        ]
    )
    assert line == (
        "SKIPPED 3 test(s): 2 need `apt-get install -y chromium dovecot-imapd` (as root), "
        "1 need PostgreSQL (set DATABASE_URL=postgres://...); in tests/a.py (2), tests/b.py (1)"
    )
