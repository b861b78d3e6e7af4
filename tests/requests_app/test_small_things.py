"""Small things people noticed: the favicon, event names, whole numbers, the event form, None."""

import re
from datetime import date

import pytest
from django.urls import reverse

from requests_app.forms import EventForm
from requests_app.models import RequestEvent
from tests.factories import CampaignFactory, ForceFactory

from .chasing_support import make_request

pytestmark = pytest.mark.django_db


def test_every_page_names_a_favicon_and_browsers_asking_for_favicon_ico_get_it(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    client.logout()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/favicon.svg"


def test_the_complaint_is_to_the_ico_in_capitals(client, researcher):
    foi = make_request(
        campaign=CampaignFactory(),
        events=[
            ("response", date(2019, 4, 1), {"outcome": "refused", "exemptions": ["s.30"]}),
            ("review_requested", date(2019, 4, 2), {}),
            ("review_response", date(2019, 4, 20), {"outcome": "refused"}),
            ("ico_complaint", date(2019, 5, 1), {}),
        ],
    )
    assert RequestEvent.objects.get(request=foi, kind="ico_complaint").label == "ICO complaint"
    assert ("ico_complaint", "ICO complaint") in EventForm().fields["kind"].choices
    client.force_login(researcher)
    html = client.get(reverse("request-detail", args=[foi.pk])).content.decode()
    assert "ICO complaint" in html and "Ico complaint" not in html


def test_the_league_table_shows_whole_numbers_without_a_point(client, admin_user, monkeypatch):
    monkeypatch.setattr("requests_app.views.overdue.today", lambda: date(2019, 6, 1))
    force = ForceFactory(name="Even Police")
    for sent, answered in [
        (date(2019, 3, 1), date(2019, 3, 15)),
        (date(2019, 3, 4), date(2019, 3, 12)),
    ]:
        make_request(force=force, sent=sent, events=[("response", answered, {"outcome": "full"})])
    client.force_login(admin_user)
    html = client.get(
        reverse("overdue-league"), {"start": "2019-01-01", "end": "2019-12-31"}
    ).content.decode()
    cells = re.findall(r'<td class="num">([^<]*)</td>', html)
    assert "8" in cells and "8.0" not in cells


def test_the_event_form_marks_each_field_with_the_kinds_that_use_it(client, researcher):
    foi = make_request(campaign=CampaignFactory())
    client.force_login(researcher)
    html = client.get(reverse("request-detail", args=[foi.pk])).content.decode()
    assert "data-event-form" in html and "js/event_form.js" in html
    assert re.search(
        r'<div class="field" data-kinds="extension">\s*<label for="id_extended_to">', html
    )
    assert re.search(r'data-kinds="sent">\s*<label for="id_channel">', html)
    assert re.search(r'<div class="field">\s*<label for="id_note">', html)  # every kind


def test_a_field_the_kind_does_not_use_is_ignored():
    form = EventForm(
        {"kind": "note", "on": "2019-04-01", "outcome": "full", "extended_to": "2019-05-01"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["outcome"] == "" and form.cleaned_data["extended_to"] is None
    form = EventForm({"kind": "response", "on": "2019-04-01", "outcome": "full"})
    assert form.is_valid() and form.cleaned_data["outcome"] == "full"
