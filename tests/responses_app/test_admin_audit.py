"""The audit records in the admin: mail in and out, downloads, purges; read only, team-scoped."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from responses_app.models import InboundMessage
from tests.factories import (
    DocumentDownloadFactory,
    DocumentFactory,
    InboundMessageFactory,
    OutboundMessageFactory,
    PurgeRecordFactory,
    ReleaseFigureFactory,
    RequestEventFactory,
    UserFactory,
)
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db

MODELS = {
    "inbound": ("responses_app", "inboundmessage"),
    "outbound": ("requests_app", "outboundmessage"),
    "download": ("responses_app", "documentdownload"),
    "purge": ("requests_app", "purgerecord"),
}


def url(key: str, view: str, *args) -> str:
    app, model = MODELS[key]
    return reverse(f"admin:{app}_{model}_{view}", args=args)


@pytest.fixture
def world():
    """Team A's staff coordinator, given every model permission: the admin still refuses
    adding, changing and deleting, and shows only what team A may see."""
    world = build_world()
    coordinator = world.a_coordinator
    coordinator.is_staff = True
    coordinator.save()
    models = [model for _, model in MODELS.values()]
    coordinator.user_permissions.add(*Permission.objects.filter(content_type__model__in=models))
    return world


@pytest.fixture
def rows(world):
    """One row of each kind for team A's request and one for team B's private request."""
    mine, private = world.mine_request, world.private_request
    matched = InboundMessage.Status.MATCHED
    return {
        "inbound": (
            InboundMessageFactory(request=mine, status=matched, subject="Kent's reply to Alpha"),
            InboundMessageFactory(request=private, status=matched, subject="Kent's reply to Bravo"),
        ),
        "outbound": (
            OutboundMessageFactory(request=mine, subject="Chaser for A"),
            OutboundMessageFactory(request=private, subject="Chaser for B"),
        ),
        "download": (
            DocumentDownloadFactory(document=DocumentFactory(request=mine, name="a.csv")),
            DocumentDownloadFactory(document=DocumentFactory(request=private, name="b.csv")),
        ),
        "purge": (
            PurgeRecordFactory(campaign=world.mine),
            PurgeRecordFactory(campaign=world.private),
        ),
    }


def listed(client, key: str) -> set[int]:
    response = client.get(url(key, "changelist"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_a_superuser_sees_every_row_and_cannot_add_change_or_delete(client, admin_user, rows):
    client.force_login(admin_user)
    for key, (ours, theirs) in rows.items():
        assert listed(client, key) == {ours.pk, theirs.pk}, key
        page = client.get(url(key, "change", theirs.pk))
        assert page.status_code == 200, key
        assert not page.context["has_change_permission"]
        assert not page.context["has_delete_permission"]
        assert client.get(url(key, "add")).status_code == 403, key
        assert client.post(url(key, "delete", theirs.pk), {"post": "yes"}).status_code == 403
        form = client.get(url(key, "changelist")).context["action_form"]
        assert form is None or "delete_selected" not in dict(form.fields["action"].choices)
    assert all(type(r).objects.filter(pk=r.pk).exists() for pair in rows.values() for r in pair)


def test_a_staff_coordinator_sees_only_the_teams_rows(client, world, rows):
    client.force_login(world.a_coordinator)
    for key, (ours, theirs) in rows.items():
        assert listed(client, key) == {ours.pk}, key
        hidden = client.get(url(key, "change", theirs.pk))
        assert hidden.status_code == 302 and hidden["Location"] == reverse("admin:index")
        assert client.get(url(key, "change", ours.pk)).status_code == 200
        assert client.get(url(key, "add")).status_code == 403
        assert client.post(url(key, "delete", ours.pk), {"post": "yes"}).status_code == 403
        assert type(ours).objects.filter(pk=ours.pk).exists()


def test_mail_on_no_request_follows_the_holding_pen_rule(client, world, rows):
    held = InboundMessageFactory(request=None, subject="Who is this for?")
    downloaded = DocumentDownloadFactory(document=None, message=rows["inbound"][1])
    client.force_login(world.a_coordinator)
    assert held.pk in listed(client, "inbound")  # staff read the holding pen
    assert downloaded.pk not in listed(client, "download")  # team B's email


def test_reminders_and_digests_are_seen_by_their_recipient_only(client, world):
    own = OutboundMessageFactory(request=None, recipient_user=world.a_coordinator, kind="digest")
    other = OutboundMessageFactory(request=None, recipient_user=UserFactory(), kind="digest")
    client.force_login(world.a_coordinator)
    assert listed(client, "outbound") == {own.pk}
    assert other.pk not in listed(client, "outbound")


def test_the_changelists_filter_and_search(client, admin_user, rows):
    client.force_login(admin_user)
    response = client.get(url("inbound", "changelist"), {"q": "Alpha"})
    assert [m.pk for m in response.context["cl"].result_list] == [rows["inbound"][0].pk]
    response = client.get(url("outbound", "changelist"), {"status__exact": "sent"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []
    response = client.get(url("download", "changelist"), {"q": "b.csv"})
    assert [d.pk for d in response.context["cl"].result_list] == [rows["download"][1].pk]


def test_a_requests_events_and_a_releases_figures_are_listed_read_only(client, admin_user):
    event = RequestEventFactory(note="Phoned the FOI officer.")
    figure = ReleaseFigureFactory(source="reply.csv Sheet1!B7")
    client.force_login(admin_user)
    for view, obj, prefix, shown in [
        ("admin:requests_app_foirequest_change", event.request, "events", event.note),
        ("admin:responses_app_release_change", figure.release, "figures", figure.source),
    ]:
        page = client.get(reverse(view, args=[obj.pk]))
        (inline,) = [f for f in page.context["inline_admin_formsets"] if f.formset.prefix == prefix]
        assert shown in page.content.decode()
        assert not inline.has_add_permission and not inline.formset.can_delete
        assert inline.formset.extra == 0
        assert not set(inline.formset.forms[0].fields) & set(inline.opts.fields)  # none editable
