"""/api/inbound/ and the holding pen page: one selector, team isolation, assign and reject.

Superusers see all mail; staff see all unmatched mail (to triage it) and, like
everyone, mail on the requests they can read. A researcher or coordinator sees
the unmatched mail guessed for requests of the campaigns their team runs (a
campaign only shared with them does not count) and mail on requests they can
read; a coordinator assigns it (onto requests they coordinate) or rejects it; a
viewer sees no unmatched mail. Another team's message is a 404 on the page and
the API alike.
"""

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from responses_app.models import DocumentDownload, InboundMessage
from tests.factories import InboundMessageFactory, StoredFileFactory

from ..requests_app.permissions_support import build_world
from . import inbound_support
from .inbound_support import build

pytestmark = pytest.mark.django_db
queued = inbound_support.queued
Status = InboundMessage.Status


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def guess(request, score=70) -> dict:
    return {
        "request": request.pk,
        "reference": request.reference,
        "force": request.force.name,
        "score": score,
        "why": f"mentions its reference {request.reference}",
    }


def eml(**kwargs):
    raw = build(**kwargs)
    return StoredFileFactory(content=ContentFile(raw, name="blob"), size=len(raw))


@pytest.fixture
def world():
    world = build_world()
    world.held_mine = InboundMessageFactory(
        subject="held mine",
        guesses=[guess(world.mine_request), guess(world.private_request, 40)],
        raw=eml(subject="held mine", body="Our figures, attached."),
    )
    world.held_private = InboundMessageFactory(
        subject="held private", guesses=[guess(world.private_request)]
    )
    world.held_shared = InboundMessageFactory(
        subject="held shared", guesses=[guess(world.shared_request)]
    )
    world.held_nobody = InboundMessageFactory(subject="held nobody")
    world.matched_mine = InboundMessageFactory(
        subject="matched mine", status=Status.MATCHED, request=world.mine_request
    )
    world.matched_private = InboundMessageFactory(
        subject="matched private", status=Status.MATCHED, request=world.private_request
    )
    return world


def subjects(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["subject"] for row in response.json()["results"]}


def test_the_api_needs_authentication(world):
    assert APIClient().get("/api/inbound/").status_code in (401, 403)


@pytest.mark.parametrize("who", ["a_researcher", "a_coordinator"])
def test_the_team_sees_mail_guessed_for_its_requests_and_on_them(world, who):
    assert subjects(api(getattr(world, who)).get("/api/inbound/")) == {
        "held mine",
        "matched mine",
    }


def test_a_viewer_sees_no_unmatched_mail_only_the_mail_on_its_requests(world):
    client = api(world.a_viewer)
    assert subjects(client.get("/api/inbound/")) == {"matched mine"}
    assert client.get(f"/api/inbound/{world.held_mine.pk}/").status_code == 404


def test_superusers_see_all_mail(world, admin_user):
    assert len(subjects(api(admin_user).get("/api/inbound/"))) == 6


def test_staff_triage_all_unmatched_mail_but_not_another_teams_matched_mail(world, client):
    staff = world.a_coordinator
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    assert subjects(api(staff).get("/api/inbound/")) == {
        "held mine", "held private", "held shared", "held nobody", "matched mine",
    }  # fmt: skip
    assert api(staff).get(f"/api/inbound/{world.matched_private.pk}/").status_code == 404
    client.force_login(staff)
    assert client.get(f"/inbound/{world.matched_private.pk}/").status_code == 404
    assert client.get(f"/inbound/{world.held_nobody.pk}/").status_code == 200


def test_another_team_mail_is_404_by_its_id_on_the_api(world):
    client = api(world.a_coordinator)
    for message in (world.held_private, world.held_shared, world.held_nobody):
        for url in (f"/api/inbound/{message.pk}/", f"/api/inbound/{message.pk}/raw/"):
            response = client.get(url)
            assert response.status_code == 404 and "detail" in response.json(), url
        assign = client.post(f"/api/inbound/{message.pk}/assign/", {"request": "x"})
        reject = client.post(f"/api/inbound/{message.pk}/reject/", {"reason": "spam"})
        assert (assign.status_code, reject.status_code) == (404, 404)
    assert client.get(f"/api/inbound/{world.matched_private.pk}/").status_code == 404
    assert InboundMessage.objects.filter(status=Status.HELD).count() == 4


def test_another_team_mail_is_404_by_its_id_on_the_pages(world, client):
    client.force_login(world.a_coordinator)
    for message in (world.held_private, world.held_shared, world.held_nobody):
        assert client.get(f"/inbound/{message.pk}/").status_code == 404
        assert client.get(f"/inbound/{message.pk}/raw/").status_code == 404
        assign = client.post(
            f"/inbound/{message.pk}/assign/", {"request": world.mine_request.reference}
        )
        assert assign.status_code == 404
        assert client.post(f"/inbound/{message.pk}/reject/", {"reason": "x"}).status_code == 404
    html = client.get("/inbound/").content.decode()
    assert "held mine" in html and "held private" not in html and "held nobody" not in html
    assert InboundMessage.objects.filter(status=Status.HELD).count() == 4
    assert not DocumentDownload.objects.exists()


def test_guesses_at_another_team_requests_are_not_shown(world):
    row = api(world.a_coordinator).get(f"/api/inbound/{world.held_mine.pk}/").json()
    assert [g["request"] for g in row["guesses"]] == [world.mine_request.pk]
    assert row["may_decide"] is True and row["has_raw"] is True
    everything = api(world.b_researcher).get(f"/api/inbound/{world.held_mine.pk}/").json()
    assert [g["request"] for g in everything["guesses"]] == [world.private_request.pk]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "held"}, {"held mine"}),
        ({"status": "matched"}, {"matched mine"}),
        ({"campaign": "alpha-campaign"}, {"matched mine"}),
        ({"campaign": "bravo-private"}, set()),
        ({"kind": "bounce"}, set()),
    ],
)
def test_inbound_mail_is_filterable(world, params, expected):
    assert subjects(api(world.a_coordinator).get("/api/inbound/", params)) == expected


def test_inbound_mail_comes_in_pages_at_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    for n in range(55):
        InboundMessageFactory(subject=f"more {n}", guesses=[guess(world.mine_request)])
    client = api(world.a_researcher)
    with django_assert_max_num_queries(7):
        first = client.get("/api/inbound/", {"status": "held"}).json()
    assert (first["count"], len(first["results"])) == (56, 50)
    assert len(client.get(first["next"]).json()["results"]) == 6


@pytest.mark.usefixtures("queued")
def test_a_coordinator_assigns_held_mail_and_it_is_read_as_a_reply(world):
    client = api(world.a_coordinator)
    url = f"/api/inbound/{world.held_mine.pk}/assign/"
    response = client.post(url, {"request": world.mine_request.reference.upper()})
    assert response.status_code == 200, response.content
    row = response.json()
    assert (row["status"], row["request"], row["match_method"]) == (
        "assigned",
        world.mine_request.pk,
        "hand",
    )
    world.held_mine.refresh_from_db()
    assert world.held_mine.handled_by == world.a_coordinator
    assert world.held_mine.event.note.startswith("Reply received by email")
    again = client.post(url, {"request": world.mine_request.reference})
    assert again.status_code == 409 and "already assigned" in again.json()["detail"]


def test_a_coordinator_assigns_only_to_requests_they_coordinate(world):
    client = api(world.a_coordinator)
    url = f"/api/inbound/{world.held_mine.pk}/assign/"
    hidden = client.post(url, {"request": world.private_request.reference})
    unknown = client.post(url, {"request": "no/such/ref"})
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == {
        "detail": f"No request has the reference {world.private_request.reference!r}."
    }
    shared = client.post(url, {"request": world.shared_request.reference})
    assert shared.status_code == 403 and "viewer" in shared.json()["detail"]
    assert client.post(url, {}).json() == {"request": ["This field is required."]}
    world.held_mine.refresh_from_db()
    assert world.held_mine.status == Status.HELD


def test_a_researcher_reads_but_may_not_decide(world, client):
    researcher = api(world.a_researcher)
    row = researcher.get(f"/api/inbound/{world.held_mine.pk}/").json()
    assert row["may_decide"] is False
    assign = researcher.post(
        f"/api/inbound/{world.held_mine.pk}/assign/", {"request": world.mine_request.reference}
    )
    reject = researcher.post(f"/api/inbound/{world.held_mine.pk}/reject/", {"reason": "spam"})
    assert (assign.status_code, reject.status_code) == (403, 403)
    assert "coordinator" in assign.json()["detail"]
    client.force_login(world.a_researcher)
    page = client.get(f"/inbound/{world.held_mine.pk}/").content.decode()
    assert "Assign or reject" not in page
    assert client.post(f"/inbound/{world.held_mine.pk}/reject/", {"reason": "x"}).status_code == 403
    world.held_mine.refresh_from_db()
    assert world.held_mine.status == Status.HELD


def test_a_coordinator_rejects_with_a_reason(world):
    client = api(world.a_coordinator)
    url = f"/api/inbound/{world.held_mine.pk}/reject/"
    assert client.post(url, {"reason": "  "}).status_code == 400
    response = client.post(url, {"reason": "Spam"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["rejection_reason"]) == ("rejected", "Spam")
    assert client.post(url, {"reason": "again"}).status_code == 409
    assert subjects(client.get("/api/inbound/", {"status": "rejected"})) == {"held mine"}


def test_the_original_is_downloaded_logged_and_410_when_not_kept(world):
    client = api(world.a_researcher)
    response = client.get(f"/api/inbound/{world.held_mine.pk}/raw/")
    assert response.status_code == 200
    assert b"Our figures, attached." in b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    assert world.held_mine.downloads.get().user == world.a_researcher
    gone = client.get(f"/api/inbound/{world.matched_mine.pk}/raw/")
    assert gone.status_code == 410 and "not kept" in gone.json()["detail"]
    assert not world.matched_mine.downloads.exists()


@pytest.mark.usefixtures("queued")
def test_the_page_lets_a_coordinator_decide_and_shows_the_nav_link(world, client):
    client.force_login(world.a_coordinator)
    home = client.get("/").content.decode()
    assert "Holding pen" in home
    page = client.get("/inbound/").content.decode()
    assert f"Assign to {world.mine_request.reference}" in page
    assert world.private_request.reference not in page  # another team's guess is not shown
    response = client.post(
        f"/inbound/{world.held_mine.pk}/assign/", {"request": world.shared_request.reference}
    )
    assert response.status_code == 302
    world.held_mine.refresh_from_db()
    assert world.held_mine.status == Status.HELD  # a shared campaign is read only
    client.post(f"/inbound/{world.held_mine.pk}/assign/", {"request": world.mine_request.pk})
    world.held_mine.refresh_from_db()
    assert (world.held_mine.status, world.held_mine.request) == (
        Status.ASSIGNED,
        world.mine_request,
    )


def test_viewers_and_outsiders_have_no_holding_pen(world, client):
    for user in (world.a_viewer, world.outsider):
        client.force_login(user)
        assert client.get("/inbound/").status_code == 403
        assert "Holding pen" not in client.get("/").content.decode()


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.mark.usefixtures("queued")
def test_staff_assign_unmatched_mail_only_to_their_own_teams_requests(world, client):
    """Staff triage every held message, but put it only on requests of teams they belong to."""
    staff = api(_staff(world.a_coordinator))
    url = f"/api/inbound/{world.held_nobody.pk}/assign/"
    other = staff.post(url, {"request": world.private_request.reference})
    unknown = staff.post(url, {"request": "no/such/ref"})
    by_id = staff.post(url, {"request": str(world.private_request.pk)})
    assert other.status_code == unknown.status_code == by_id.status_code == 400
    assert other.json()["detail"] == unknown.json()["detail"].replace(
        "'no/such/ref'", repr(world.private_request.reference)
    )  # another team's reference answers as one that does not exist
    shared = staff.post(url, {"request": world.shared_request.reference})
    assert shared.status_code == 403 and "viewer" in shared.json()["detail"]
    client.force_login(world.a_coordinator)
    page = client.post(
        f"/inbound/{world.held_nobody.pk}/assign/", {"request": world.private_request.reference}
    )
    assert page.status_code == 302
    world.held_nobody.refresh_from_db()
    assert (world.held_nobody.status, world.held_nobody.request) == (Status.HELD, None)
    mine = staff.post(url, {"request": world.mine_request.reference})
    assert mine.status_code == 200 and mine.json()["request"] == world.mine_request.pk


@pytest.mark.usefixtures("queued")
def test_a_staff_researcher_assigns_to_their_team_and_superusers_anywhere(world, admin_user):
    staff = api(_staff(world.a_researcher))
    mine = staff.post(
        f"/api/inbound/{world.held_nobody.pk}/assign/", {"request": world.mine_request.reference}
    )
    assert mine.status_code == 200
    boss = api(admin_user).post(
        f"/api/inbound/{world.held_private.pk}/assign/",
        {"request": world.private_request.reference},
    )
    assert boss.status_code == 200 and boss.json()["request"] == world.private_request.pk
