from datetime import date

import pytest

from requests_app.domain.blockers import (
    Blocker,
    ChaseFacts,
    explain,
    why_not_chased,
    why_not_emailed,
)

TODAY = date(2019, 5, 1)
LATE = ChaseFacts(
    status="overdue",
    clock="running",
    on_hold=False,
    campaign_on_hold=False,
    foi_email="foi@kent.police.example",
    foi_email_broken=False,
    due_on=date(2019, 4, 15),
)


def facts(**changes) -> ChaseFacts:
    return ChaseFacts(**{**LATE.__dict__, **changes})


def test_an_overdue_request_with_a_working_address_may_be_chased():
    assert why_not_chased(LATE, TODAY) is None


@pytest.mark.parametrize(
    ("changes", "blocker"),
    [
        ({"status": "draft", "clock": "not_started", "due_on": None}, Blocker.NOT_SENT),
        ({"status": "responded", "clock": "ended"}, Blocker.ANSWERED),
        ({"on_hold": True}, Blocker.ON_HOLD),
        ({"campaign_on_hold": True}, Blocker.ON_HOLD),
        ({"status": "clarification", "clock": "stopped"}, Blocker.CLARIFICATION),
        ({"status": "fees", "clock": "paused"}, Blocker.FEES),
        ({"foi_email": ""}, Blocker.NO_ADDRESS),
        ({"foi_email_broken": True}, Blocker.BOUNCED),
        ({"status": "awaiting", "due_on": TODAY}, Blocker.NOT_OVERDUE),
    ],
)
def test_each_reason(changes, blocker):
    assert why_not_chased(facts(**changes), TODAY) is blocker


def test_a_decision_comes_before_the_address():
    held = facts(on_hold=True, foi_email="")
    assert why_not_chased(held, TODAY) is Blocker.ON_HOLD
    assert why_not_chased(facts(foi_email="", due_on=TODAY), TODAY) is Blocker.NO_ADDRESS


def test_first_sends_need_only_a_working_address():
    assert why_not_emailed(foi_email="", foi_email_broken=False) is Blocker.NO_ADDRESS
    assert why_not_emailed(foi_email="a@b.example", foi_email_broken=True) is Blocker.BOUNCED
    assert why_not_emailed(foi_email="a@b.example", foi_email_broken=False) is None


def test_the_words_say_who_can_put_it_right():
    assert explain(Blocker.NO_ADDRESS, 43) == (
        "their forces have no FOI email address (a coordinator adds it on the Forces page, "
        "or runs `manage.py forces import FILE.csv`)"
    )
    assert explain(Blocker.FEES) == (
        "the clock is paused: the force sent a fees notice (record the fee paid on the "
        "request's page)"
    )
    assert "admin" not in " ".join(explain(b) + explain(b, 2) for b in Blocker)
