"""The forces' contacts: loaded from and written to CSV, and edited one at a time.

The CSV has an ``id`` column (the force's data.police.uk id) and any of
``foi_email``, ``portal_url``, ``postal_address``, ``notes``. Importing is all
or nothing: every line is checked first and every bad one reported (with its
line number, id and column); nothing is written unless all are good. It is
idempotent: a force whose contacts are already as in the file is left alone,
and a force whose contacts change gets today as its last-checked date (and a
new email address is no longer marked as bounced).
"""

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from requests_app.domain.explain import plural
from requests_app.models import Force

COLUMNS = ("id", "foi_email", "portal_url", "postal_address", "notes")
CONTACT_FIELDS = COLUMNS[1:]
MAX_LINES = 1000


class ImportRejected(ValueError):
    """A forces CSV with problems; ``problems`` lists each one, and nothing was written."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"Nothing was imported: {plural(len(problems), 'problem')}.")


@dataclass
class ImportReport:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0


def _check(column: str, value: str) -> str | None:
    """What is wrong with one cell, or None."""
    try:
        if column == "foi_email" and value:
            validate_email(value)
        elif column == "portal_url" and value:
            URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        kind = "an email address" if column == "foi_email" else "a web address (https://...)"
        return f"{value!r} is not {kind}"
    if column in ("foi_email", "portal_url") and len(value) > 200:
        return "is longer than 200 characters"
    return None


def parse_contacts(text: str) -> list[dict[str, str]]:
    """The rows of a forces CSV, checked against the forces table; raises ImportRejected."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    if "id" not in header:
        raise ImportRejected(
            [f"line 1: the header needs an id column (and any of {', '.join(CONTACT_FIELDS)})."]
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        known_columns = ", ".join(COLUMNS)
        raise ImportRejected(
            [f"line 1: unknown column(s) {', '.join(unknown)}; the columns are {known_columns}."]
        )
    reader.fieldnames = header
    known = set(Force.objects.values_list("pk", flat=True))
    rows, problems, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if len(rows) >= MAX_LINES:
            problems.append(f"line {line}: more than {MAX_LINES} lines; split the file.")
            break
        if None in row:
            problems.append(f"line {line}: more cells than the header has columns.")
            continue
        cells = {k: (v or "").strip() for k, v in row.items()}
        force_id = cells["id"]
        where = f"line {line} ({force_id or 'no id'})"
        if not any(cells.values()):
            continue  # a blank line
        if not force_id:
            problems.append(f"{where}: the id is empty.")
            continue
        if force_id not in known:
            problems.append(f"{where}: no force has the id {force_id!r}.")
            continue
        if force_id in seen:
            problems.append(f"{where}: {force_id} is already on line {seen[force_id]}.")
            continue
        seen[force_id] = line
        for column in CONTACT_FIELDS:
            if column in cells and (why := _check(column, cells[column])):
                problems.append(f"{where}, {column}: {why}.")
        rows.append(cells)
    if problems:
        raise ImportRejected(problems)
    return rows


def import_contacts(text: str, *, today: date, dry_run: bool = False) -> ImportReport:
    """Load the forces' contacts from CSV text: all or nothing (raises ImportRejected)."""
    rows = parse_contacts(text)
    report = ImportReport()
    with transaction.atomic():
        forces = Force.objects.select_for_update().in_bulk([r["id"] for r in rows])
        for cells in rows:
            force = forces[cells["id"]]
            changes = {c: cells[c] for c in CONTACT_FIELDS if c in cells}
            if update_contact(force, checked_on=today, save=not dry_run, **changes):
                report.changed.append(force.pk)
            else:
                report.unchanged += 1
    return report


def update_contact(force: Force, *, checked_on: date | None, save: bool = True, **values) -> bool:
    """Set a force's contact fields; True when any changed (then ``checked_on`` is recorded).

    A new FOI email address clears the bounced flag: it has not bounced yet.
    """
    changed = [name for name, value in values.items() if getattr(force, name) != value]
    for name in changed:
        setattr(force, name, values[name])
    if "foi_email" in changed and force.foi_email_broken:
        force.foi_email_broken = False
        changed.append("foi_email_broken")
    if changed and checked_on is not None:
        force.contact_checked_on = checked_on
        changed.append("contact_checked_on")
    if changed and save:
        force.full_clean(validate_unique=False, validate_constraints=False)
        force.save(update_fields=changed)
    return bool(changed)


def export_contacts(forces: Iterable[Force] | None = None) -> str:
    """The forces' contacts as CSV, in the format ``import_contacts`` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for force in forces if forces is not None else Force.objects.order_by("pk"):
        writer.writerow([getattr(force, "pk" if c == "id" else c) for c in COLUMNS])
    return out.getvalue()
