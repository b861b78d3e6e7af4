"""Login throttling (django-axes): locked out after AXES_FAILURE_LIMIT failures, per user and IP."""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests-123"  # tests/factories.py


@pytest.fixture
def user():
    return UserFactory(username="target")


def _login(client, username, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_the_right_password_logs_in(client, user):
    response = _login(client, "target", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_locked_out_after_the_failure_limit_even_with_the_right_password(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "target", "wrong").status_code == 200
    locked = _login(client, "target", "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    right = _login(client, "target", PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_touches_only_that_user_from_that_address(client, user, settings):
    UserFactory(username="colleague")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "target", "wrong")
    assert _login(client, "colleague", PASSWORD).status_code == 302
    client.logout()
    assert _login(client, "target", PASSWORD, address="198.51.100.7").status_code == 302


def test_fewer_failures_then_success_resets_the_count(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "target", "wrong")
    assert _login(client, "target", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "target", "wrong").status_code == 200
    assert _login(client, "target", PASSWORD).status_code == 302


def test_an_administrator_lifts_a_lockout(client, user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "target", "wrong")
    assert AccessAttempt.objects.filter(username="target").exists()
    call_command("axes_reset_username", "target", stdout=io.StringIO())
    assert _login(client, "target", PASSWORD).status_code == 302


def test_behind_the_proxy_the_real_address_counts(client, user, settings):
    settings.TRUST_X_REAL_IP = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "target", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_REAL_IP="203.0.113.5",
        )
    assert AccessAttempt.objects.get(username="target").ip_address == "203.0.113.5"
    other = client.post(
        reverse("login"),
        {"username": "target", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_REAL_IP="203.0.113.99",
    )
    assert other.status_code == 302
