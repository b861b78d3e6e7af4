from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> list[str]:
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_worked_example_from_the_act():
    assert run("2019-03-15")[0] == "2019-04-15"


@pytest.mark.django_db
def test_explain_names_the_northern_irish_substitute_day():
    lines = run("2019-03-15", "--explain")
    assert lines[0] == "2019-04-15"
    skipped = [line for line in lines[1:] if line.startswith("2019-03-18")]
    assert skipped and "Northern Ireland" in skipped[0]


@pytest.mark.django_db
def test_foisa_counts_easter_monday_as_working():
    # Received Thursday 2019-04-18: FOIA skips Good Friday and Easter Monday, FOISA neither
    # (Good Friday is a Scottish bank holiday in the package; Easter Monday is not).
    foia = run("2019-04-18")[0]
    foisa = run("2019-04-18", "--regime", "foisa")[0]
    assert foisa < foia


@pytest.mark.django_db
def test_working_days_option_and_closure_days_apply():
    from tests.factories import ClosureDayFactory

    before = run("2019-06-03", "--working-days", "1")[0]
    assert before == "2019-06-04"
    ClosureDayFactory(regime="FOIA", date="2019-06-04", reason="Proclaimed")
    assert run("2019-06-03", "--working-days", "1")[0] == "2019-06-05"


@pytest.mark.django_db
def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="not a date"):
        run("15/03/2019")
