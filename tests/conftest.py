import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(request, tmp_path):
    """Every Django test writes its files under its own temporary folder."""
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def researcher(db):
    from tests.factories import UserFactory

    return UserFactory(username="researcher")


@pytest.fixture
def admin_user(db):
    from tests.factories import UserFactory

    return UserFactory(username="boss", is_staff=True, is_superuser=True)
