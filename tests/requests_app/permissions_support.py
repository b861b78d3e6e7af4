"""Two teams and their campaigns, for the permission tests (plain functions, not fixtures)."""

from dataclasses import dataclass
from datetime import date

from requests_app.models import Campaign, FoiRequest, Force, Team
from requests_app.services.campaigns import create_campaign
from requests_app.services.events import EventInput, record_event
from requests_app.services.requests import create_request
from tests.factories import MembershipFactory, TeamFactory, UserFactory

FORCES = ["kent", "essex"]


@dataclass
class World:
    team_a: Team
    team_b: Team
    a_researcher: object
    a_viewer: object
    a_coordinator: object
    b_researcher: object
    outsider: object  # logged in, in no team
    mine: Campaign  # team A's
    private: Campaign  # team B's, not shared
    shared: Campaign  # team B's, shared with team A
    private_request: FoiRequest
    shared_request: FoiRequest
    mine_request: FoiRequest


def member(username: str, team: Team, role: str):
    user = UserFactory(username=username)
    MembershipFactory(user=user, team=team, role=role)
    return user


def campaign(slug: str, team: Team, owner) -> Campaign:
    made = create_campaign(
        slug=slug,
        title=f"Campaign {slug}",
        periods=["2019-20"],
        forces=Force.objects.filter(pk__in=FORCES),
        owner=owner,
        team=team,
    )
    for req in made.requests.filter(force_id="kent"):  # essex stays a draft
        record_event(request=req, data=EventInput("sent", date(2019, 3, 15), channel="portal"))
    return made


def build_world() -> World:
    team_a = TeamFactory(slug="alpha", name="Alpha")
    team_b = TeamFactory(slug="bravo", name="Bravo")
    a_researcher = member("a-researcher", team_a, "researcher")
    b_researcher = member("b-researcher", team_b, "researcher")
    mine = campaign("alpha-campaign", team_a, a_researcher)
    private = campaign("bravo-private", team_b, b_researcher)
    shared = campaign("bravo-shared", team_b, b_researcher)
    shared.shared_with.add(team_a)
    return World(
        team_a=team_a,
        team_b=team_b,
        a_researcher=a_researcher,
        a_viewer=member("a-viewer", team_a, "viewer"),
        a_coordinator=member("a-coordinator", team_a, "coordinator"),
        b_researcher=b_researcher,
        outsider=UserFactory(username="outsider"),
        mine=mine,
        private=private,
        shared=shared,
        private_request=private.requests.get(force_id="kent"),
        shared_request=shared.requests.get(force_id="kent"),
        mine_request=mine.requests.get(force_id="kent"),
    )


def standalone_request(user) -> FoiRequest:
    return create_request(force=Force.objects.get(pk="kent"), subject="Offences", user=user)
