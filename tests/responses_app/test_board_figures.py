"""The campaign board's figures column: what each force's reply gave, in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from requests_app.models import Force
from requests_app.selectors.campaigns import campaign_board
from requests_app.services.campaigns import create_campaign
from requests_app.services.state import today
from responses_app.models import Figure
from tests.factories import FigureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(researcher):
    return create_campaign(
        slug="board-figures",
        title="Board figures",
        periods=["2019-20"],
        forces=Force.objects.filter(pk__in=["kent", "essex", "surrey"]),
        owner=researcher,
    )


def _figures(campaign, force_id: str, **counts: int) -> None:
    request = campaign.requests.get(force_id=force_id)
    for status, n in counts.items():
        for i in range(n):
            FigureFactory(
                campaign=campaign, force_id=force_id, request=request,
                category=f"{status}-{i}", status=status,
            )  # fmt: skip


def test_each_row_says_what_its_figures_are(campaign):
    _figures(campaign, "kent", approved=3, corrected=1, needs_review=2)
    _figures(campaign, "essex", extracted=4, rejected=1)
    rows = {row.force_id: row.figures for row in campaign_board(campaign, today=today()).rows}
    assert rows == {
        "kent": "4 approved, 2 waiting",
        "essex": "4 waiting, 1 rejected",
        "surrey": "—",
    }


def test_the_figures_cost_one_query_however_many_there_are(campaign):
    with CaptureQueriesContext(connection) as before:
        campaign_board(campaign, today=today())
    _figures(campaign, "kent", approved=5, needs_review=5)
    _figures(campaign, "surrey", approved=7)
    with CaptureQueriesContext(connection) as after:
        board = campaign_board(campaign, today=today())
    assert len(after) == len(before)
    assert Figure.objects.filter(campaign=campaign).count() == 17
    assert {row.force_id for row in board.rows if row.figures != "—"} == {"kent", "surrey"}
