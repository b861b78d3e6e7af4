"""The domain core imports no Django, so it runs (and is tested) without settings or a database.

Read from the source with ``ast`` rather than by importing, so a Django import
hidden in a function body or behind ``if TYPE_CHECKING`` is caught too, and
so is an import of an app's Django side (models, services) that would bring
Django in.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOMAINS = [ROOT / "questions", ROOT / "requests_app" / "domain", ROOT / "responses_app" / "domain"]
FORBIDDEN_ROOTS = {"django", "rest_framework", "celery", "foitracker"}
APPS = {"requests_app", "responses_app"}


def _domain_files() -> list[Path]:
    return sorted(p for d in DOMAINS if d.is_dir() for p in d.rglob("*.py"))


def _package_of(path: Path) -> list[str]:
    """['requests_app', 'domain'] for requests_app/domain/calendar.py (and its __init__.py)."""
    return list(path.relative_to(ROOT).parent.parts)


def _imported(source: str, package: list[str]) -> list[tuple[int, str]]:
    """Every module ``source`` imports, relative imports resolved against ``package``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.append((node.lineno, name))
    return found


def _offence(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] in FORBIDDEN_ROOTS:
        return f"imports {name}"
    if parts[0] in APPS and (len(parts) < 2 or parts[1] != "domain"):
        return f"imports {name}, outside the domain core"
    return None


def test_there_are_domain_modules_to_check():
    names = {p.name for p in _domain_files()}
    assert {"calendar.py", "lifecycle.py"} <= names


@pytest.mark.parametrize("path", _domain_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_domain_module_imports_no_django(path):
    offences = [
        f"{path.relative_to(ROOT)}:{line} {why}"
        for line, name in _imported(path.read_text(encoding="utf-8"), _package_of(path))
        if (why := _offence(name))
    ]
    assert offences == []


@pytest.mark.parametrize(
    ("name", "bad"),
    [
        ("django.db.models", True),
        ("django", True),
        ("requests_app.models", True),
        ("responses_app.services.storage", True),
        ("requests_app", True),
        ("requests_app.domain.calendar", False),
        ("holidays", False),
        ("djangoish", False),
    ],
)
def test_the_checker_tells_django_from_the_rest(name, bad):
    assert (_offence(name) is not None) is bad


def test_relative_imports_are_resolved():
    source = "from . import explain\nfrom .calendar import Regime\nfrom ..models import Force\n"
    names = [name for _, name in _imported(source, ["requests_app", "domain"])]
    assert names == ["requests_app.domain", "requests_app.domain.calendar", "requests_app.models"]
    assert _offence(names[2]) is not None


def test_imports_inside_functions_are_found():
    source = "def f():\n    from django.conf import settings\n    return settings\n"
    assert _imported(source, ["requests_app", "domain"]) == [(2, "django.conf")]


def test_importing_the_clock_loads_no_django():
    code = (
        "import sys, requests_app.domain.calendar, requests_app.domain.lifecycle, "
        "requests_app.domain.explain; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
