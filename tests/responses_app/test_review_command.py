"""`manage.py approve`: approves waiting figures, all of them or only those without errors."""

import pytest
from django.core.management import CommandError, call_command

from responses_app.models import Figure
from responses_app.services.validation import validate_reply
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db
Status = Figure.Status


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2021", periods=["2019-20"])
    bad = answer(c, "kent", total=57, status=Status.EXTRACTED, platform={"Instagram": 5})
    answer(c, "durham", total=12, status=Status.EXTRACTED, platform={"Instagram": 12})
    validate_reply(bad[0].reply)
    return c


def test_all_valid_leaves_the_figures_with_errors(campaign, capsys, researcher):
    call_command("approve", "--campaign", "csc-2021", "--all-valid", "--user", "researcher")
    out = capsys.readouterr().out
    assert "Approved 3 figure(s) of csc-2021." in out
    assert "Left 1 figure(s) with error findings for review." in out
    assert Figure.objects.get(force_id="kent", dimension="total").status == Status.NEEDS_REVIEW
    approved = Figure.objects.get(force_id="durham", dimension="total")
    assert approved.history.first().history_user == researcher


def test_one_force_or_everything(campaign, capsys):
    call_command("approve", "--campaign", "csc-2021", "--force", "durham")
    assert set(Figure.objects.filter(force_id="durham").values_list("status", flat=True)) == {
        Status.APPROVED
    }
    assert Figure.objects.filter(force_id="kent", status=Status.APPROVED).count() == 0
    call_command("approve", "--campaign", "csc-2021", "--reason", "Kent's total includes Kik")
    assert not Figure.objects.exclude(status=Status.APPROVED).exists()


def test_figures_with_errors_need_a_reason_kept_in_their_history(campaign, capsys):
    with pytest.raises(CommandError, match="error finding.*--reason TEXT"):
        call_command("approve", "--campaign", "csc-2021")
    assert not Figure.objects.filter(status=Status.APPROVED).exists()  # nothing half-done
    with pytest.raises(CommandError, match="--reason"):
        call_command("approve", "--campaign", "csc-2021", "--reason", "   ")
    call_command(
        "approve", "--campaign", "csc-2021", "--reason", "The total counts victims, not offences"
    )
    assert "Approved 4 figure(s) of csc-2021." in capsys.readouterr().out
    flagged = Figure.objects.get(force_id="kent", dimension="total")
    assert (flagged.status, flagged.reason) == (
        Status.APPROVED,
        "The total counts victims, not offences",
    )
    history = flagged.history.first().history_change_reason
    assert history == "bulk approval: The total counts victims, not offences"
    assert Figure.objects.get(force_id="durham", dimension="total").reason == ""


def test_a_reason_is_not_needed_when_no_figure_has_an_error(capsys):
    c = CampaignFactory(slug="clean", periods=["2019-20"])
    answer(c, "durham", total=12, status=Status.EXTRACTED, platform={"Instagram": 12})
    call_command("approve", "--campaign", "clean")
    assert "Approved 2 figure(s) of clean." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--campaign", "nope"], "no campaign 'nope'"),
        (["--campaign", "csc-2021", "--force", "atlantis"], "no force 'atlantis'"),
        (["--campaign", "csc-2021", "--user", "ghost"], "no user 'ghost'"),
    ],
)
def test_bad_arguments_say_what_is_wrong(campaign, args, words):
    with pytest.raises(CommandError, match=words):
        call_command("approve", *args)
    assert not Figure.objects.filter(status=Status.APPROVED).exists()
