"""The admin: staff who are not superusers see and change only what their teams may."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from .permissions_support import build_world

pytestmark = pytest.mark.django_db

PERMS = [
    "view_campaign",
    "change_campaign",
    "view_foirequest",
    "change_foirequest",
    "view_requestevent",
    "view_force",
    "change_force",
    "view_closureday",
    "add_closureday",
]


@pytest.fixture
def world():
    world = build_world()
    for user in (world.a_researcher, world.a_coordinator):
        user.is_staff = True
        user.save()
        user.user_permissions.add(*Permission.objects.filter(codename__in=PERMS))
    return world


def test_changelists_hold_only_the_teams_objects(client, world):
    client.force_login(world.a_researcher)
    campaigns = client.get(reverse("admin:requests_app_campaign_changelist")).content.decode()
    assert world.mine.title in campaigns and world.shared.title in campaigns
    assert world.private.title not in campaigns
    requests = client.get(reverse("admin:requests_app_foirequest_changelist")).content.decode()
    assert world.mine_request.reference in requests
    assert world.private_request.reference not in requests
    events = client.get(reverse("admin:requests_app_requestevent_changelist"))
    assert events.context["cl"].result_count == 2  # the two visible kent requests were sent


def test_another_teams_objects_cannot_be_opened_by_id(client, world):
    client.force_login(world.a_coordinator)
    for name, pk in [
        ("admin:requests_app_campaign_change", world.private.pk),
        ("admin:requests_app_foirequest_change", world.private_request.pk),
    ]:
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_shared_campaign_is_read_only_in_the_admin(client, world):
    client.force_login(world.a_coordinator)
    url = reverse("admin:requests_app_campaign_change", args=[world.shared.pk])
    page = client.get(url)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    response = client.post(url, {"title": "Renamed", "slug": world.shared.slug})
    assert response.status_code == 403
    world.shared.refresh_from_db()
    assert world.shared.title != "Renamed"


def test_only_coordinators_manage_forces_and_calendars(client, world):
    url = reverse("admin:requests_app_force_change", args=["kent"])
    client.force_login(world.a_researcher)
    assert not client.get(url).context["has_change_permission"]
    assert client.get(reverse("admin:requests_app_closureday_add")).status_code == 403
    client.force_login(world.a_coordinator)
    assert client.get(url).context["has_change_permission"]
    assert client.get(reverse("admin:requests_app_closureday_add")).status_code == 200


def test_chaser_templates_are_for_coordinators(client, world):
    client.force_login(world.a_researcher)
    url = reverse("admin:requests_app_campaign_change", args=[world.mine.pk])
    form = client.get(url).context["adminform"].form
    assert "chaser_stages" not in form.fields and "team" not in form.fields
    client.force_login(world.a_coordinator)
    form = client.get(url).context["adminform"].form
    assert "chaser_stages" in form.fields
    assert list(form.fields["team"].queryset) == [world.team_a]
