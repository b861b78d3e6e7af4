"""A request template or chaser wording is only ever filled by plain substitution.

Every place a template is accepted (the campaign form, its preview, the API,
``manage.py campaign create --template``, a campaign's chaser stages) refuses
format specs, conversions, attribute or index access and positional fields with
a message naming them, and never answers 500 or prints a traceback.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape
from rest_framework.test import APIClient

from requests_app.models import Campaign, Force
from requests_app.services.campaigns import create_campaign
from requests_app.validators import validate_chaser_text, validate_request_template
from tests.requests_app.test_campaign_pages import _form

pytestmark = pytest.mark.django_db

HOSTILE = [
    ("{force_name:>99999999}", "{force_name:>99999999} is not allowed"),
    ("{0}", "{0} is not a placeholder"),
    ("{}", "{} is not a placeholder"),
    ("{force_name:d}", "{force_name:d} is not allowed"),
    ("{force_name!s:%}", "{force_name!s:%} is not allowed"),
    ("{force_name.__class__}", "{force_name.__class__} is not allowed"),
    ("{force_name[0]}", "{force_name[0]} is not allowed"),
    ("Dear {forcename}", "{forcename} is not a placeholder"),
]


@pytest.mark.parametrize(("template", "named"), HOSTILE)
def test_the_api_refuses_it_by_field(researcher, template, named):
    api = APIClient()
    api.force_authenticate(researcher)
    response = api.post(
        "/api/campaigns/",
        {"slug": "x", "title": "X", "periods": ["2019"], "template": "Dear " + template},
        format="json",
    )
    assert response.status_code == 400
    assert named in response.json()["template"][0]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(("template", "named"), HOSTILE)
def test_the_form_and_the_preview_refuse_it(client, researcher, template, named):
    client.force_login(researcher)
    response = client.post(reverse("campaign-create"), _form(template=template))
    assert response.status_code == 400
    assert escape(named) in response.content.decode()
    assert not Campaign.objects.exists()
    preview = client.post(reverse("campaign-create"), _form(template=template, action="preview"))
    assert preview.status_code == 200
    data = client.get(
        reverse("campaign-preview"), {"template": template, "preview_force": "kent"}
    ).json()
    assert data["text"] == "" and named in data["error"]


@pytest.mark.parametrize(("template", "named"), HOSTILE)
def test_the_command_refuses_it_without_a_traceback(tmp_path, template, named):
    letter = tmp_path / "letter.txt"
    letter.write_text(template, encoding="utf-8")
    with pytest.raises(CommandError, match="is not"):
        call_command(
            "campaign", "create", "--slug", "x", "--title", "X", "--periods", "2019",
            "--template", str(letter),
        )  # fmt: skip
    assert not Campaign.objects.exists()


def test_a_filled_text_is_never_larger_than_the_limit():
    with pytest.raises(Exception, match="20,000 characters"):
        create_campaign(
            slug="x",
            title="X",
            periods=["2019"],
            description="q" * 5_000,
            template="{question}" * 5,
            forces=[Force.objects.get(pk="kent")],
        )
    assert not Campaign.objects.exists()


def test_chaser_wording_in_the_admin_is_checked_like_everywhere_else():
    campaign = create_campaign(
        slug="x", title="X", periods=["2019"], forces=[Force.objects.get(pk="kent")]
    )
    campaign.chaser_stages = [{"stage": 1, "offset": 1, "body": "{due_on:>999999}"}]
    with pytest.raises(ValidationError) as caught:
        campaign.full_clean()
    assert "{due_on:>999999} is not allowed" in str(caught.value.message_dict["chaser_stages"])
    campaign.chaser_stages = [{"stage": 1, "offset": 1, "body": "Late since {due_on}."}]
    campaign.full_clean()


def test_the_validators_are_reusable():
    validate_request_template("Dear {force_name}, {{braces}}")
    validate_chaser_text("Overdue: {reference} since {due_on}")
    with pytest.raises(ValidationError, match="not a placeholder"):
        validate_request_template("{force_reference}")
    with pytest.raises(ValidationError, match="not allowed"):
        validate_chaser_text("{reference!r}")
