"""The admin of what a campaign owns: a staff user who is not a superuser sees, opens,
changes and links only their teams' rows (requests_app.admin.TeamScoped)."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from responses_app.models import Document, SavedMapping
from tests.factories import (
    DocumentFactory,
    FigureFactory,
    FindingFactory,
    ReleaseFactory,
    ReplyFactory,
    SavedMappingFactory,
)
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db

MODELS = ["storedfile", "document", "reply", "figure", "finding", "savedmapping", "release"]


def url(model: str, view: str, *args) -> str:
    return reverse(f"admin:responses_app_{model}_{view}", args=args)


def owned_by(request) -> dict:
    """One row of each model, all leading to ``request`` (a campaign's kent request)."""
    document = DocumentFactory(request=request, name=f"{request.campaign.slug}.csv")
    reply = ReplyFactory(request=request, document=document)
    figure = FigureFactory(
        campaign=request.campaign, force=request.force, request=request, reply=reply
    )
    return {
        "storedfile": document.stored,
        "document": document,
        "reply": reply,
        "figure": figure,
        "finding": FindingFactory(reply=reply, figure=figure),
        "savedmapping": SavedMappingFactory(campaign=request.campaign, force=request.force),
        "release": ReleaseFactory(campaign=request.campaign, number=1),
    }


@pytest.fixture
def world():
    """Team A's researcher and coordinator are staff with every permission on these models:
    the admin still holds them to their teams."""
    world = build_world()
    perms = Permission.objects.filter(content_type__app_label__in=["responses_app", "requests_app"])
    for user in (world.a_researcher, world.a_coordinator):
        user.is_staff = True
        user.save()
        user.user_permissions.add(*perms)
    return world


@pytest.fixture
def rows(world):
    """Rows of team A's campaign, of team B's private one and of team B's shared one."""
    return {
        "ours": owned_by(world.mine_request),
        "theirs": owned_by(world.private_request),
        "shared": owned_by(world.shared_request),
    }


def listed(client, model: str) -> set[int]:
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200, model
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_superuser_sees_and_opens_every_row(client, admin_user, rows):
    client.force_login(admin_user)
    for model in MODELS:
        everyone = {rows[owner][model].pk for owner in rows}
        assert listed(client, model) == everyone, model
        page = client.get(url(model, "change", rows["theirs"][model].pk))
        assert page.status_code == 200, model


def test_a_staff_coordinator_lists_only_the_teams_rows(client, world, rows):
    client.force_login(world.a_coordinator)
    for model in MODELS:
        visible = {rows["ours"][model].pk, rows["shared"][model].pk}
        assert listed(client, model) == visible, model


def test_another_teams_row_cannot_be_opened_by_id(client, world, rows):
    client.force_login(world.a_coordinator)
    for model in MODELS:
        theirs = rows["theirs"][model].pk
        for view in ("change", "delete", "history"):
            response = client.get(url(model, view, theirs))
            if (model, view) in [("figure", "history"), ("release", "delete")]:
                # simple_history checks the object itself; releases are never deleted
                assert response.status_code == 403
            else:
                assert response.status_code == 302, (model, view)
                assert response["Location"] == reverse("admin:index")
        assert client.get(url(model, "change", rows["ours"][model].pk)).status_code == 200


def test_another_teams_figure_cannot_be_reverted_from_its_history(client, world, rows):
    figure = rows["theirs"]["figure"]
    version = figure.history.earliest("history_date")
    figure.value = 99
    figure.save()
    client.force_login(world.a_coordinator)
    revert = reverse(
        "admin:responses_app_figure_simple_history", args=[figure.pk, version.history_id]
    )
    assert client.get(revert).status_code == 403
    assert client.post(revert, {"value": 10}).status_code == 403
    figure.refresh_from_db()
    assert figure.value == 99


def test_another_teams_rows_are_not_deleted_in_bulk(client, world, rows):
    client.force_login(world.a_coordinator)
    theirs = rows["theirs"]["document"]
    client.post(
        url("document", "changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk], "post": "yes"},
    )
    assert Document.objects.filter(pk=theirs.pk).exists()


def test_a_shared_campaigns_rows_are_read_only(client, world, rows):
    client.force_login(world.a_coordinator)
    for model in ["document", "reply", "figure", "finding", "savedmapping"]:
        row = rows["shared"][model]
        page = client.get(url(model, "change", row.pk))
        assert page.status_code == 200 and not page.context["has_change_permission"], model
        assert client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert type(row).objects.filter(pk=row.pk).exists()


def test_deleting_takes_a_coordinator(client, world, rows):
    ours = rows["ours"]["savedmapping"]
    client.force_login(world.a_researcher)
    page = client.get(url("savedmapping", "change", ours.pk))
    assert page.context["has_change_permission"] and not page.context["has_delete_permission"]
    assert client.post(url("savedmapping", "delete", ours.pk), {"post": "yes"}).status_code == 403
    client.force_login(world.a_coordinator)
    assert client.post(url("savedmapping", "delete", ours.pk), {"post": "yes"}).status_code == 302
    assert not SavedMapping.objects.filter(pk=ours.pk).exists()


def choices(client, model: str) -> dict[str, set[int]]:
    form = client.get(url(model, "add")).context["adminform"].form
    return {
        name: {obj.pk for obj in field.queryset}
        for name, field in form.fields.items()
        if hasattr(field, "queryset")
    }


def test_foreign_keys_offer_only_what_the_team_runs(client, world, rows, admin_user):
    ours, theirs, shared = rows["ours"], rows["theirs"], rows["shared"]
    mine = set(world.mine.requests.values_list("pk", flat=True))
    client.force_login(world.a_coordinator)
    document = choices(client, "document")
    assert document["request"] == mine
    assert document["stored"] == {ours["storedfile"].pk}
    assert document["event"] == set(world.mine_request.events.values_list("pk", flat=True))
    reply = choices(client, "reply")
    assert reply["request"] == mine and reply["document"] == {ours["document"].pk}
    figure = choices(client, "figure")
    assert figure["campaign"] == {world.mine.pk} and figure["reply"] == {ours["reply"].pk}
    finding = choices(client, "finding")
    assert finding["reply"] == {ours["reply"].pk} and finding["figure"] == {ours["figure"].pk}
    assert choices(client, "savedmapping")["campaign"] == {world.mine.pk}
    assert theirs["reply"].pk not in reply["document"] | figure["reply"]
    assert shared["reply"].pk not in figure["reply"]

    client.force_login(admin_user)
    everything = choices(client, "savedmapping")["campaign"]
    assert everything == {world.mine.pk, world.private.pk, world.shared.pk}


def mapping_form(campaign, layout: str) -> dict:
    return {"force": "kent", "campaign": campaign.pk, "layout": layout, "mapping": '{"a": 1}'}


def test_rows_cannot_be_attached_to_another_teams_campaign_or_request(client, world, rows):
    client.force_login(world.a_coordinator)
    refused = client.post(url("savedmapping", "add"), mapping_form(world.private, "b" * 64))
    assert refused.status_code == 200 and "campaign" in refused.context["adminform"].form.errors
    assert not SavedMapping.objects.filter(layout="b" * 64).exists()
    added = client.post(url("savedmapping", "add"), mapping_form(world.mine, "a" * 64))
    assert added.status_code == 302
    assert SavedMapping.objects.get(layout="a" * 64).campaign == world.mine

    document = rows["ours"]["document"]
    form = {"request": world.private_request.pk, "stored": document.stored_id, "name": "moved"}
    refused = client.post(url("document", "change", document.pk), form)
    assert refused.status_code == 200 and "request" in refused.context["adminform"].form.errors
    document.refresh_from_db()
    assert document.request == world.mine_request and document.name != "moved"
    essex = world.mine.requests.get(force_id="essex")
    moved = client.post(url("document", "change", document.pk), {**form, "request": essex.pk})
    assert moved.status_code == 302
    document.refresh_from_db()
    assert document.request == essex


def test_series_releases_need_every_campaign_of_the_series(client, world, admin_user):
    for campaign, series in [(world.mine, "stops"), (world.private, "stops")]:
        campaign.series = series
        campaign.save()
    world.shared.series = "searches"
    world.shared.save()
    mixed = ReleaseFactory(campaign=None, series="stops", number=1)
    readable = ReleaseFactory(campaign=None, series="searches", number=1)
    orphan = ReleaseFactory(campaign=None, series="gone", number=1)
    client.force_login(world.a_coordinator)
    assert listed(client, "release") == {readable.pk}
    assert client.get(url("release", "change", mixed.pk)).status_code == 302
    client.force_login(admin_user)
    assert listed(client, "release") == {mixed.pk, readable.pk, orphan.pk}


def test_filters_name_only_visible_campaigns(client, world, rows):
    client.force_login(world.a_coordinator)
    for name in [
        "admin:responses_app_figure_changelist",
        "admin:responses_app_release_changelist",
        "admin:requests_app_foirequest_changelist",
    ]:
        page = client.get(reverse(name)).content.decode()
        assert world.mine.title in page and world.private.title not in page, name


def test_a_release_is_read_in_the_admin_and_never_saved(client, admin_user, rows):
    # "Save" on a release raised ReleaseImmutable: a 500 (releases are published, not edited)
    client.force_login(admin_user)
    release = rows["ours"]["release"]
    change = url("release", "change", release.pk)
    page = client.get(change)
    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    data = {"figures-TOTAL_FORMS": "0", "figures-INITIAL_FORMS": "0", "_save": "Save"}
    assert client.post(change, data).status_code == 403
