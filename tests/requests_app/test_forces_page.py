"""The Forces page: coordinators edit contacts (with a last-checked date) and load a CSV."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from requests_app.models import Force

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr("requests_app.views.forces.today", lambda: date(2024, 5, 1))


def test_a_coordinator_edits_a_force_s_contacts(client, coordinator):
    Force.objects.filter(pk="kent").update(foi_email="old@kent.example", foi_email_broken=True)
    client.force_login(coordinator)
    page = client.get(reverse("force-edit", args=["kent"]))
    assert page.status_code == 200 and 'value="2024-05-01"' in page.content.decode()
    response = client.post(
        reverse("force-edit", args=["kent"]),
        {
            "foi_email": "foi@kent.police.example",
            "portal_url": "",
            "postal_address": "Kent Police HQ\nMaidstone",
            "notes": "FOI unit",
            "contact_checked_on": "2024-04-30",
            "foi_email_broken": "on",  # still ticked: a new address clears it all the same
        },
    )
    assert response.status_code == 302
    kent = Force.objects.get(pk="kent")
    assert (kent.foi_email, kent.foi_email_broken, kent.contact_checked_on) == (
        "foi@kent.police.example",
        False,
        date(2024, 4, 30),
    )
    detail = client.get(reverse("force-detail", args=["kent"])).content.decode()
    assert "30 April 2024" in detail and "Kent Police HQ<br>Maidstone" in detail


def test_a_bad_address_is_said_by_its_field(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("force-edit", args=["kent"]),
        {"foi_email": "nope", "portal_url": "ftp://x", "contact_checked_on": "2024-05-01"},
    )
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert Force.objects.get(pk="kent").foi_email != "nope"


def test_researchers_cannot_edit_and_are_told_who_can(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("force-edit", args=["kent"])).status_code == 403
    listing = client.get(reverse("force-list")).content.decode()
    assert "a coordinator can change them" in listing
    assert reverse("force-edit", args=["kent"]) not in listing
    detail = client.get(reverse("force-detail", args=["kent"])).content.decode()
    assert "A coordinator can change these contacts." in detail
    assert "admin" not in detail.lower().replace('href="/admin/', "")


def test_the_page_imports_a_csv_all_or_nothing(client, coordinator):
    client.force_login(coordinator)
    listing = client.get(reverse("force-list")).content.decode()
    assert reverse("force-edit", args=["kent"]) in listing and "Import contacts" in listing
    bad = SimpleUploadedFile("c.csv", b"id,foi_email\nkent,foi@kent.police.example\nmars,x@y.z\n")
    response = client.post(reverse("forces-import"), {"file": bad}, follow=True)
    html = response.content.decode()
    assert "Nothing was imported: 1 problem." in html
    assert "line 3 (mars): no force has the id" in html
    assert Force.objects.get(pk="kent").foi_email != "foi@kent.police.example"
    good = SimpleUploadedFile("c.csv", b"id,foi_email\nkent,foi@kent.police.example\n")
    response = client.post(reverse("forces-import"), {"file": good}, follow=True)
    assert "Updated 1 force;" in response.content.decode()
    assert Force.objects.get(pk="kent").contact_checked_on == date(2024, 5, 1)


def test_anyone_may_download_the_contacts(client, viewer):
    Force.objects.filter(pk="kent").update(foi_email="foi@kent.police.example")
    client.force_login(viewer)
    response = client.get(reverse("forces-export"))
    assert response["Content-Type"].startswith("text/csv")
    assert "kent,foi@kent.police.example," in response.content.decode()
    assert client.post(reverse("forces-import")).status_code == 403
