"""The demo logins: one per role in the Research team, which owns the demo campaign."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from requests_app import permissions as rules
from requests_app.models import Membership
from requests_app.services.demo import DEMO_USERS, load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_login_per_role_and_a_campaign_of_the_research_team(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    campaign = load_demo()
    assert campaign.team.slug == "research"
    users = {}
    for username, password, _role in DEMO_USERS:
        users[username] = authenticate(
            RequestFactory().post("/login/"), username=username, password=password
        )
        assert users[username] is not None, username
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles == {"coordinator": "coordinator", "researcher": "researcher", "viewer": "viewer"}
    assert users["admin"].is_superuser
    assert rules.can_chase(users["coordinator"], campaign)
    assert rules.can_edit(users["researcher"], campaign)
    assert not rules.can_chase(users["researcher"], campaign)
    assert rules.can_view(users["viewer"], campaign) and not rules.can_edit(
        users["viewer"], campaign
    )
    assert users["coordinator"].has_perm("requests_app.change_force")
    assert load_demo() == campaign and Membership.objects.count() == 3
