"""Shared fixtures, and the rules for tests that need what pip cannot install.

A test that needs a Debian package says so with ``@pytest.mark.needs_system("dovecot-imapd")``
(browser tests need ``chromium`` by their ``browser`` marker); one that needs PostgreSQL
with ``@pytest.mark.needs_postgresql``. When the package or the database is missing the
test is skipped with that reason, and the run ends with one line naming every skipped
test file and what would run it (the ``apt-get install`` line, or ``DATABASE_URL``).
With ``CI=true`` any skip fails the run: CI installs everything, so nothing may skip.
The packages and the file each installs are listed once, in scripts/system_packages.sh.
"""

import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SYSTEM_PACKAGES_SCRIPT = ROOT / "scripts" / "system_packages.sh"
NEEDS_POSTGRESQL = "needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:5432/NAME"
NEEDS_PACKAGES = "needs the system package(s): "


def system_packages() -> dict[str, str]:
    """Each Debian package the tests use, and the file whose presence shows it installed."""
    out = subprocess.run(
        ["bash", str(SYSTEM_PACKAGES_SCRIPT), "table"], capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split(maxsplit=1) for line in out.splitlines() if line.strip())


def ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_configure(config):
    config.foi_packages = system_packages()


def packages_needed(item) -> list[str]:
    needed = [p for marker in item.iter_markers("needs_system") for p in marker.args]
    if item.get_closest_marker("browser"):
        needed.append("chromium")
    return sorted(set(needed))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Skip (before any fixture runs) a test whose system package or database is missing."""
    table = item.config.foi_packages
    for package in packages_needed(item):
        if package not in table:
            raise pytest.UsageError(f"{item.nodeid}: {package} is not in {SYSTEM_PACKAGES_SCRIPT}")
    missing = [p for p in packages_needed(item) if not os.path.exists(table[p])]
    if missing:
        pytest.skip(NEEDS_PACKAGES + " ".join(missing))
    if item.get_closest_marker("needs_postgresql"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip(NEEDS_POSTGRESQL)


#: (test id, reason) of every test skipped in this run.
SKIPS: list[tuple[str, str]] = []


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        SKIPS.append((report.nodeid, reason.removeprefix("Skipped: ")))


def skip_summary(skips: list[tuple[str, str]]) -> str:
    """One line: how many tests were skipped, what would run them, and in which files."""
    files = Counter(nodeid.split("::")[0] for nodeid, _ in skips)
    packages: set[str] = set()
    by_need: Counter[str] = Counter()
    for _, reason in skips:
        if reason.startswith(NEEDS_PACKAGES):
            packages.update(reason.removeprefix(NEEDS_PACKAGES).split())
            by_need["packages"] += 1
        elif reason == NEEDS_POSTGRESQL:
            by_need["PostgreSQL (set DATABASE_URL=postgres://...)"] += 1
        else:
            by_need[reason] += 1
    install = f"`apt-get install -y {' '.join(sorted(packages))}` (as root)"
    needs = ", ".join(
        f"{n} need {install if need == 'packages' else need}" for need, n in by_need.items()
    )
    where = ", ".join(f"{path} ({n})" for path, n in sorted(files.items()))
    return f"SKIPPED {len(skips)} test(s): {needs}; in {where}"


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if ci() and SKIPS and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
    """The last line of the run names every skipped test file and what would run it."""
    skips = SKIPS
    if not skips:
        return
    line = skip_summary(skips)
    if ci():
        line += " (CI=true: a skip fails the run)"
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line(line, yellow=True, bold=True)
    else:
        print(line)


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    """Every Django test writes its files under its own folder and hashes passwords cheaply."""
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = tmp_path / "media"
        # PBKDF2 costs ~0.6 s a password on this machine; tests do not need it.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Celery tasks run in this process, at once, as in `make demo`."""
    from foitracker.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _member(username: str, role: str):
    from tests.factories import MembershipFactory, UserFactory, default_team

    user = UserFactory(username=username)
    MembershipFactory(user=user, team=default_team(), role=role)
    return user


@pytest.fixture
def researcher(db):
    """A researcher in the Default team, which factory-made campaigns belong to."""
    return _member("researcher", "researcher")


@pytest.fixture
def coordinator(db):
    return _member("coordinator", "coordinator")


@pytest.fixture
def viewer(db):
    return _member("viewer", "viewer")


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="boss", is_staff=True, is_superuser=True)
