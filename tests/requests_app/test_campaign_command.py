"""`manage.py campaign create|mark-sent|send|status`."""

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from requests_app.models import Campaign, Force
from tests.requests_app.campaign_helpers import days_ago, give_forces_email

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("campaign", *args, stdout=out)
    return out.getvalue()


def test_create_with_the_default_43_forces_then_status_as_json():
    out = run("create", "--slug", "x", "--title", "T", "--periods", "2017-18,2018-19")
    assert out.strip() == "Created x (2017-18, 2018-19) with 43 draft requests."
    campaign = Campaign.objects.get(slug="x")
    assert campaign.dimensions == ["total", "platform", "age"]
    data = json.loads(run("status", "x", "--json"))
    assert data["total"] == 43 and data["counts"]["not_sent"] == 43
    assert data["progress"] == "0 of 43 responded"
    assert len(data["rows"]) == 43 and data["rows"][0]["status"] == "draft"
    text = run("status", "x")
    assert text.startswith("T: 0 of 43 responded (0 sent)") and "kent" in text


def test_create_with_chosen_forces_dimensions_and_a_template_file(tmp_path):
    template = tmp_path / "letter.txt"
    template.write_text("Dear {force_name}, ref {reference}", encoding="utf-8")
    run(
        "create",
        "--slug", "y",
        "--title", "Y",
        "--periods", "2019",
        "--dimensions", "total,gender",
        "--forces", "kent,police-scotland",
        "--template", str(template),
    )  # fmt: skip
    campaign = Campaign.objects.get(slug="y")
    assert campaign.dimensions == ["total", "gender"]
    assert campaign.requests.get(force_id="police-scotland").body == (
        "Dear Police Scotland, ref y/police-scotland"
    )
    run("create", "--slug", "z", "--title", "Z", "--periods", "2019", "--forces", "all")
    assert Campaign.objects.get(slug="z").requests.count() == Force.objects.active().count()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--periods", "2017-1"], "'2017-1' is not a period"),
        (
            ["--periods", "2019", "--forces", "kent,atlantis"],
            "--forces: Unknown or inactive forces: atlantis",
        ),
        (
            ["--periods", "2019", "--template", "/nonexistent/letter.txt"],
            "Cannot read the template",
        ),
    ],
)
def test_create_refuses_bad_input_clearly(args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run("create", "--slug", "bad", "--title", "Bad", *args)
    assert not Campaign.objects.exists()


def test_mark_sent_one_force_then_the_rest():
    run(
        "create",
        "--slug",
        "x",
        "--title",
        "T",
        "--periods",
        "2019",
        "--forces",
        "kent,essex,durham",
    )
    out = run("mark-sent", "x", "--date", days_ago(3).isoformat(), "--force", "kent",
              "--channel", "post", "--reference", "K/1")  # fmt: skip
    assert "1 request recorded as sent by post" in out
    kent = Campaign.objects.get().requests.get(force_id="kent")
    assert kent.force_reference == "K/1" and kent.sent_on == days_ago(3)
    assert "2 requests recorded" in run("mark-sent", "x", "--date", days_ago(1).isoformat())
    with pytest.raises(CommandError, match="already sent"):
        run("mark-sent", "x", "--date", days_ago(1).isoformat(), "--force", "kent")
    with pytest.raises(CommandError, match="'yesterday' is not a date"):
        run("mark-sent", "x", "--date", "yesterday")
    with pytest.raises(CommandError, match="no campaign with the slug 'nope'"):
        run("mark-sent", "nope", "--date", days_ago(1).isoformat())


def test_send_reports_before_sending_and_sends_once(settings):
    settings.SEND_RATE_PER_MINUTE = 0
    run(
        "create",
        "--slug",
        "x",
        "--title",
        "T",
        "--periods",
        "2019",
        "--forces",
        "kent,essex,durham",
    )
    give_forces_email(only=["kent", "essex"])
    Force.objects.filter(pk="essex").update(foi_email_broken=True, portal_url="https://e.example")
    out = run("send", "x")
    assert "Unreachable (no FOI address, no portal): 1\n  durham" in out
    assert "Log via portal: 1\n  essex: https://e.example" in out
    assert "sent x/kent to foi@kent.police.example" in out and "Sent 1; failed 0." in out
    assert len(mail.outbox) == 1
    assert "Sent 0" in run("send", "x") and len(mail.outbox) == 1
