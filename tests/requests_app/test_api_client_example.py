"""examples/api_client.py run as a script against the live test server, with a real token."""

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from requests_app.models import Force, RequestEvent
from requests_app.services.campaigns import create_campaign
from responses_app.exports import COLUMNS
from responses_app.models import Figure
from tests.factories import FigureFactory

CLIENT = Path(__file__).resolve().parents[2] / "examples" / "api_client.py"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def campaign(researcher):
    made = create_campaign(
        slug="scwc",
        title="Sexual communication with a child",
        periods=["2019-20"],
        forces=Force.objects.filter(pk__in=["kent", "essex", "durham"]),
        owner=researcher,
    )
    return made


@pytest.fixture
def run(live_server, researcher):
    token = Token.objects.create(user=researcher).key

    def run(*args, token=token):
        return subprocess.run(
            [sys.executable, str(CLIENT), "--url", live_server.url, "--token", token, *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    return run


def test_pull_dataset_saves_the_approved_figures_as_csv(run, campaign, tmp_path):
    FigureFactory(campaign=campaign, force_id="kent", value=12, status=Figure.Status.APPROVED)
    FigureFactory(campaign=campaign, force_id="essex", value=7, status=Figure.Status.APPROVED)
    FigureFactory(campaign=campaign, force_id="durham", value=99)  # read, not yet approved
    out = tmp_path / "scwc.csv"
    done = run("pull-dataset", "scwc", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Wrote 2 figure(s) of scwc to {out}."
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(COLUMNS)
    assert sorted((r["force_id"], r["period"], r["value"]) for r in rows) == [
        ("essex", "2019-20", "7"),
        ("kent", "2019-20", "12"),
    ]


def test_pull_dataset_of_a_campaign_that_is_not_there_says_so(run, campaign, tmp_path):
    done = run("pull-dataset", "nope", "--out", str(tmp_path / "x.csv"))
    assert done.returncode == 1
    assert "not found" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_log_sent_records_every_row_of_the_csv(run, campaign, tmp_path):
    refs = tmp_path / "portal.csv"
    refs.write_text(
        "force,sent_on,portal_reference\nkent,2024-05-01,KNT/123\nessex,2024-05-02,\n",
        encoding="utf-8",
    )
    done = run("log-sent", "scwc", str(refs))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Recorded 2 requests as sent: ")
    sent = {
        r.force_id: (r.sent_on, r.force_reference)
        for r in campaign.requests.filter(sent_on__isnull=False)
    }
    assert sent == {"kent": (date(2024, 5, 1), "KNT/123"), "essex": (date(2024, 5, 2), "")}
    assert set(
        RequestEvent.objects.filter(request__campaign=campaign).values_list("channel", flat=True)
    ) == {"portal"}


def test_log_sent_with_bad_rows_records_nothing_and_prints_each_problem(run, campaign, tmp_path):
    refs = tmp_path / "portal.csv"
    refs.write_text(
        "force,sent_on,portal_reference\nkent,2024-05-01,K\nsurrey,2024-05-02,S\nessex,May,E\n",
        encoding="utf-8",
    )
    done = run("log-sent", "scwc", str(refs))
    assert done.returncode == 1
    assert "Nothing was recorded: 2 row(s) have problems." in done.stderr
    assert "row 2 (surrey), force: no request to this force in the campaign scwc" in done.stderr
    assert "row 3 (essex), sent_on: 'May' is not a date: use YYYY-MM-DD" in done.stderr
    assert not campaign.requests.filter(sent_on__isnull=False).exists()


def test_a_wrong_token_or_file_is_a_sentence_not_a_traceback(run, campaign, tmp_path):
    done = run("log-sent", "scwc", str(tmp_path / "missing.csv"))
    assert done.returncode == 2 and "Could not read" in done.stderr
    done = run("pull-dataset", "scwc", "--out", str(tmp_path / "x.csv"), token="0" * 40)
    assert done.returncode == 1 and "Invalid token." in done.stderr
    assert "Traceback" not in done.stderr
