"""Running the rules on stored figures: findings saved, statuses moved, stale findings cleared."""

import pytest

from responses_app.models import Figure, Finding
from responses_app.services.releases import create_release
from responses_app.services.review import correct_figure, reject_figure
from responses_app.services.validation import validate_figures, validate_reply
from tests.factories import CampaignFactory, FindingFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status
EXTRACTED = Status.EXTRACTED


@pytest.fixture
def campaign():
    return CampaignFactory(slug="csc-2021", periods=["2019-20", "2020-21"])


def _kent(campaign, *, instagram=7, status=EXTRACTED):
    figures = answer(
        campaign, "kent", "2019-20", total=57, status=status,
        platform={"Instagram": instagram, "Snapchat": 50},
    )  # fmt: skip
    figures += answer(
        campaign, "kent", "2020-21", total=60, status=status, reply=figures[0].reply,
        platform={"Instagram": 10, "Snapchat": 50},
    )  # fmt: skip
    return figures


def test_a_clean_reply_has_no_findings_and_stays_extracted(campaign):
    figures = _kent(campaign)
    result = validate_reply(figures[0].reply)
    assert result.checked == len(figures)
    assert (result.errors, result.warnings) == (0, 0)
    assert not Finding.objects.exists()
    assert set(Figure.objects.values_list("status", flat=True)) == {EXTRACTED}


def test_a_finding_is_stored_with_its_figure_locator_and_moves_it_to_review(campaign):
    figures = _kent(campaign, instagram=5)
    result = validate_reply(figures[0].reply)
    total = figures[0]
    [finding] = Finding.objects.all()
    assert (finding.code, finding.severity, finding.figure_id) == (
        "breakdown.sum",
        "error",
        total.pk,
    )
    assert finding.reply_id == total.reply_id
    assert finding.locator == "kent.csv Sheet1!B2"
    assert "sums to 55, but the total is 57: the breakdown is 2 short" in finding.message
    assert result.to_review == [total.pk]
    total.refresh_from_db()
    assert total.status == Status.NEEDS_REVIEW
    assert Figure.objects.filter(status=Status.NEEDS_REVIEW).count() == 1


def test_a_correction_reruns_the_rules_and_settles_the_total(campaign, researcher):
    figures = _kent(campaign, instagram=5)
    validate_reply(figures[0].reply)
    instagram = next(f for f in figures if f.category == "Instagram" and f.period == "2019-20")
    correct_figure(figure=instagram, user=researcher, value=7, reason="Misread: 7 in the PDF")
    assert not Finding.objects.filter(code="breakdown.sum").exists()
    total = Figure.objects.get(pk=figures[0].pk)
    assert total.status == EXTRACTED  # nothing left to look at


def test_rerunning_keeps_findings_from_the_reader(campaign):
    figures = _kent(campaign, instagram=5)
    FindingFactory(reply=figures[0].reply, figure=figures[1], code="reader.free_text")
    validate_reply(figures[0].reply)
    validate_reply(figures[0].reply)
    assert Finding.objects.filter(code="breakdown.sum").count() == 1
    assert Finding.objects.filter(code="reader.free_text").count() == 1
    # A reader warning is enough to need a person's look.
    assert Figure.objects.get(pk=figures[1].pk).status == Status.NEEDS_REVIEW


def test_a_missing_period_is_stored_on_the_reply(campaign):
    figures = answer(campaign, "kent", "2019-20", total=57, status=EXTRACTED)
    validate_reply(figures[0].reply)
    [finding] = Finding.objects.all()
    assert (finding.code, finding.figure, finding.reply_id) == (
        "period.missing",
        None,
        figures[0].reply_id,
    )
    assert finding.message == "kent sent no figures for 2020-21, which the campaign asked for."


def test_rejecting_one_duplicate_clears_the_finding_on_the_other(campaign, researcher):
    figures = _kent(campaign)
    extra = answer(campaign, "kent", "2019-20", total=57, status=EXTRACTED, reply=figures[0].reply)
    validate_reply(figures[0].reply)
    assert Finding.objects.filter(code="figure.duplicate").count() == 2
    reject_figure(figure=extra[0], user=researcher, reason="Same total, read twice")
    assert not Finding.objects.filter(code="figure.duplicate").exists()


def test_rules_switched_off_in_settings_do_not_run(campaign, settings):
    settings.VALIDATION_RULES = [
        r for r in settings.VALIDATION_RULES if "BreakdownSum" not in str(r)
    ]
    figures = _kent(campaign, instagram=5)
    validate_reply(figures[0].reply)
    assert not Finding.objects.filter(code="breakdown.sum").exists()


def test_the_change_thresholds_come_from_settings(campaign, settings):
    figures = answer(campaign, "kent", "2019-20", total=10, status=EXTRACTED)
    answer(campaign, "kent", "2020-21", total=35, status=EXTRACTED, reply=figures[0].reply)
    validate_reply(figures[0].reply)
    assert Finding.objects.filter(code="change.implausible").count() == 1
    path = "responses_app.domain.validation.history.ImplausibleChangeRule"
    settings.VALIDATION_RULES = [{"NAME": path, "OPTIONS": {"factor": 4, "min_count": 20}}]
    validate_reply(figures[0].reply)
    assert not Finding.objects.filter(code="change.implausible").exists()


def test_a_previous_campaigns_figures_are_the_previous_period(settings):
    old = CampaignFactory(slug="csc-2019", series="csc", periods=["2018-19"])
    new = CampaignFactory(slug="csc-2020", series="csc", periods=["2019-20"])
    answer(old, "kent", "2018-19", total=12)
    figures = answer(new, "kent", "2019-20", total=60, status=EXTRACTED)
    validate_figures(new, figures)
    [finding] = Finding.objects.filter(code="change.implausible")
    assert "60, against 12 for 2018-19 (campaign csc-2019): 5.0 times up" in finding.message


def test_a_figure_differing_from_the_last_release_is_a_revision(researcher):
    old = CampaignFactory(slug="csc-2019", series="csc", periods=["2017-18"])
    answer(old, "kent", "2017-18", total=3217)
    create_release(campaign=old, user=researcher)
    new = CampaignFactory(slug="csc-2025", series="csc", periods=["2017-18"])
    figures = answer(new, "kent", "2017-18", total=3728, status=EXTRACTED)
    validate_figures(new, figures)
    [finding] = Finding.objects.filter(code="figure.revised")
    assert "published as 3,217 in release 1 of csc-2019; it is now 3,728 (+511)" in (
        finding.message
    )
    assert Figure.objects.get(pk=figures[0].pk).status == Status.NEEDS_REVIEW
