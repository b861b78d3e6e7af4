"""Campaign pages: list, create and preview, board, CSV, send, log as sent, next year, record."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from requests_app.models import Campaign, Force, OutboundMessage
from requests_app.services.campaigns import create_campaign
from requests_app.services.sending import NEEDS_ATTENTION
from tests.requests_app.campaign_helpers import (
    claimed,
    days_ago,
    give_forces_email,
    platforms_campaign,
    record,
)

pytestmark = pytest.mark.django_db
FORCES = ["kent", "essex", "durham"]


@pytest.fixture
def browser(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def campaign():
    return platforms_campaign(FORCES)


def _form(**overrides):
    data = {
        "title": "Sexual communication",
        "slug": "",
        "description": "How many offences?",
        "template": "Dear {force_name},\n{question}\nPeriods: {periods}. Ref {reference}",
        "periods": "2019/20, 2020-21",
        "dimensions": "total, platform, age",
        "vocabularies": "",
        "forces": list(Force.objects.territorial().values_list("pk", flat=True)),
        "preview_force": "police-scotland",
        "action": "create",
    }
    data.update(overrides)
    return data


def test_campaign_pages_require_login(client, campaign):
    for url in [
        reverse("campaign-list"),
        reverse("campaign-create"),
        reverse("campaign-board", args=[campaign.slug]),
        reverse("campaign-send", args=[campaign.slug]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_nav_and_the_list_show_campaigns_with_progress(browser, campaign):
    record(campaign.requests.get(force_id="kent"), "sent", days_ago(30), channel="portal")
    record(campaign.requests.get(force_id="kent"), "response", days_ago(2), outcome="full")
    page = browser.get(reverse("campaign-list")).content.decode()
    assert f'href="{reverse("campaign-list")}" aria-current="page">Campaigns' in page
    assert "Platforms 2019" in page and "1 of 3 responded" in page
    home = browser.get(reverse("home")).content.decode()
    assert "1 of 3 responded" in home


def test_the_create_form_defaults_to_the_43_territorial_forces(browser):
    page = browser.get(reverse("campaign-create")).content.decode()
    assert page.count('name="forces"') == Force.objects.active().count()
    assert page.count("checked") == 43
    assert "<script>" not in page and "js/campaign_preview.js" in page


def test_preview_for_any_force_renders_on_the_server(browser):
    response = browser.post(reverse("campaign-create"), _form(action="preview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dear Police Scotland,\nHow many offences?\nPeriods: 2019-20, 2020-21." in page
    assert "Ref sexual-communication/police-scotland" in page  # slug from the title
    assert not Campaign.objects.exists()
    data = browser.get(
        reverse("campaign-preview"),
        {"template": "To {force_name} {oops}", "preview_force": "kent", "periods": "2019"},
    ).json()
    assert data["text"] == "" and "{oops} is not a placeholder" in data["error"]
    braces = browser.get(
        reverse("campaign-preview"),
        {"template": "To {force_name} {{literal}}", "preview_force": "kent", "periods": "2019"},
    ).json()
    assert braces == {"text": "To Kent Police {literal}", "error": ""}
    broken = browser.get(reverse("campaign-preview"), {"template": "To {force_name"}).json()
    assert "a lone { on line 1" in broken["error"] and broken["text"] == ""


def test_creating_a_campaign_makes_a_draft_per_chosen_force(browser, researcher):
    forces = list(Force.objects.territorial().values_list("pk", flat=True)) + ["btp"]
    response = browser.post(reverse("campaign-create"), _form(forces=forces))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaign-board", args=["sexual-communication"])
    assert campaign.requests.count() == 44 and campaign.owner == researcher
    assert campaign.periods == ["2019-20", "2020-21"]
    body = campaign.requests.get(force_id="btp").body
    assert body.startswith("Dear British Transport Police,") and "sexual-communication/btp" in body


def test_bad_campaign_input_is_shown_next_to_its_field(browser):
    response = browser.post(
        reverse("campaign-create"),
        _form(periods="2019-4", template="{force_name", vocabularies="{bad json", forces=[]),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "&#x27;2019-4&#x27; is not a period" in page
    assert "a lone { on line 1" in page
    assert "Not valid JSON (line 1, column 2)" in page
    assert "This field is required." in page
    assert not Campaign.objects.exists()


def test_vocabularies_nested_too_deeply_are_refused_not_a_500(browser):
    response = browser.post(reverse("campaign-create"), _form(vocabularies="[" * 100_000))
    assert response.status_code == 400
    assert "the JSON is nested too deeply" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_pasted_schema_nested_too_deeply_is_refused_not_a_500(browser):
    response = browser.post(reverse("campaign-create"), _form(**{"q-schema_json": "[" * 100_000}))
    assert response.status_code == 400
    assert "the JSON is nested too deeply" in response.content.decode()
    assert not Campaign.objects.exists()


def test_json_text_no_database_can_store_is_refused_not_stored(browser):
    # PostgreSQL's jsonb refuses \u0000 (a 500 there); a lone surrogate cannot be shown again
    for raw, says in [
        ('{"platform": ["a\\u0000b"]}', "platform[0] holds a NUL character"),
        ('{"platform": ["\\ud800"]}', "platform[0] holds \\ud800, half of a surrogate pair"),
    ]:
        response = browser.post(reverse("campaign-create"), _form(vocabularies=raw))
        assert response.status_code == 400
        assert says in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_form_claiming_countless_dimensions_builds_twelve(browser):
    response = browser.post(
        reverse("campaign-create"),
        _form(**{"dim-TOTAL_FORMS": str(10**40), "dim-INITIAL_FORMS": "0"}),
    )
    page = response.content.decode()
    assert "Please submit at most 12 forms." in page
    assert page.count('name="dim-') <= 12 * 20 and 'name="dim-12-name"' not in page
    assert not Campaign.objects.exists()


def test_a_preview_force_holding_a_nul_previews_the_first_force(browser):
    # a NUL in the id was looked up as it was: PostgreSQL refuses it (a 500 there)
    response = browser.post(
        reverse("campaign-create"), _form(action="preview", preview_force="a\x00b")
    )
    assert response.status_code == 200
    assert "Dear Avon and Somerset Constabulary," in response.content.decode()
    data = browser.get(
        reverse("campaign-preview"),
        {"template": "To {force_name}", "preview_force": "a\x00b", "periods": "2019"},
    ).json()
    assert data == {"text": "To Avon and Somerset Constabulary", "error": ""}


def test_the_board_page_costs_a_fixed_number_of_queries(browser, campaign):
    big = create_campaign(slug="big", title="Big", periods=["2019"])
    for request in big.requests.all()[:20]:
        record(request, "sent", days_ago(40), channel="email")
    counts = []
    for slug in (campaign.slug, big.slug):
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(reverse("campaign-board", args=[slug]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 10
    page = response.content.decode()
    assert "0 of 43 responded" in page and "20 of 43 sent" in page
    assert "working days overdue" in page and "days-overdue" in page


def test_the_board_page_filters_sorts_and_downloads(browser, campaign):
    record(campaign.requests.get(force_id="kent"), "sent", days_ago(40), channel="portal")
    page = browser.get(
        reverse("campaign-board", args=[campaign.slug]), {"phase": "overdue"}
    ).content.decode()
    assert "Kent Police" in page and "Essex Police" not in page
    page = browser.get(
        reverse("campaign-board", args=[campaign.slug]), {"sort": "force"}
    ).content.decode()
    assert page.index("Durham") < page.index("Essex") < page.index("Kent")
    assert 'aria-sort="ascending"' in page and "?sort=-force" in page
    response = browser.get(reverse("campaign-board-csv", args=[campaign.slug]))
    assert response["Content-Type"].startswith("text/csv")
    assert "platforms-2019-board.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("force_id,force,reference,status,phase")
    assert len(lines) == 4


def test_the_send_page_reports_before_sending_then_sends_on_confirm(
    browser, campaign, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.SEND_RATE_PER_MINUTE = 0
    give_forces_email(only=["kent", "essex"])
    Force.objects.filter(pk="essex").update(foi_email_broken=True, portal_url="https://e.example")
    Force.objects.filter(pk="durham").update(foi_email="", portal_url="")
    page = browser.get(reverse("campaign-send", args=[campaign.slug])).content.decode()
    assert "Cannot be reached: 1" in page and "Durham" in page
    assert "Log via portal: 1" in page and "https://e.example" in page
    assert "To email: 1" in page and "Send 1 request now" in page
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(reverse("campaign-send", args=[campaign.slug]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["foi@kent.police.example"]]
    assert campaign.requests.get(force_id="kent").sent_on is not None


def test_a_message_needing_attention_can_be_confirmed_or_released(browser, campaign):
    give_forces_email(only=FORCES)
    kent = claimed(campaign, "kent")
    essex = claimed(campaign, "essex")
    OutboundMessage.objects.update(status="failed", last_error=NEEDS_ATTENTION)
    page = browser.get(reverse("campaign-send", args=[campaign.slug])).content.decode()
    assert "Needs attention: 2" in page and "send again" in page
    browser.post(
        reverse("campaign-outbound-confirm", args=[campaign.slug, kent.pk]),
        {"on": days_ago(1).isoformat()},
    )
    browser.post(reverse("campaign-outbound-retry", args=[campaign.slug, essex.pk]))
    assert campaign.requests.get(force_id="kent").sent_on == days_ago(1)
    essex.refresh_from_db()
    assert essex.status == "pending"
    response = browser.post(
        reverse("campaign-outbound-retry", args=[campaign.slug, kent.pk]), follow=True
    )
    assert "is sent, not failed" in response.content.decode()


def test_logging_one_force_as_sent_via_portal(browser, campaign):
    kent = campaign.requests.get(force_id="kent")
    response = browser.post(
        reverse("campaign-mark-sent", args=[campaign.slug]),
        {
            "form": "one",
            "request": kent.pk,
            "on": days_ago(2),
            "channel": "portal",
            "reference": "K9",
        },
    )
    assert response.status_code == 302
    kent.refresh_from_db()
    assert (kent.sent_on, kent.force_reference) == (days_ago(2), "K9")
    page = browser.get(reverse("campaign-mark-sent", args=[campaign.slug])).content.decode()
    assert f'value="{kent.pk}"' not in page  # only unsent requests are offered


def test_logging_many_from_pasted_or_uploaded_csv(browser, campaign):
    url = reverse("campaign-mark-sent", args=[campaign.slug])
    bad = browser.post(
        url, {"form": "bulk", "channel": "post", "csv_text": "kent,nope,1\nwales,2024-01-01,2"}
    )
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "Nothing was recorded" in page and "line 1 (kent)" in page and "line 2 (wales)" in page
    assert not campaign.requests.filter(sent_on__isnull=False).exists()
    upload = SimpleUploadedFile(
        "sent.csv",
        f"\ufeffforce id,date,reference\nkent,{days_ago(3)},K\nessex,{days_ago(3)},E\n".encode(),
    )
    good = browser.post(url, {"form": "bulk", "channel": "portal", "csv_file": upload})
    assert good.status_code == 302
    assert set(
        campaign.requests.filter(sent_on=days_ago(3)).values_list("force_id", flat=True)
    ) == {
        "kent",
        "essex",
    }
    binary = SimpleUploadedFile("sent.csv", b"\xff\xfe\x00k")
    response = browser.post(url, {"form": "bulk", "channel": "portal", "csv_file": binary})
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()


def test_logging_one_force_when_all_are_sent_says_nothing_was_recorded(browser, campaign):
    # the page hid the form's errors once no request was left to offer: a 400 saying nothing
    for request in campaign.requests.all():
        record(request, "sent", days_ago(5), channel="portal")
    url = reverse("campaign-mark-sent", args=[campaign.slug])
    kent = campaign.requests.get(force_id="kent")
    for form in ["one", "{0}"]:
        response = browser.post(url, {"form": form, "request": kent.pk, "on": days_ago(1)})
        assert response.status_code == 400
        assert "Nothing was recorded: every request of this campaign has been sent." in (
            response.content.decode()
        )
    assert "Nothing was recorded" not in browser.get(url).content.decode()


def test_run_again_next_year_is_one_click(browser, campaign):
    board = browser.get(reverse("campaign-board", args=[campaign.slug])).content.decode()
    assert "Run again for 2020" in board and "platforms-2020" in board
    response = browser.post(reverse("campaign-repeat", args=[campaign.slug]))
    assert response["Location"] == reverse("campaign-board", args=["platforms-2020"])
    created = Campaign.objects.get(slug="platforms-2020")
    assert created.periods == ["2020"] and created.requests.count() == 3


def test_the_force_page_shows_its_record(browser, campaign):
    kent = campaign.requests.get(force_id="kent")
    record(kent, "sent", days_ago(40), channel="portal")
    record(kent, "response", days_ago(20), outcome="refused", exemptions=["s12"])
    page = browser.get(reverse("force-detail", args=["kent"])).content.decode()
    assert "median from receipt to response (1 answered of 1 sent)" in page
    assert '100%</strong><br><span class="meta">refused' in page
    assert "s12 (1)" in page


@pytest.fixture
def memory_broker():
    """A worker's queue in memory, with tasks NOT run in-process (as production and `make demo`)."""
    from foitracker.celery import app as celery_app

    before = celery_app.conf.broker_url, celery_app.conf.task_always_eager

    def fresh_pools():  # connections are pooled per app: open new ones to the new broker
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    celery_app.conf.broker_url, celery_app.conf.task_always_eager = "memory://", False
    fresh_pools()
    yield celery_app
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = before
    fresh_pools()


def test_the_send_page_queues_the_send_and_returns_without_sending(
    browser, campaign, memory_broker, mailoutbox, django_capture_on_commit_callbacks
):
    from requests_app.models import SendRun

    give_forces_email(only=FORCES)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = browser.post(reverse("campaign-send", args=[campaign.slug]))
    assert response.status_code == 302 and response.url.endswith("#send-h")
    assert len(queued) == 1  # the send task, handed to the broker
    with memory_broker.connection_for_read() as conn:
        message = conn.SimpleQueue("celery").get(timeout=1)
    assert message.headers["task"] == "requests_app.send_campaign"
    assert mailoutbox == [] and not OutboundMessage.objects.exists()
    assert SendRun.objects.get(campaign=campaign).status == "queued"
