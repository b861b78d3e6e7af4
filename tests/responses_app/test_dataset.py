"""The consolidated dataset: approved figures only, summed in the database."""

from datetime import date

import pytest
from django.db.models import Q

from requests_app.models import Force
from responses_app.domain.consolidation import Range
from responses_app.models import Figure
from responses_app.selectors.dataset import (
    campaign_coverage,
    coverage_by_force,
    coverage_counts,
)
from responses_app.selectors.summary import campaign_summary
from responses_app.services.review import correct_figure
from tests.factories import CampaignFactory, CampaignRequestFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def campaign(researcher):
    c = CampaignFactory(slug="csc-2021", periods=["2019-20", "2020-21"])
    answer(
        c, "kent", "2019-20", total=100,
        platform={"Instagram": 20, "Snapchat": 30, "Facebook": 10, "Not recorded": 40},
        age={"0-11": 10, "12-13": 30, "Not recorded": 60},
    )  # fmt: skip
    answer(
        c, "kent", "2020-21", total=130,
        platform={"Instagram": 40, "Snapchat": 30, "Not recorded": 60},
    )  # fmt: skip
    durham = answer(
        c, "durham", "2019-20", total=50,
        platform={"Instagram": (0, 4), "WhatsApp": 12, "Snapchat": 34},
    )  # fmt: skip
    # Figures not approved never count, whatever their value.
    for status in (Status.EXTRACTED, Status.NEEDS_REVIEW, Status.REJECTED):
        answer(c, "essex", "2019-20", total=1000, status=status, platform={"Kik": 999})
    correct_figure(
        figure=durham[0], user=researcher, value=52, reason="The force's corrected table"
    )
    return c


def _approved_sum(campaign, **cell):
    rows = Figure.objects.filter(
        Q(status=Status.APPROVED) | Q(status=Status.CORRECTED), campaign=campaign, **cell
    )
    return sum(f.lower for f in rows), sum(f.upper for f in rows)


def test_totals_are_the_sums_of_approved_and_corrected_figures_only(campaign):
    summary = campaign_summary(campaign=campaign)
    for cell in summary.cells:
        expected = _approved_sum(
            campaign, period=cell.period, dimension=cell.dimension, category=cell.category
        )
        assert (cell.value.lower, cell.value.upper) == expected, cell
    total = {t.period: t.value for t in summary.totals}
    assert total["2019-20"] == Range.exactly(100 + 52)  # durham's corrected total, not 50
    assert "Kik" not in {c.category for c in summary.cells}


def test_a_suppressed_figure_makes_the_national_total_a_range(campaign):
    summary = campaign_summary(campaign=campaign)
    cells = {c.category: c for c in summary.dimension("platform", "2019-20")}
    assert cells["Instagram"].value == Range(20, 24)
    assert cells["Instagram"].suppressed == 1
    assert str(cells["Instagram"].value) == "20 to 24"


def test_shares_are_taken_over_recorded_categories(campaign):
    summary = campaign_summary(campaign=campaign)
    platform = {c.category: c for c in summary.dimension("platform", "2020-21")}
    # 40 of the 70 offences where the method was recorded, not 40 of 130.
    assert platform["Instagram"].share.low == pytest.approx(40 / 70 * 100)
    assert platform["Not recorded"].share is None
    age = {c.category: c for c in summary.dimension("age", "2019-20")}
    assert age["0-11"].share.low == pytest.approx(25.0)  # 10 of the 40 with age recorded


def test_meta_owned_apps_are_a_group_with_the_same_base(campaign):
    summary = campaign_summary(campaign=campaign)
    [group] = [g for g in summary.groups if (g.period, g.dimension) == ("2019-20", "platform")]
    # kent: Instagram 20 + Facebook 10; durham: Instagram 0..4 + WhatsApp 12.
    assert group.value == Range(42, 46)
    assert group.base == Range(20 + 30 + 10 + 12 + 34, 24 + 30 + 10 + 12 + 34)
    assert group.sentence.startswith(
        "Meta-owned apps: 42 to 46 of 106 to 110 offences where the method was recorded in 2019-20"
    )


def test_year_on_year_change_and_the_headline(campaign):
    summary = campaign_summary(campaign=campaign)
    latest = summary.totals[-1]
    assert (latest.period, latest.previous_period, latest.previous) == (
        "2020-21",
        "2019-20",
        Range.exactly(152),
    )
    asked = summary.coverage["asked"]
    assert latest.headline == (
        f"130 offences in 2020-21, down 14% on 2019-20 (152); 1 of {asked} forces answered"
    )
    snapchat = {c.category: c for c in summary.dimension("platform", "2020-21")}["Snapchat"]
    assert snapchat.previous == Range.exactly(64)
    assert snapchat.change.phrase() == "down 53%"


def test_the_headline_of_the_issue():
    c = CampaignFactory(periods=["2017-18", "2018-19"])
    answer(c, "kent", "2017-18", total=3000)
    answer(c, "durham", "2017-18", total=217)
    answer(c, "kent", "2018-19", total=4000)
    answer(c, "durham", "2018-19", total=373)
    summary = campaign_summary(campaign=c)
    assert summary.headlines[1] == (
        "4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 2 of 2 forces answered"
    )


def test_coverage_counts_each_force_once(campaign):
    def asked(force_id, **kw):
        CampaignRequestFactory(campaign=campaign, force=Force.objects.get(pk=force_id), **kw)

    asked("cleveland", status="partial", outcome="partial")
    answer(campaign, "cleveland", "2019-20", total=58)
    asked("wiltshire", status="refused", outcome="refused", exemptions=["s12"])
    asked("norfolk", status="not_held", outcome="not_held")
    asked("surrey", status="overdue", outcome="", responded_on=None, due_on=date(2020, 5, 1))
    asked("sussex", status="awaiting", outcome="", responded_on=None, due_on=date(2999, 1, 1))
    asked("dorset", status="draft", outcome="", responded_on=None)  # never sent: not asked
    counts = coverage_counts(campaign)
    assert counts == {
        "asked": 8,
        "contributed": 2,  # kent, durham
        "partial": 1,  # cleveland
        "refused": 1,  # wiltshire
        "not_held": 1,  # norfolk
        "awaiting_review": 1,  # essex: answered, nothing approved
        "overdue": 1,  # surrey: past its due date, no answer
        "not_yet_due": 1,  # sussex: still inside the time limit
    }
    summary = campaign_summary(campaign=campaign)
    assert summary.headlines[2] == (
        "3 of 8 forces contributed figures (1 partial); 1 refused; 1 said the information "
        "is not held; 1 answered, figures awaiting review; 1 not yet due; 1 overdue"
    )
    coverage = {f.force_id: f.coverage for f in summary.forces}
    assert coverage["wiltshire"] == "refused"
    assert coverage["cleveland"] == "partial"


def test_the_per_force_table(campaign):
    rows = {r.force_id: r for r in campaign_summary(campaign=campaign).forces}
    assert rows["kent"].totals == {"2019-20": Range.exactly(100), "2020-21": Range.exactly(130)}
    assert rows["kent"].groups["Meta-owned apps"]["2019-20"] == Range.exactly(30)
    assert rows["durham"].totals == {"2019-20": Range.exactly(52)}
    assert rows["essex"].totals == {}
    assert rows["essex"].coverage == "awaiting_review"


def test_the_summary_costs_a_fixed_number_of_queries(campaign, django_assert_max_num_queries):
    for force_id in ["surrey", "dorset", "norfolk", "gwent", "cumbria"]:
        answer(campaign, force_id, "2019-20", total=5, platform={"Kik": 5}, age={"12": 5})
    # The coverage rows, national totals, share bases, the per-force table.
    with django_assert_max_num_queries(4):
        summary = campaign_summary(campaign=campaign)
        summary.as_dict()
    assert len(summary.forces) == 8


def test_coverage_counts_and_rows_come_from_one_query(campaign, django_assert_num_queries):
    CampaignRequestFactory(campaign=campaign, force=Force.objects.get(pk="wiltshire"),
                           status="refused", outcome="refused")  # fmt: skip
    with django_assert_num_queries(1):
        counts, forces = campaign_coverage(campaign)
    assert counts == coverage_counts(campaign)
    assert counts["refused"] == 1 and counts["asked"] == 4
    assert forces == list(coverage_by_force(campaign))
