from datetime import date

import pytest
from django.urls import reverse

from requests_app.models import Force, RequestEvent
from requests_app.services.events import EventInput, record_event
from requests_app.services.requests import create_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def foi(researcher):
    req = create_request(force=Force.objects.get(pk="kent"), subject="Offences", user=researcher)
    record_event(request=req, data=EventInput("sent", date(2019, 3, 15), channel="email"))
    return req


def test_pages_require_login(client):
    for name in ["home", "request-list", "force-list"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_health_check_is_open(client):
    assert client.get(reverse("health")).status_code == 200


def test_request_page_explains_the_clock(client, researcher, foi):
    client.force_login(researcher)
    page = client.get(reverse("request-detail", args=[foi.pk])).content.decode()
    assert "Mon 15 Apr 2019" in page
    assert "Northern Ireland" in page


def test_recording_an_event_through_the_page(client, researcher, foi):
    client.force_login(researcher)
    response = client.post(
        reverse("request-add-event", args=[foi.pk]),
        {"kind": "response", "on": "2019-04-10", "outcome": "full", "exemptions": ""},
    )
    assert response.status_code == 302
    foi.refresh_from_db()
    assert foi.status == "responded"


def test_a_refused_event_shows_the_reason_and_writes_nothing(client, researcher, foi):
    client.force_login(researcher)
    before = RequestEvent.objects.count()
    response = client.post(
        reverse("request-add-event", args=[foi.pk]),
        {"kind": "fee_paid", "on": "2019-03-20"},
    )
    assert response.status_code == 400
    assert "fee" in response.content.decode().lower()
    assert RequestEvent.objects.count() == before


def test_request_list_filters_by_force_and_overdue(client, researcher, foi):
    other = create_request(force=Force.objects.get(pk="essex"), subject="Other")
    client.force_login(researcher)
    page = client.get(reverse("request-list"), {"force": "kent"}).content.decode()
    assert foi.reference in page and other.reference not in page
    page = client.get(reverse("request-list"), {"overdue": "on"}).content.decode()
    assert foi.reference in page  # sent in 2019, never answered
    assert other.reference not in page  # a draft is never overdue


def test_request_list_costs_a_fixed_number_of_queries(
    client, researcher, foi, django_assert_max_num_queries
):
    for force_id in ["essex", "durham", "gwent", "surrey"]:
        create_request(force=Force.objects.get(pk=force_id), subject="More")
    client.force_login(researcher)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("request-list")).status_code == 200


def test_force_page_lists_its_requests(client, researcher, foi):
    client.force_login(researcher)
    page = client.get(reverse("force-detail", args=["kent"])).content.decode()
    assert "Kent Police" in page and foi.reference in page


def test_an_answered_request_shows_no_overdue_dates(client, researcher, foi):
    client.force_login(researcher)
    url = reverse("request-detail", args=[foi.pk])
    assert "Very overdue from" in client.get(url).content.decode()
    record_event(request=foi, data=EventInput("response", date(2019, 4, 10), outcome="full"))
    page = client.get(url).content.decode()
    assert "Very overdue from" not in page
    assert "Mon 15 Apr 2019 (—)" not in page and "Mon 15 Apr 2019</dd>" in page
