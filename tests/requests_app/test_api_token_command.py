"""manage.py api_token: a user's token created, shown, replaced and revoked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue().strip()


def _status(key: str) -> int:
    """200, or 403 with "Invalid token." (the session comes first, so no 401 challenge)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/forces/")
    if response.status_code != 200:
        assert response.json() == {"detail": "Invalid token."}
    return response.status_code


def test_creates_a_token_once_then_shows_the_same_one(researcher):
    key, note = _run("researcher")
    assert Token.objects.get(user=researcher).key == key and len(key) == 40
    assert note == "Created an API token for researcher."
    assert _run("researcher") == (key, "")
    assert _status(key) == 200


def test_new_replaces_the_token_and_the_old_key_stops_working(researcher):
    old, _ = _run("researcher")
    fresh, _ = _run("researcher", "--new")
    assert fresh != old and Token.objects.get(user=researcher).key == fresh
    assert _status(old) == 403 and _status(fresh) == 200


def test_revoke_deletes_the_token(researcher):
    key, _ = _run("researcher")
    assert _run("researcher", "--revoke") == ("", "Revoked researcher's API token.")
    assert not Token.objects.filter(user=researcher).exists()
    assert _status(key) == 403
    assert _run("researcher", "--revoke") == ("", "researcher had no API token.")


def test_unknown_or_inactive_users_are_refused_in_a_sentence():
    with pytest.raises(CommandError, match="There is no user 'nobody'"):
        _run("nobody")
    UserFactory(username="gone", is_active=False)
    with pytest.raises(CommandError, match="gone is inactive"):
        _run("gone")
    assert not Token.objects.exists()
    with pytest.raises(CommandError):
        _run("gone", "--new", "--revoke")
