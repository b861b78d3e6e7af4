"""Which releases a user may list: the list and the release page agree."""

import pytest
from django.http import Http404

from responses_app.access import release_or_404, releases_for
from tests.factories import ReleaseFactory

from ..requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db


def test_a_series_release_is_listed_exactly_when_its_page_opens():
    world = build_world()
    world.mine.series = "alpha-series"
    world.mine.save(update_fields=["series"])
    kept = ReleaseFactory(campaign=None, series="alpha-series")
    orphan = ReleaseFactory(campaign=None, series="gone-series")
    listed = set(releases_for(world.a_coordinator).values_list("pk", flat=True))
    assert kept.pk in listed and orphan.pk not in listed
    assert release_or_404(world.a_coordinator, kept.pk) == kept
    with pytest.raises(Http404):
        release_or_404(world.a_coordinator, orphan.pk)


def test_a_series_with_a_hidden_campaign_hides_its_releases():
    world = build_world()
    for campaign in (world.mine, world.private):
        campaign.series = "mixed-series"
        campaign.save(update_fields=["series"])
    release = ReleaseFactory(campaign=None, series="mixed-series")
    assert not releases_for(world.a_coordinator).filter(pk=release.pk).exists()
    with pytest.raises(Http404):
        release_or_404(world.a_coordinator, release.pk)


def test_a_superuser_lists_every_series_release(admin_user):
    world = build_world()
    for campaign in (world.mine, world.private):
        campaign.series = "mixed-series"
        campaign.save(update_fields=["series"])
    release = ReleaseFactory(campaign=None, series="mixed-series")
    assert releases_for(admin_user).filter(pk=release.pk).exists()
    assert release_or_404(admin_user, release.pk) == release
