"""The rules in requests_app/permissions.py: roles, visibility, querysets, new campaigns' teams."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import AnonymousUser

from requests_app import permissions as rules
from requests_app.models import Campaign, FoiRequest, Membership, RequestEvent, Role, Team
from requests_app.services.teams import TeamRejected, add_member, team_for_new_campaign
from tests.factories import CampaignFactory, TeamFactory, UserFactory

from .permissions_support import build_world, member, standalone_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def test_roles_are_ordered_viewer_researcher_coordinator():
    assert rules.has_role(Role.COORDINATOR, Role.RESEARCHER)
    assert rules.has_role(Role.RESEARCHER, Role.RESEARCHER)
    assert not rules.has_role(Role.VIEWER, Role.RESEARCHER)
    assert not rules.has_role(None, Role.VIEWER)


def test_a_member_has_their_role_in_their_own_teams_campaigns(world):
    assert rules.role_for(world.a_viewer, world.mine) == Role.VIEWER
    assert rules.role_for(world.a_researcher, world.mine) == Role.RESEARCHER
    assert rules.role_for(world.a_coordinator, world.mine) == Role.COORDINATOR
    assert rules.can_edit(world.a_researcher, world.mine)
    assert not rules.can_edit(world.a_viewer, world.mine)
    assert rules.can_chase(world.a_coordinator, world.mine)
    assert not rules.can_chase(world.a_researcher, world.mine)


def test_another_teams_private_campaign_is_invisible(world):
    for user in (world.a_researcher, world.a_coordinator, world.a_viewer, world.outsider):
        assert rules.role_for(user, world.private) is None
        assert not rules.can_view(user, world.private)
        assert world.private not in rules.visible_campaigns(user)
        assert not rules.visible_requests(user).filter(campaign=world.private).exists()
        assert not rules.visible_events(user).filter(request__campaign=world.private).exists()


def test_a_shared_campaign_is_visible_read_only_to_the_other_team(world):
    assert rules.role_for(world.a_coordinator, world.shared) == Role.VIEWER
    assert rules.can_view(world.a_viewer, world.shared)
    assert not rules.can_edit(world.a_coordinator, world.shared)
    assert set(rules.visible_campaigns(world.a_viewer)) == {world.mine, world.shared}
    assert rules.role_for(world.b_researcher, world.shared) == Role.RESEARCHER


def test_superusers_see_everything_and_anonymous_users_nothing(world):
    boss = UserFactory(username="boss", is_superuser=True, is_staff=True)
    assert rules.visible_campaigns(boss).count() == Campaign.objects.count() == 3
    assert rules.role_for(boss, world.private) == Role.COORDINATOR
    anonymous = AnonymousUser()
    assert not rules.visible_campaigns(anonymous).exists()
    assert not rules.visible_requests(anonymous).exists()
    assert rules.role_for(anonymous, world.mine) is None
    inactive = world.a_researcher
    inactive.is_active = False
    assert not rules.visible_campaigns(inactive).exists()


def test_a_campaign_without_a_team_is_for_superusers_only(world):
    orphan = CampaignFactory(team=None)
    assert not rules.visible_campaigns(world.a_coordinator).filter(pk=orphan.pk).exists()
    assert rules.role_for(world.a_coordinator, orphan) is None


def test_querysets_match_the_object_checks_for_every_user_and_campaign(world):
    users = [world.a_researcher, world.a_viewer, world.a_coordinator, world.b_researcher]
    for user in users:
        for needed in Role:
            ids = set(
                Campaign.objects.filter(rules.campaign_q(user, at_least=needed)).values_list(
                    "pk", flat=True
                )
            )
            expected = {
                c.pk
                for c in Campaign.objects.all()
                if rules.has_role(rules.role_for(user, c), needed)
            }
            assert ids == expected, (user, needed)
        requests = set(rules.visible_requests(user).values_list("pk", flat=True))
        assert requests == {
            r.pk for r in FoiRequest.objects.all() if rules.can_view_request(user, r)
        }


def test_a_request_outside_campaigns_belongs_to_its_creators_teams(world):
    foi = standalone_request(world.a_researcher)
    assert rules.can_edit_request(world.a_researcher, foi)
    assert rules.can_view_request(world.a_viewer, foi)
    assert not rules.can_edit_request(world.a_viewer, foi)
    assert not rules.can_view_request(world.b_researcher, foi)
    assert rules.visible_requests(world.a_viewer).filter(pk=foi.pk).exists()
    assert not rules.visible_requests(world.b_researcher).filter(pk=foi.pk).exists()
    nobody = standalone_request(None)
    assert not rules.visible_requests(world.a_coordinator).filter(pk=nobody.pk).exists()


def test_role_checks_cost_one_query_per_user(world, django_assert_num_queries):
    user = world.a_researcher
    rules.forget_roles(user)
    with django_assert_num_queries(1):
        assert rules.can_edit(user, world.mine)
        assert rules.can_view(user, world.mine)
        assert rules.can_create_campaign(user)


def test_changing_a_membership_takes_effect_at_once(world):
    assert not rules.can_edit(world.a_viewer, world.mine)
    add_member(user=world.a_viewer, team=world.team_a, role=Role.RESEARCHER)
    assert rules.can_edit(world.a_viewer, world.mine)
    with pytest.raises(TeamRejected, match="role 'owner'"):
        add_member(user=world.a_viewer, team=world.team_a, role="owner")


def test_objects_lead_to_their_campaign(world):
    event = RequestEvent.objects.filter(request=world.private_request).first()
    assert rules.role_for_object(world.b_researcher, event) == Role.RESEARCHER
    assert rules.role_for_object(world.a_researcher, event) is None


def test_only_researchers_and_coordinators_create_campaigns(world):
    assert rules.can_create_campaign(world.a_researcher)
    assert not rules.can_create_campaign(world.a_viewer)
    assert not rules.can_create_campaign(world.outsider)
    assert rules.can_manage_forces(world.a_coordinator)
    assert not rules.can_manage_forces(world.a_researcher)
    assert list(rules.editable_teams(world.a_viewer)) == []


def test_the_team_of_a_new_campaign(world):
    assert team_for_new_campaign(user=world.a_researcher) == world.team_a
    assert team_for_new_campaign(user=world.a_researcher, slug="alpha") == world.team_a
    with pytest.raises(TeamRejected, match="team 'bravo': no such team, or you may not"):
        team_for_new_campaign(user=world.a_researcher, slug="bravo")
    both = member("both", world.team_a, "researcher")
    Membership.objects.create(user=both, team=world.team_b, role="coordinator")
    with pytest.raises(TeamRejected, match=r"one of: alpha, bravo"):
        team_for_new_campaign(user=both)


def test_without_any_team_a_script_gets_the_default_team():
    assert not Team.objects.exists()
    assert team_for_new_campaign().slug == "default"
    TeamFactory(slug="other")
    with pytest.raises(TeamRejected, match="Choose the team"):
        team_for_new_campaign()


def test_the_migration_puts_existing_campaigns_and_people_in_a_default_team():
    migration = importlib.import_module("requests_app.migrations.0005_teams")
    staff = UserFactory(username="old-staff", is_staff=True)
    plain = UserFactory(username="old-user")
    old = CampaignFactory(team=None)
    migration.into_default_team(django_apps, None)
    old.refresh_from_db()
    assert old.team.slug == "default"
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles[staff.username] == "coordinator" and roles[plain.username] == "researcher"
    assert rules.can_edit(plain, old)
