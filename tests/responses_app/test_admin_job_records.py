"""Send runs and release jobs in the admin: read only, team-scoped like their campaigns."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from requests_app.models import SendRun
from responses_app.models import ReleaseJob
from tests.factories import ReleaseFactory
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db

MODELS = {"sendrun": "requests_app", "releasejob": "responses_app"}


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:{MODELS[model]}_{model}_{view}", args=args)


@pytest.fixture
def world():
    """Team A's staff coordinator, given every permission on both models: the admin
    still refuses adding, changing and deleting, and shows only what team A may see."""
    world = build_world()
    coordinator = world.a_coordinator
    coordinator.is_staff = True
    coordinator.save()
    coordinator.user_permissions.add(*Permission.objects.filter(content_type__model__in=MODELS))
    return world


def jobs_of(campaign) -> dict:
    return {
        "sendrun": SendRun.objects.create(
            campaign=campaign, status=SendRun.Status.FINISHED, interrupted="SMTP refused"
        ),
        "releasejob": ReleaseJob.objects.create(
            campaign=campaign,
            status=ReleaseJob.Status.DONE,
            release=ReleaseFactory(campaign=campaign, number=1),
        ),
    }


@pytest.fixture
def rows(world):
    """Rows of team A's campaign, of team B's private one and of team B's shared one."""
    return {
        "ours": jobs_of(world.mine),
        "theirs": jobs_of(world.private),
        "shared": jobs_of(world.shared),
    }


def listed(client, model: str, **query) -> set[int]:
    response = client.get(url(model, "changelist"), query)
    assert response.status_code == 200, model
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_superuser_sees_every_row_and_cannot_add_change_or_delete(client, admin_user, rows):
    client.force_login(admin_user)
    for model in MODELS:
        assert listed(client, model) == {rows[owner][model].pk for owner in rows}, model
        theirs = rows["theirs"][model]
        page = client.get(url(model, "change", theirs.pk))
        assert page.status_code == 200, model
        assert not page.context["has_change_permission"]
        assert not page.context["has_delete_permission"]
        assert client.get(url(model, "add")).status_code == 403, model
        assert client.post(url(model, "change", theirs.pk), {"status": "queued"}).status_code == 403
        assert client.post(url(model, "delete", theirs.pk), {"post": "yes"}).status_code == 403
        form = client.get(url(model, "changelist")).context["action_form"]
        assert form is None or "delete_selected" not in dict(form.fields["action"].choices)
    for pair in rows.values():
        for row in pair.values():
            row.refresh_from_db()  # still there, unchanged
            assert row.status in ("finished", "done")


def test_a_staff_coordinator_sees_only_the_teams_rows(client, world, rows):
    client.force_login(world.a_coordinator)
    for model in MODELS:
        ours, theirs = rows["ours"][model], rows["theirs"][model]
        assert listed(client, model) == {ours.pk, rows["shared"][model].pk}, model
        hidden = client.get(url(model, "change", theirs.pk))
        assert hidden.status_code == 302 and hidden["Location"] == reverse("admin:index")
        page = client.get(url(model, "change", ours.pk))
        assert page.status_code == 200 and not page.context["has_change_permission"]
        assert client.get(url(model, "add")).status_code == 403, model
        assert client.post(url(model, "delete", ours.pk), {"post": "yes"}).status_code == 403
        assert type(ours).objects.filter(pk=ours.pk).exists()


def test_series_release_jobs_need_every_campaign_of_the_series(client, world, admin_user):
    for campaign, series in [(world.mine, "stops"), (world.private, "stops")]:
        campaign.series = series
        campaign.save()
    world.shared.series = "searches"
    world.shared.save()
    mixed = ReleaseJob.objects.create(campaign=None, series="stops")
    readable = ReleaseJob.objects.create(campaign=None, series="searches")
    client.force_login(world.a_coordinator)
    assert listed(client, "releasejob") == {readable.pk}
    assert client.get(url("releasejob", "change", mixed.pk)).status_code == 302
    client.force_login(admin_user)
    assert listed(client, "releasejob") == {mixed.pk, readable.pk}


def test_the_changelists_filter_and_search(client, world, admin_user, rows):
    client.force_login(admin_user)
    assert listed(client, "sendrun", q=world.private.slug) == {rows["theirs"]["sendrun"].pk}
    assert listed(client, "sendrun", status__exact="running") == set()
    jobs = listed(client, "releasejob", q=world.mine.slug)
    assert jobs == {rows["ours"]["releasejob"].pk}
    client.force_login(world.a_coordinator)
    page = client.get(url("sendrun", "changelist")).content.decode()
    assert world.mine.title in page and world.private.title not in page
