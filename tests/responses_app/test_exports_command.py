"""`manage.py export`: the dataset or a release, in each format, to a path."""

import csv
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from frictionless import validate

from responses_app.services.releases import create_release
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2021")
    answer(c, "kent", total=57, platform={"Instagram": 57})
    answer(c, "durham", total=12)
    return c


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "datapackage"])
def test_each_format_is_written(campaign, tmp_path, capsys, fmt):
    out = tmp_path / f"csc.{fmt}"
    call_command("export", "--campaign", "csc-2021", "--format", fmt, "--out", str(out))
    assert "Wrote csc-2021" in capsys.readouterr().out
    if fmt == "csv":
        rows = list(csv.DictReader(out.open()))
        assert sum(int(r["value"]) for r in rows if r["dimension"] == "total") == 69
    elif fmt == "xlsx":
        assert "Methodology" in openpyxl.load_workbook(out).sheetnames
    elif fmt == "json":
        assert json.loads(out.read_text())["summary"]["totals"][0]["value"] == 69
    else:
        assert validate(str(out / "datapackage.json")).valid


def test_a_release_is_exported_as_frozen(campaign, tmp_path, researcher):
    create_release(campaign=campaign, user=researcher)
    answer(campaign, "essex", total=1000)
    out = tmp_path / "r1.csv"
    call_command(
        "export", "--campaign", "csc-2021", "--format", "csv", "--out", str(out), "--release", "1"
    )
    rows = list(csv.DictReader(out.open()))
    assert {r["force_id"] for r in rows} == {"kent", "durham"}


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--campaign", "nope"], "no campaign 'nope'"),
        (["--campaign", "csc-2021", "--release", "3"], "has no release 3"),
        (["--campaign", "csc-2021", "--release", "0"], "release number"),
        (["--series", "csc", "--release", "1"], "not --series"),
        (["--series", "unknown"], "No campaign belongs to the series 'unknown'"),
    ],
)
def test_bad_arguments_say_what_is_wrong(campaign, tmp_path, args, words):
    with pytest.raises(CommandError, match=words):
        call_command("export", *args, "--format", "csv", "--out", str(tmp_path / "x.csv"))
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "datapackage"])
def test_a_missing_folder_is_refused_not_created(campaign, tmp_path, fmt):
    out = tmp_path / "nonexistent" / "dir" / "x.csv"
    with pytest.raises(CommandError, match=r"the folder .*nonexistent/dir does not exist"):
        call_command("export", "--campaign", "csc-2021", "--format", fmt, "--out", str(out))
    assert not (tmp_path / "nonexistent").exists()
    afile = tmp_path / "afile"
    afile.write_text("x")
    with pytest.raises(CommandError, match="afile is not a folder"):
        call_command("export", "--campaign", "csc-2021", "--format", fmt, "--out", str(afile / "x"))
