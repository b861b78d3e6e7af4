import pytest


@pytest.fixture(autouse=True)
def _test_settings(request, tmp_path):
    """Every Django test writes its files under its own folder and hashes passwords cheaply."""
    if request.config.pluginmanager.hasplugin("django"):
        settings = request.getfixturevalue("settings")
        settings.MEDIA_ROOT = tmp_path / "media"
        # PBKDF2 costs ~0.6 s a password on this machine; tests do not need it.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def eager_celery():
    """Celery tasks run in this process, at once, as in `make demo`."""
    from foitracker.celery import app as celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def _member(username: str, role: str):
    from tests.factories import MembershipFactory, UserFactory, default_team

    user = UserFactory(username=username)
    MembershipFactory(user=user, team=default_team(), role=role)
    return user


@pytest.fixture
def researcher(db):
    """A researcher in the Default team, which factory-made campaigns belong to."""
    return _member("researcher", "researcher")


@pytest.fixture
def coordinator(db):
    return _member("coordinator", "coordinator")


@pytest.fixture
def viewer(db):
    return _member("viewer", "viewer")


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="boss", is_staff=True, is_superuser=True)
