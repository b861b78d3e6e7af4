"""The demo (`make demo`): replies read into real figures, most approved, release 1, work left."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from requests_app.models import Campaign, FoiRequest, RequestEvent
from responses_app.models import Document, Figure, Finding, Release, ReleaseFigure, Reply
from responses_app.selectors.dashboard import replies_to_review
from responses_app.selectors.review import review_queue
from responses_app.selectors.summary import release_summary
from responses_app.services.demo import DATA, DEMO_REPLIES, HOSPITAL_SLUG, load_demo

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
ON = date(2025, 3, 3)


def _cells(figures) -> set[tuple]:
    return {
        (f["period"], f["dimension"], f["category"], f["value"], f["suppressed"])
        + (f["lower"], f["upper"])
        for f in figures
    }


def _one_more(figures: list[dict], period: str, platform: str, age: str) -> list[dict]:
    """``figures`` with one more offence in ``period`` by ``platform``, the victim aged ``age``."""
    bumped = {("total", "all"), ("platform", platform), ("age", age)}
    out = [dict(f) for f in figures]
    for f in out:
        if f["period"] == period and (f["dimension"], f["category"]) in bumped:
            f["value"] = f["lower"] = f["upper"] = f["value"] + 1
            bumped.discard((f["dimension"], f["category"]))
    out += [
        {"period": period, "dimension": d, "category": c, "value": 1, "suppressed": False}
        | {"lower": 1, "upper": 1}
        for d, c in bumped
    ]
    return out


def test_the_demo_replies_are_read_into_the_figures_their_samples_expect():
    campaign = load_demo(on=ON)
    for plan in DEMO_REPLIES:
        request = campaign.requests.get(force_id=plan.force)
        reply = Reply.objects.get(request=request)
        assert reply.status == Reply.Status.EXTRACTED and reply.document.name == plan.filename
        assert request.sent_on < request.responded_on <= ON, plan.force
        expected = json.loads((SAMPLES / f"{plan.force}.expected.json").read_text())
        assert (reply.outcome, reply.exemptions) == (expected["outcome"], expected["exemptions"])
        stored = Figure.objects.filter(reply=reply).values(
            "period", "dimension", "category", "value", "suppressed", "lower", "upper"
        )
        if plan.force == "gwent":  # the demo's copy has one more record: a victim aged 17
            expected["figures"] = _one_more(expected["figures"], "2020-21", "Snapchat", "17")
        assert _cells(stored) == _cells(expected["figures"]), plan.force
    assert {p.filename for p in DEMO_REPLIES} <= {p.name for p in DATA.iterdir()}


def test_the_demo_has_approved_figures_a_release_and_work_to_review():
    campaign = load_demo(on=ON)
    figures = Figure.objects.filter(campaign=campaign)
    approved = figures.published()
    waiting = figures.pending()
    assert approved.count() > 2 * waiting.count() > 0

    release = Release.objects.get(campaign=campaign)
    assert release.number == 1 and release.methodology
    assert release.figure_count == approved.count() == release.figures.count()
    assert set(release.figures.values_list("figure_id", flat=True)) == set(
        approved.values_list("pk", flat=True)
    )

    researcher = get_user_model().objects.get(username="researcher")
    queue = review_queue(user=researcher, campaign=campaign.slug)
    assert queue.count() == waiting.count()
    assert Finding.objects.filter(
        figure__in=waiting, code="age.impossible", severity=Finding.Severity.ERROR
    ).exists()
    left = {p.force for p in DEMO_REPLIES if not p.approve}
    assert set(waiting.values_list("force_id", flat=True)) == left
    listing, count = replies_to_review(researcher)
    mine = [row for row in listing.rows if row["force_id"] in left]
    assert {row["force_id"] for row in mine} == left
    # Every answered request of the demo answered with a reply that was read.
    answered = campaign.requests.filter(responded_on__isnull=False)
    assert set(answered.values_list("force_id", flat=True)) == {p.force for p in DEMO_REPLIES}


def _snapshot() -> dict:
    counted = [FoiRequest, RequestEvent, Document, Reply, Figure, Finding, Release, ReleaseFigure]
    counts = {model.__name__: model.objects.count() for model in counted}
    statuses = sorted(Figure.objects.values_list("pk", "status"))
    users = get_user_model().objects.count()
    return {"counts": counts, "statuses": statuses, "users": users}


def test_loading_the_demo_twice_changes_nothing(capsys):
    call_command("demo_data")
    first = _snapshot()
    hospital = json.loads((DATA / "campaigns" / "hospital-crime.json").read_text())
    assert first["counts"]["Release"] == 2
    assert first["counts"]["Reply"] == len(DEMO_REPLIES) + len(hospital["replies"])
    assert "1 release" in capsys.readouterr().out
    call_command("demo_data")
    assert _snapshot() == first


def test_every_demo_figure_opens_for_the_researcher(client):
    """Freshly read figures have no history row yet; each page must open all the same."""
    load_demo(on=ON)
    client.force_login(get_user_model().objects.get(username="researcher"))
    figures = list(Figure.objects.values_list("pk", flat=True))
    assert len(figures) > 100
    failed = [pk for pk in figures if client.get(f"/review/figures/{pk}/").status_code != 200]
    assert failed == []


def test_every_demo_force_has_an_address_on_a_reserved_domain_even_on_a_second_run():
    from requests_app.models import Force

    load_demo(on=ON)
    Force.objects.filter(pk="kent").update(foi_email="")
    load_demo(on=ON)  # the campaign exists: addresses are still filled in
    domains = {f.rpartition("@")[2] for f in Force.objects.values_list("foi_email", flat=True)}
    assert all(d.endswith(".police.example") for d in domains)
    assert Force.objects.get(pk="kent").foi_email == "foi@kent.police.example"


def test_the_second_demo_campaign_asks_a_different_question():
    load_demo()  # today: some requests are still inside their time limit
    hospital = Campaign.objects.get(slug=HOSPITAL_SLUG)
    assert hospital.dimensions == ["total", "crime_category", "hospital"]
    release = Release.objects.get(campaign=hospital)
    summary = release_summary(release=release)
    assert {c.dimension for c in summary.cells} == {"total", "crime_category", "hospital"}
    categories = {c.category for c in summary.cells if c.dimension == "crime_category"}
    assert {"Violence Against The Person", "Shoplifting", "Possession of weapons"} <= categories
    hospitals = {c.category for c in summary.cells if c.dimension == "hospital"}
    assert "Darlington Memorial Hospital" in hospitals
    # the calendar-year reply waits in review with its period findings
    waiting = Figure.objects.filter(campaign=hospital).pending()
    assert set(waiting.values_list("force_id", flat=True)) == {"humberside"}
    assert "not yet due" in summary.coverage_text and "overdue" in summary.coverage_text
    text = json.dumps(summary.as_dict()).lower()
    for word in ("platform", "meta-owned", "0-11", "under 16"):
        assert word not in text


def test_offence_figures_roll_up_to_home_office_class_and_sub_class():
    load_demo()
    hospital = Campaign.objects.get(slug=HOSPITAL_SLUG)
    summary = release_summary(release=Release.objects.get(campaign=hospital))
    classes = {(c.period, c.category): c.value for c in summary.rollups["crime_category"]["class"]}
    # Northumbria's and West Yorkshire's "Violence with injury" and "Violence without
    # injury" (sub classes; West Yorkshire's summed over its hospitals) and Durham's
    # "Violence against the person" (a class) add up to one class
    west_yorkshire = (30 + 25 + 12) + (22 + 18 + 9)
    assert classes[("2019-20", "Violence Against The Person")].lower == (
        80 + 60 + 52 + west_yorkshire
    )
    assert classes[("2019-20", "Theft")].lower == 4 + 10  # Shoplifting is theft
    subs = {(c.period, c.category) for c in summary.rollups["crime_category"]["sub_class"]}
    assert ("2019-20", "Shoplifting") in subs
    assert "rollups" in summary.as_dict()
