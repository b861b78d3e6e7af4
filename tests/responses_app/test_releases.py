"""Releases: frozen, numbered, immutable; corrections make a new release with a diff."""

import pytest

from responses_app.domain.consolidation import Range
from responses_app.models import Figure, Release, ReleaseFigure
from responses_app.models.releases import ReleaseImmutable
from responses_app.selectors.dataset import series_figures
from responses_app.selectors.summary import release_summary, series_summary
from responses_app.services.releases import (
    ReleaseError,
    create_release,
    previous_release,
    release_diff,
)
from responses_app.services.review import correct_figure
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2019", series="csc", periods=["2017-18", "2018-19"])
    answer(c, "kent", "2017-18", total=3000, platform={"Instagram": 1000})
    answer(c, "durham", "2017-18", total=217)
    answer(c, "kent", "2018-19", total=4000)
    answer(c, "durham", "2018-19", total=373)
    answer(c, "essex", "2018-19", total=99, status=Status.NEEDS_REVIEW)
    return c


def test_a_release_freezes_the_approved_figures(campaign, researcher):
    release = create_release(campaign=campaign, methodology="Counted once.", user=researcher)
    assert (release.number, release.figure_count, release.created_by) == (1, 5, researcher)
    assert release.figures.count() == Figure.objects.filter(status=Status.APPROVED).count()
    assert not release.figures.filter(force_id="essex").exists()
    assert release.coverage["counts"]["contributed"] == 2
    summary = release_summary(release=release)
    assert summary.headlines[1] == (
        "4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 2 of 3 forces answered"
    )
    assert summary.methodology == "Counted once."


def test_a_release_cannot_be_changed_or_deleted(campaign, researcher):
    release = create_release(campaign=campaign, user=researcher)
    release.methodology = "rewritten"
    with pytest.raises(ReleaseImmutable):
        release.save()
    with pytest.raises(ReleaseImmutable):
        release.delete()
    with pytest.raises(ReleaseImmutable):
        Release.objects.filter(pk=release.pk).update(methodology="x")
    figure = release.figures.first()
    figure.value = 1
    with pytest.raises(ReleaseImmutable):
        figure.save()
    with pytest.raises(ReleaseImmutable):
        ReleaseFigure.objects.filter(release=release).delete()
    assert Release.objects.get(pk=release.pk).methodology == ""


def test_a_correction_makes_a_new_release_with_a_diff(campaign, researcher):
    first = create_release(campaign=campaign, user=researcher)
    kent = Figure.objects.get(force_id="kent", period="2017-18", dimension="total")
    correct_figure(figure=kent, user=researcher, value=3511, reason="Force re-ran its count")
    second = create_release(campaign=campaign, methodology="Revised.", user=researcher)
    assert second.number == 2
    assert previous_release(second) == first
    assert release_diff(first) is None
    [row] = release_diff(second)
    assert (row.kind, row.force_id, row.period, row.before, row.after) == (
        "changed",
        "kent",
        "2017-18",
        "3,000",
        "3,511",
    )
    # The first release still says what it published.
    assert release_summary(release=first).totals[0].value == Range.exactly(3217)
    assert release_summary(release=second).totals[0].value == Range.exactly(3728)


def test_figures_added_and_withdrawn_show_in_the_diff(campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    Figure.objects.filter(force_id="essex").update(status=Status.APPROVED)
    instagram = Figure.objects.get(category="Instagram")
    instagram.status = Status.REJECTED
    instagram.save()
    second = create_release(campaign=campaign, user=researcher)
    kinds = {(r.kind, r.force_id, r.category) for r in release_diff(second)}
    assert kinds == {("added", "essex", "all"), ("removed", "kent", "Instagram")}


def test_nothing_approved_means_no_release(researcher):
    empty = CampaignFactory()
    with pytest.raises(ReleaseError, match="no approved figures"):
        create_release(campaign=empty, user=researcher)
    with pytest.raises(ReleaseError, match="exactly one"):
        create_release(campaign=empty, series="csc", user=researcher)
    assert not Release.objects.exists()


def test_the_series_takes_each_period_from_its_latest_release(campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    later = CampaignFactory(slug="csc-2025", series="csc", periods=["2017-18", "2024-25"])
    answer(later, "kent", "2017-18", total=3511)
    answer(later, "durham", "2017-18", total=217)
    answer(later, "kent", "2024-25", total=5000)
    create_release(campaign=later, user=researcher)

    rows = {(r.force_id, r.period, r.dimension, r.category): r for r in series_figures("csc")}
    kent_1718 = rows[("kent", "2017-18", "total", "all")]
    assert (kent_1718.value, kent_1718.campaign.slug) == (3511, "csc-2025")
    assert (kent_1718.earlier_value, kent_1718.earlier_campaign) == (3000, "csc-2019")
    durham_1718 = rows[("durham", "2017-18", "total", "all")]
    assert (durham_1718.campaign.slug, durham_1718.earlier_value) == ("csc-2025", None)
    assert rows[("kent", "2018-19", "total", "all")].campaign.slug == "csc-2019"
    # Kept from the earlier campaign: the later one did not ask by platform.
    assert rows[("kent", "2017-18", "platform", "Instagram")].value == 1000

    summary = series_summary(series="csc")
    totals = {t.period: t.value for t in summary.totals}
    assert totals == {
        "2017-18": Range.exactly(3728),
        "2018-19": Range.exactly(4373),
        "2024-25": Range.exactly(5000),
    }


def test_a_series_release_freezes_the_annual_table(campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    first = create_release(series="csc", methodology="Annual table", user=researcher)
    assert (first.number, first.campaign, first.series) == (1, None, "csc")
    assert first.figure_count == 5
    assert str(first) == "Release 1 of series csc"
    kent = Figure.objects.get(force_id="kent", period="2017-18", dimension="total")
    correct_figure(figure=kent, user=researcher, value=3100, reason="Revised")
    create_release(campaign=campaign, user=researcher)
    second = create_release(series="csc", user=researcher)
    [row] = release_diff(second)
    assert (row.before_value, row.after_value) == (3000, 3100)
