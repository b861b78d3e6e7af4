"""`manage.py forces import FILE.csv` / `forces export`: the forces' contacts, all or nothing."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from requests_app.models import Force, OutboundMessage

from .chasing_support import STAGE_DAYS, make_request

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("forces", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, text: str):
    path = tmp_path / "contacts.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_loads_the_contacts_and_is_idempotent(tmp_path, monkeypatch):
    monkeypatch.setattr("requests_app.management.commands.forces.today", lambda: date(2024, 5, 1))
    Force.objects.filter(pk="kent").update(foi_email_broken=True)
    path = write(
        tmp_path,
        "id,foi_email,portal_url,postal_address,notes\n"
        'kent,foi@kent.police.example,,"Kent Police HQ\nMaidstone",Ask for the FOI unit\n'
        "essex,,https://essex.police.example/foi,,Portal only\n",
    )
    out, _ = run("import", path)
    assert out.strip() == "Updated 2 forces (kent, essex); 0 already up to date."
    kent = Force.objects.get(pk="kent")
    assert (kent.foi_email, kent.foi_email_broken, kent.contact_checked_on) == (
        "foi@kent.police.example",
        False,  # a new address has not bounced
        date(2024, 5, 1),
    )
    assert kent.postal_address == "Kent Police HQ\nMaidstone"
    assert Force.objects.get(pk="essex").portal_url == "https://essex.police.example/foi"
    again, _ = run("import", path)
    assert again.strip() == "Updated 0 forces; 2 already up to date."


def test_any_subset_of_columns_leaves_the_others_alone(tmp_path):
    Force.objects.filter(pk="kent").update(notes="keep me", portal_url="https://k.example/")
    run("import", write(tmp_path, "id,foi_email\nkent,foi@kent.police.example\n"))
    kent = Force.objects.get(pk="kent")
    assert (kent.foi_email, kent.notes, kent.portal_url) == (
        "foi@kent.police.example",
        "keep me",
        "https://k.example/",
    )


def test_every_bad_line_is_reported_and_nothing_is_written(tmp_path):
    before = list(Force.objects.order_by("pk").values_list("pk", "foi_email", "portal_url"))
    path = write(
        tmp_path,
        "id,foi_email,portal_url\n"
        "kent,foi@kent.police.example,\n"
        "atlantis,foi@atlantis.example,\n"
        "essex,not an address,ftp://essex.example\n"
        ",x@y.example,\n"
        "kent,other@kent.police.example,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 5 problems"):
        call_command("forces", "import", path, stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        f"{path}: line 3 (atlantis): no force has the id 'atlantis'.",
        f"{path}: line 4 (essex), foi_email: 'not an address' is not an email address.",
        f"{path}: line 4 (essex), portal_url: 'ftp://essex.example' is not a web address "
        "(https://...).",
        f"{path}: line 5 (no id): the id is empty.",
        f"{path}: line 6 (kent): kent is already on line 2.",
    ]
    after = list(Force.objects.order_by("pk").values_list("pk", "foi_email", "portal_url"))
    assert after == before


def test_a_bad_header_or_file_is_a_sentence(tmp_path):
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("import", write(tmp_path, "force,email\nkent,x@y.example\n"))
    with pytest.raises(CommandError, match="Cannot read"):
        run("import", str(tmp_path / "missing.csv"))


def test_export_writes_what_import_reads(tmp_path):
    Force.objects.filter(pk="kent").update(
        foi_email="foi@kent.police.example", notes='Says "FOI, please"', postal_address="A\nB"
    )
    out, _ = run("export")
    assert out.splitlines()[0] == "id,foi_email,portal_url,postal_address,notes"
    assert 'kent,foi@kent.police.example,,"A\nB","Says ""FOI, please"""' in out
    assert len(out.strip().split("\n")) > Force.objects.count()  # a multi-line address
    again, _ = run("import", write(tmp_path, out))
    assert again.strip() == f"Updated 0 forces; {Force.objects.count()} already up to date."
    run("export", "--out", str(tmp_path / "out.csv"))
    assert (tmp_path / "out.csv").read_text() == out


def test_with_no_addresses_chase_says_why_then_after_import_each_force_is_chased_once(
    tmp_path, mailoutbox
):
    forces = list(Force.objects.territorial().order_by("pk")[:3])
    Force.objects.update(foi_email="")
    requests = [make_request(force=f) for f in forces]
    out = StringIO()
    call_command("chase", "--today", STAGE_DAYS["2"].isoformat(), stdout=out)
    assert "3 overdue requests not chased: their forces have no FOI email address" in (
        out.getvalue()
    )
    assert "`manage.py forces import FILE.csv`" in out.getvalue()
    lines = ["id,foi_email"] + [f"{f.pk},foi@{f.pk}.police.example" for f in forces]
    run("import", write(tmp_path, "\n".join(lines) + "\n"))
    for _ in range(2):
        call_command("chase", "--today", STAGE_DAYS["2"].isoformat(), stdout=StringIO())
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        f"foi@{f.pk}.police.example" for f in forces
    )
    assert set(OutboundMessage.objects.values_list("request_id", "stage")) == {
        (r.pk, "2")
        for r in requests  # the latest stage due, not stage 1 as well
    }
