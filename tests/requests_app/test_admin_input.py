"""The admin's forms refuse hostile input with a message, as the site's forms do: never a 500.

Each case was a 500: JSON nested too deeply (RecursionError), JSON spelling text no
database can store (PostgreSQL's jsonb refuses ``\\u0000``; a lone ``\\ud800`` could not
be shown again), an id past 2**63 in a list of rows (OverflowError in SQLite), a text
id in an autocomplete (ValueError while showing the form again), and a NUL in what the
admin queries by before any form checks it (PostgreSQL refuses it).
"""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from requests_app.admin import CheckedInput, RowsField
from requests_app.json_input import JSONInputField
from requests_app.models import Campaign, Membership, Team
from tests.post_forms import as_data, post_forms, with_value

from .permissions_support import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def _form(client, url):
    """What a browser sends from the admin page at ``url`` (its first post form)."""
    page = client.get(url)
    assert page.status_code == 200
    return post_forms(url, page.content.decode())[-1]


def _send(client, url, name, value):
    form = _form(client, url)
    return client.post(url, as_data(with_value(form.rendered(), name, value)))


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("vocabularies", "[" * 100_000, "the JSON is nested too deeply"),
        ("periods", '["2019", "a\\u0000b"]', "[1] holds a NUL character"),
        ("schema", '{"methodology": "\\ud800"}', "methodology holds \\ud800, half of a surrogate"),
        ("shared_with", str(10**40), "is not a valid value"),
    ],
)
def test_a_campaigns_json_and_rows_refuse_what_cannot_be_stored(
    admin_client, world, name, value, says
):
    url = reverse("admin:requests_app_campaign_change", args=[world.mine.pk])
    before = Campaign.objects.values().get(pk=world.mine.pk)
    response = _send(admin_client, url, name, value)
    assert response.status_code == 200
    assert says in response.content.decode()
    assert Campaign.objects.values().get(pk=world.mine.pk) == before


def test_a_member_given_by_a_text_id_is_an_error_on_the_form(admin_client, world):
    team = Team.objects.get(slug="alpha")
    url = reverse("admin:requests_app_team_change", args=[team.pk])
    members = Membership.objects.filter(team=team).count()
    for value in ["{0}", str(10**40)]:
        response = _send(admin_client, url, "memberships-0-user", value)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert Membership.objects.filter(team=team).count() == members


@pytest.mark.parametrize(
    ("method", "data", "says"),
    [
        (
            "post",
            {"form-0-id": "kent\x00", "form-TOTAL_FORMS": "1"},
            "field 'form-0-id' holds a NUL",
        ),
        ("get", {"q": "ke\x00nt"}, "The query parameter 'q' holds a NUL"),
    ],
)
def test_a_nul_sent_to_the_admin_is_a_400_naming_the_field(admin_client, method, data, says):
    response = getattr(admin_client, method)(reverse("admin:requests_app_force_changelist"), data)
    assert response.status_code == 400
    assert says in response.context["message"]
    assert "base.html" in {t.name for t in response.templates}


def test_every_admin_reads_json_rows_and_autocompletes_through_the_checks(admin_user):
    """A project admin that edits a JSON, many-to-many or autocomplete field uses CheckedInput."""
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ("requests_app", "responses_app"):
            continue
        for each in [model_admin, *(i(model, admin.site) for i in model_admin.inlines)]:
            shown = set(each.get_readonly_fields(request))
            risky = any(
                isinstance(f, models.JSONField | models.ManyToManyField)
                and f.editable
                and f.name not in shown
                for f in each.model._meta.get_fields()
            )
            if (risky or each.autocomplete_fields) and not isinstance(each, CheckedInput):
                unchecked.append(type(each).__name__)
    assert unchecked == []
    checked = admin.site._registry[Campaign]
    overrides = checked.formfield_overrides
    assert overrides[models.JSONField]["form_class"] is JSONInputField
    assert overrides[models.ManyToManyField]["form_class"] is RowsField
