"""Review: approve, bulk approve, reject and correct, each recorded with who, when and why."""

import pytest

from responses_app.models import Figure
from responses_app.services.review import (
    ReviewError,
    approve_figure,
    bulk_approve,
    correct_figure,
    reject_figure,
)
from responses_app.services.validation import validate_reply
from tests.factories import CampaignFactory, FigureFactory, FindingFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def campaign():
    return CampaignFactory(slug="csc-2021", periods=["2019-20"])


def test_approving_records_who_and_when(campaign, researcher):
    figure = FigureFactory(campaign=campaign, status=Status.NEEDS_REVIEW)
    approve_figure(figure=figure, user=researcher)
    figure.refresh_from_db()
    assert figure.status == Status.APPROVED
    latest = figure.history.first()
    assert (latest.history_user, latest.status, latest.history_change_reason) == (
        researcher,
        "approved",
        "approved",
    )
    assert latest.prev_record.status == Status.NEEDS_REVIEW


def test_approving_twice_says_so(campaign, researcher):
    figure = FigureFactory(campaign=campaign, status=Status.APPROVED)
    with pytest.raises(ReviewError, match="already approved"):
        approve_figure(figure=figure, user=researcher)


def test_bulk_approval_leaves_figures_with_errors(campaign, researcher):
    figures = answer(
        campaign, "kent", total=57, status=Status.EXTRACTED,
        platform={"Instagram": 5, "Snapchat": 50},
    )  # fmt: skip
    other = answer(campaign, "durham", total=9, status=Status.EXTRACTED)
    warned = FigureFactory(campaign=campaign, status=Status.EXTRACTED)
    FindingFactory(reply=warned.reply, figure=warned, severity="warning")
    validate_reply(figures[0].reply)
    result = bulk_approve(campaign=campaign, user=researcher, only_valid=True)
    assert (result.approved, result.skipped) == (len(figures) + len(other), 1)
    assert Figure.objects.get(pk=figures[0].pk).status == Status.NEEDS_REVIEW
    assert Figure.objects.get(pk=warned.pk).status == Status.APPROVED
    history = Figure.objects.get(pk=other[0].pk).history.first()
    assert (history.history_user, history.history_change_reason) == (researcher, "bulk approval")


def test_bulk_approval_of_one_force_only_and_of_everything(campaign, researcher):
    kent = answer(campaign, "kent", total=57, status=Status.EXTRACTED, platform={"Kik": 5})
    durham = answer(campaign, "durham", total=9, status=Status.EXTRACTED)
    validate_reply(kent[0].reply)
    result = bulk_approve(campaign=campaign, user=researcher, force="durham")
    assert result.approved == 1
    assert Figure.objects.get(pk=durham[0].pk).status == Status.APPROVED
    assert Figure.objects.get(pk=kent[0].pk).status == Status.NEEDS_REVIEW
    with pytest.raises(ReviewError, match="1 of these figures have an error finding"):
        bulk_approve(campaign=campaign, user=researcher, only_valid=False)
    assert Figure.objects.get(pk=kent[0].pk).status == Status.NEEDS_REVIEW
    everything = bulk_approve(
        campaign=campaign, user=researcher, only_valid=False, reason="Kik is counted apart"
    )
    assert everything.approved == 2
    assert Figure.objects.get(pk=kent[0].pk).reason == "Kik is counted apart"
    assert not Figure.objects.exclude(status=Status.APPROVED).exists()


def test_rejecting_needs_a_reason(campaign, researcher):
    figure = FigureFactory(campaign=campaign)
    with pytest.raises(ReviewError, match="why"):
        reject_figure(figure=figure, user=researcher, reason="  ")
    reject_figure(figure=figure, user=researcher, reason="Duplicate of the PDF table")
    figure.refresh_from_db()
    assert (figure.status, figure.reason) == (Status.REJECTED, "Duplicate of the PDF table")
    assert figure.history.first().history_change_reason == "rejected: Duplicate of the PDF table"


def test_a_correction_keeps_the_original_and_the_history(campaign, researcher):
    figure = FigureFactory(campaign=campaign, value=3217, status=Status.APPROVED)
    correct_figure(figure=figure, user=researcher, value="3,728", reason="Revised by the force")
    figure.refresh_from_db()
    assert (figure.value, figure.lower, figure.upper) == (3728, 3728, 3728)
    assert figure.status == Status.CORRECTED
    assert figure.original["value"] == 3217
    assert figure.original["status"] == "approved"
    before, after = figure.history.all()[1], figure.history.all()[0]
    assert (before.value, after.value) == (3217, 3728)
    assert after.history_user == researcher
    # A second correction keeps the first original.
    correct_figure(figure=figure, user=researcher, value=3730, reason="Typo")
    figure.refresh_from_db()
    assert figure.original["value"] == 3217


def test_correcting_to_suppressed_needs_bounds(campaign, researcher):
    figure = FigureFactory(campaign=campaign, value=3)
    with pytest.raises(ReviewError, match="lower and upper"):
        correct_figure(figure=figure, user=researcher, suppressed=True, reason="<5 in the reply")
    correct_figure(figure=figure, user=researcher, suppressed=True, lower=0, upper=4, reason="<5")
    figure.refresh_from_db()
    assert (figure.value, figure.suppressed, figure.lower, figure.upper) == (None, True, 0, 4)


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"value": -1}, "0 or more"),
        ({"value": "lots"}, "whole number"),
        ({"category": ""}, "cannot be empty"),
        ({"value": 10}, "Nothing was changed"),
        ({"suppressed": True, "lower": 4, "upper": 1}, "above the upper bound"),
    ],
)
def test_bad_corrections_say_what_is_wrong_and_change_nothing(campaign, researcher, changes, words):
    figure = FigureFactory(campaign=campaign, value=10)
    with pytest.raises(ReviewError, match=words):
        correct_figure(figure=figure, user=researcher, reason="try", **changes)
    figure.refresh_from_db()
    assert (figure.value, figure.status) == (10, Status.EXTRACTED)
    assert figure.history.count() == 1


def test_a_figure_with_an_error_finding_is_approved_only_with_a_reason(researcher):
    from responses_app.models import Finding
    from responses_app.services.review import ReviewError

    figure = FigureFactory(status="needs_review")
    FindingFactory(figure=figure, reply=figure.reply, severity=Finding.Severity.ERROR,
                   message="an age of 16 is outside what the campaign asks")  # fmt: skip
    with pytest.raises(ReviewError, match="has an error finding .*say why"):
        approve_figure(figure=figure, user=researcher)
    approve_figure(figure=figure, user=researcher, reason="the force confirmed the age")
    figure.refresh_from_db()
    assert figure.status == "approved" and figure.reason == "the force confirmed the age"
    assert figure.history.latest().history_change_reason == (
        "approved: the force confirmed the age"
    )


@pytest.mark.parametrize("only_valid", [True, False])
def test_figures_read_by_ocr_are_never_approved_in_bulk(campaign, researcher, only_valid):
    scanned = FigureFactory(campaign=campaign, status=Status.EXTRACTED, read_by_ocr=True)
    typed = FigureFactory(campaign=campaign, status=Status.EXTRACTED)
    result = bulk_approve(campaign=campaign, user=researcher, only_valid=only_valid)
    assert (result.approved, result.skipped, result.skipped_ocr) == (1, 1, 1)
    assert Figure.objects.get(pk=scanned.pk).status == Status.EXTRACTED
    assert Figure.objects.get(pk=typed.pk).status == Status.APPROVED
    approve_figure(figure=scanned, user=researcher)  # one by one, a person may
    assert Figure.objects.get(pk=scanned.pk).status == Status.APPROVED
