import csv
from pathlib import Path

import pytest

from requests_app.models import Force

FORCES_CSV = Path(__file__).resolve().parents[2] / "requests_app" / "data" / "forces.csv"


@pytest.mark.django_db
def test_every_row_of_the_forces_table_is_loaded():
    rows = list(csv.DictReader(FORCES_CSV.open(encoding="utf-8")))
    assert Force.objects.count() == len(rows) == 46
    kent = Force.objects.get(pk="kent")
    assert kent.name == "Kent Police"
    assert kent.regime == "FOIA"
    assert kent.ons_code.startswith("E23")


@pytest.mark.django_db
def test_the_default_target_set_is_the_43_territorial_forces_of_england_and_wales():
    territorial = Force.objects.territorial()
    assert territorial.count() == 43
    assert not territorial.filter(pk__in=["btp", "police-scotland", "northern-ireland"]).exists()
    assert set(territorial.values_list("nation", flat=True)) == {"England", "Wales"}


@pytest.mark.django_db
def test_police_scotland_follows_foisa():
    assert Force.objects.get(pk="police-scotland").regime == "FOISA"
    assert Force.objects.get(pk="northern-ireland").regime == "FOIA"
