"""The campaign board: rows, phase counts, progress, sorting, CSV; a fixed number of queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.domain.board import Phase, phase_of
from requests_app.domain.lifecycle import Status
from requests_app.models import Force
from requests_app.selectors.campaigns import CSV_COLUMNS, board_csv, campaign_board
from requests_app.selectors.forces import force_record
from requests_app.services.calendars import calendar
from requests_app.services.campaigns import create_campaign
from requests_app.services.state import state_of, today
from tests.requests_app.campaign_helpers import days_ago, record

pytestmark = pytest.mark.django_db


def _stage(request, i: int) -> Phase:
    """Move request number ``i`` to one of the board's phases; return the phase expected."""
    stage = i % 9
    if stage == 0:
        return Phase.NOT_SENT
    sent = {1: 3, 2: 40, 3: 80}.get(stage, 30)
    record(request, "sent", days_ago(sent), channel="email")
    if stage == 1:
        return Phase.AWAITING
    if stage == 2:
        return Phase.OVERDUE
    if stage == 3:
        return Phase.VERY_OVERDUE
    if stage == 4:
        record(request, "clarification_requested", days_ago(5))
        return Phase.CLARIFICATION
    if stage == 5:
        record(request, "response", days_ago(5), outcome="full")
        return Phase.RESPONDED
    record(request, "response", days_ago(5), outcome="refused", exemptions=["s12"])
    if stage == 6:
        return Phase.REFUSED
    record(request, "review_requested", days_ago(2))
    if stage == 7:
        return Phase.IN_REVIEW
    record(request, "withdrawn", days_ago(1))
    return Phase.COMPLETE


def _campaign(slug: str, forces) -> tuple:
    campaign = create_campaign(slug=slug, title=slug.title(), periods=["2019-20"], forces=forces)
    expected = {}
    for i, request in enumerate(campaign.requests.select_related("force").order_by("force__name")):
        expected[request.force_id] = _stage(request, i)
    return campaign, expected


@pytest.fixture
def big():
    return _campaign("big", Force.objects.territorial())


def test_every_status_belongs_to_a_phase():
    assert {phase_of(s) for s in Status} == set(Phase)


def test_the_board_has_one_row_per_force_with_its_live_phase(big):
    campaign, expected = big
    board = campaign_board(campaign, today=today())
    assert board.total == 43 == len(board.rows)
    assert {row.force_id: row.phase for row in board.rows} == expected
    for phase in Phase:
        assert board.counts.get(phase, 0) == list(expected.values()).count(phase)
    answered = {Phase.RESPONDED, Phase.REFUSED, Phase.IN_REVIEW}
    responded = sum(1 for p in expected.values() if p in answered) + 4  # 4 withdrawn after a reply
    assert board.progress == f"{responded} of 43 responded"
    assert board.sent == sum(1 for p in expected.values() if p is not Phase.NOT_SENT)


def test_working_days_left_match_the_clock(big):
    campaign, _ = big
    board = campaign_board(campaign, today=today())
    requests = {r.pk: r for r in campaign.requests.select_related("force")}
    running = [row for row in board.rows if row.days_left is not None]
    assert {row.phase for row in running} == {Phase.AWAITING, Phase.OVERDUE, Phase.VERY_OVERDUE}
    for row in running:
        state = state_of(requests[row.request_id])
        assert row.days_left == state.working_days_left
        assert row.due_on == state.due_on
    urgencies = {row.phase: row.urgency for row in running}
    assert urgencies[Phase.OVERDUE] == "overdue"
    assert urgencies[Phase.VERY_OVERDUE] == "very_overdue"
    assert urgencies[Phase.AWAITING] in ("ok", "soon")
    clarification = next(r for r in board.rows if r.phase is Phase.CLARIFICATION)
    assert clarification.days_left is None and clarification.last_event == "clarification requested"


def test_the_board_costs_the_same_queries_for_5_forces_as_for_43(big):
    small, _ = _campaign("small", Force.objects.territorial().order_by("name")[:5])
    big_campaign, _ = big
    counts = []
    for campaign in (small, big_campaign):
        with CaptureQueriesContext(connection) as queries:
            board = campaign_board(campaign, today=today())
        assert len(board.rows) == campaign.requests.count()
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_filter_and_sort_keep_the_counts_of_the_whole_campaign(big):
    campaign, expected = big
    board = campaign_board(campaign, today=today(), phase="overdue", sort="-left")
    assert {row.phase for row in board.rows} == {Phase.OVERDUE}
    assert len(board.rows) == list(expected.values()).count(Phase.OVERDUE)
    assert board.total == 43
    lefts = [row.days_left for row in campaign_board(campaign, today=today(), sort="left").rows]
    present = [n for n in lefts if n is not None]
    assert present == sorted(present) and lefts[len(present) :] == [None] * (43 - len(present))
    found = campaign_board(campaign, today=today(), q="KENT").rows
    assert [row.force_id for row in found] == ["kent"]


def test_the_board_downloads_as_csv(big):
    campaign, expected = big
    rows = list(csv.DictReader(io.StringIO(board_csv(campaign_board(campaign, today=today())))))
    assert list(rows[0]) == CSV_COLUMNS
    assert {r["force_id"]: r["phase"] for r in rows} == {f: p.value for f, p in expected.items()}
    refused = next(r for r in rows if r["phase"] == "refused")
    assert (refused["outcome"], refused["exemptions"], refused["figures"]) == (
        "refused",
        "s12",
        "—",
    )


def test_a_force_record_across_campaigns():
    kent = Force.objects.get(pk="kent")
    cal = calendar("FOIA")
    days = []
    for n, (sent, answered, outcome, exemptions) in enumerate(
        [
            (60, 50, "full", []),  # on time
            (90, 20, "refused", ["s12", "s40"]),  # late
            (70, 45, "refused", ["s12"]),  # on time
            (80, None, None, None),  # overdue, unanswered
            (2, None, None, None),  # not yet due: not counted for on time
        ]
    ):
        request = create_campaign(
            slug=f"k{n}", title="T", periods=["2019"], forces=[kent]
        ).requests.get()
        record(request, "sent", days_ago(sent), channel="portal")
        if answered is not None:
            record(request, "response", days_ago(answered), outcome=outcome, exemptions=exemptions)
            days.append(cal.working_days_between(days_ago(sent), days_ago(answered)))
    rec = force_record(kent, today=today())
    assert (rec.sent, rec.answered, rec.refused) == (5, 3, 2)
    assert rec.median_working_days == sorted(days)[1]
    assert (rec.on_time, rec.on_time_of) == (2, 4)
    assert rec.top_exemptions == [("s12", 2), ("s40", 1)]
    assert rec.refused_share == pytest.approx(2 / 3)
    empty = force_record(Force.objects.get(pk="essex"), today=today())
    assert (empty.sent, empty.median_working_days, empty.on_time_share) == (0, None, None)


def test_the_board_csv_neutralises_what_a_spreadsheet_would_run(client, researcher):
    campaign = create_campaign(
        slug="formulas",
        title="Formulas",
        periods=["2019"],
        forces=Force.objects.filter(pk__in=["kent", "essex"]),
    )
    kent = campaign.requests.get(force_id="kent")
    record(kent, "sent", days_ago(30), channel="portal", force_reference='=HYPERLINK("x")')
    record(kent, "response", days_ago(2), outcome="refused", exemptions=["@SUM(1)"])
    essex = campaign.requests.get(force_id="essex")
    record(essex, "sent", days_ago(3), channel="portal", force_reference="+cmd|' /C calc'!A0")
    client.force_login(researcher)
    response = client.get(f"/campaigns/{campaign.slug}/board.csv")
    rows = {r["force_id"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["kent"]["force_reference"] == '\'=HYPERLINK("x")'
    assert rows["kent"]["exemptions"] == "'@SUM(1)"
    assert rows["essex"]["force_reference"] == "'+cmd|' /C calc'!A0"
    assert rows["essex"]["working_days_left"].lstrip("-").isdigit()  # numbers stay numbers
