"""The review queue page: ordered by severity, with approve / reject / correct and bulk approval."""

import re

import pytest
from django.urls import reverse

from responses_app.models import Figure
from responses_app.selectors.review import queue_counts
from responses_app.services.validation import validate_reply
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2021", periods=["2019-20"])
    bad = answer(
        c, "kent", total=57, status=Status.EXTRACTED,
        platform={"Instagram": 5, "Snapchat": 50}, age={"16": 2},
    )  # fmt: skip
    answer(c, "durham", total=12, status=Status.EXTRACTED, platform={"Instagram": 12})
    validate_reply(bad[0].reply)
    return c


@pytest.fixture
def client_in(client, researcher):
    client.force_login(researcher)
    return client


def test_the_queue_needs_login(client):
    assert client.get(reverse("review-queue")).status_code == 302


def test_the_queue_lists_errors_first_with_their_messages(client_in, campaign):
    page = client_in.get(reverse("review-queue")).content.decode()
    assert "the breakdown is 2 short" in page
    assert "an age of 16 is outside what the campaign asks" in page
    rows = re.findall(r'<tr class="rank-(\d)">', page)
    assert rows == sorted(rows)
    assert rows[0] == "0" and rows[-1] == "3"
    assert 'href="/review/"' in page and ">Review<" in page and ">Dataset<" in page


def test_the_queue_costs_a_fixed_number_of_queries(
    client_in, campaign, django_assert_max_num_queries
):
    for force_id in ["essex", "surrey", "gwent", "dorset"]:
        answer(campaign, force_id, total=3, status=Status.EXTRACTED, platform={"Kik": 4})
    with django_assert_max_num_queries(10):
        response = client_in.get(reverse("review-queue"), {"campaign": "csc-2021"})
    assert response.status_code == 200


def test_approve_and_reject_from_the_queue(client_in, campaign):
    durham = Figure.objects.get(force_id="durham", dimension="total")
    response = client_in.post(
        reverse("review-approve", args=[durham.pk]), {"next": "/review/?campaign=csc-2021"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/?campaign=csc-2021"
    durham.refresh_from_db()
    assert durham.status == Status.APPROVED
    age = Figure.objects.get(category="16")
    client_in.post(reverse("review-reject", args=[age.pk]), {"reason": "Not a child"})
    age.refresh_from_db()
    assert (age.status, age.reason) == (Status.REJECTED, "Not a child")


def test_an_approval_reason_goes_through_a_form(client_in, campaign):
    # The reason was taken from the raw POST: a NUL went to the database (a 500 on PostgreSQL)
    kent = Figure.objects.get(force_id="kent", dimension="total")
    url = reverse("review-approve", args=[kent.pk])
    for reason in ["a\x00b", "x" * 2001]:
        response = client_in.post(url, {"reason": reason}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("review-queue")
        assert "The reason:" in response.content.decode()
        kent.refresh_from_db()
        assert kent.status == Status.NEEDS_REVIEW and kent.reason == ""
    client_in.post(url, {"reason": "The force's own total is wrong"})
    kent.refresh_from_db()
    assert (kent.status, kent.reason) == (Status.APPROVED, "The force's own total is wrong")


def test_an_offsite_next_is_ignored(client_in, campaign):
    figure = Figure.objects.get(force_id="durham", dimension="total")
    response = client_in.post(
        reverse("review-approve", args=[figure.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("review-queue")


@pytest.mark.parametrize("target", ["{0}", "%s", "review-queue", "x" * 10_000, "a\x00b", "//evil"])
def test_a_next_that_is_not_a_path_here_goes_back_to_the_queue(client_in, campaign, target):
    figure = Figure.objects.get(force_id="durham", dimension="total")
    response = client_in.post(reverse("review-reject", args=[figure.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("review-queue")


def test_a_correction_through_the_figure_page(client_in, campaign, researcher):
    instagram = Figure.objects.get(force_id="kent", category="Instagram")
    page = client_in.get(reverse("review-figure", args=[instagram.pk])).content.decode()
    assert "Save the correction" in page
    response = client_in.post(
        reverse("review-correct", args=[instagram.pk]),
        {"value": "7", "category": "Instagram", "reason": "7 in the PDF", "lower": "", "upper": ""},
    )
    assert response.status_code == 302
    instagram.refresh_from_db()
    assert (instagram.value, instagram.status, instagram.original["value"]) == (
        7,
        Status.CORRECTED,
        5,
    )
    page = client_in.get(reverse("review-figure", args=[instagram.pk])).content.decode()
    assert "value: 5 → 7" in page
    assert researcher.username in page
    total = Figure.objects.get(force_id="kent", dimension="total")
    [left] = total.findings.filter(code="breakdown.sum")
    assert left.message.startswith("The age breakdown")  # the platform one is settled


def test_a_bad_correction_says_why_and_changes_nothing(client_in, campaign):
    figure = Figure.objects.get(force_id="durham", dimension="total")
    response = client_in.post(
        reverse("review-correct", args=[figure.pk]),
        {"value": "12", "category": "all", "reason": "no change"},
    )
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    figure.refresh_from_db()
    assert figure.status == Status.EXTRACTED


def test_bulk_approval_leaves_errors(client_in, campaign):
    response = client_in.post(reverse("review-bulk-approve"), {"campaign": "csc-2021"})
    assert response.status_code == 302
    assert Figure.objects.get(force_id="durham", dimension="total").status == Status.APPROVED
    assert Figure.objects.get(force_id="kent", dimension="total").status == Status.NEEDS_REVIEW
    assert Figure.objects.get(category="16").status == Status.NEEDS_REVIEW


def test_the_queue_counts_figures_by_their_worst_finding(campaign, researcher, viewer):
    # kent's total (two breakdowns off) and the age of 16 have errors; four have nothing.
    assert queue_counts(user=researcher) == {"error": 2, "warning": 0, "info": 0, "none": 4}
    assert queue_counts(user=researcher, campaign="other") == dict.fromkeys(
        ["error", "warning", "info", "none"], 0
    )
    assert queue_counts(user=viewer)["none"] == 0  # viewers review nothing


def test_a_figure_without_findings_shows_nothing_not_none(client_in, campaign):
    page = client_in.get(reverse("review-queue"), {"campaign": "csc-2021"}).content.decode()
    durham = next(row for row in page.split('<tr class="rank-')[1:] if "Durham" in row)
    assert ">None<" not in durham and "No findings</span>" in durham
