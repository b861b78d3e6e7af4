"""A campaign's question from a schema file: `campaign create --schema`, `campaign schema`."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from requests_app.models import Campaign, Force
from requests_app.selectors.questions import question_of
from requests_app.services.campaigns import CampaignRejected, change_question, create_campaign
from responses_app.services.validation import campaign_spec
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

KNIFE = {
    "periods": ["2022-23", "2023-24"],
    "dimensions": [
        {"name": "total"},
        {
            "name": "age",
            "kind": "age",
            "label": "Age of victim",
            "bands": ["0-10", "11-15", "16-17"],
            "min": 0,
            "max": 17,
        },
    ],
    "methodology": "Knife crime offences recorded by each force, by the victim's age.",
}
SEED = Path(__file__).resolve().parents[2] / "responses_app/data/demo/schemas"


def run(*args) -> str:
    out = StringIO()
    call_command("campaign", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def schema_file(tmp_path, data) -> str:
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def test_create_from_a_schema_file_and_print_it(tmp_path):
    out = run(
        "create",
        "--slug",
        "knife",
        "--title",
        "Knife",
        "--schema",
        schema_file(tmp_path, KNIFE),
        "--forces",
        "kent",
    )
    assert out.strip() == "Created knife (2022-23, 2023-24) with 1 draft requests."
    campaign = Campaign.objects.get(slug="knife")
    assert campaign.periods == ["2022-23", "2023-24"]
    assert campaign.dimensions == ["total", "age"]
    printed = json.loads(run("schema", "knife"))
    assert printed["dimensions"][1]["bands"] == ["0-10", "11-15", "16-17"]
    assert printed["methodology"] == KNIFE["methodology"]
    assert campaign_spec(campaign).dimensions["age"].max_age == 17


def test_flags_override_the_schema_periods_and_dimensions(tmp_path):
    path = schema_file(tmp_path, KNIFE)
    run(
        "create",
        "--slug",
        "k2",
        "--title",
        "K",
        "--schema",
        path,
        "--periods",
        "2021-22",
        "--dimensions",
        "total",
        "--forces",
        "kent",
    )
    campaign = Campaign.objects.get(slug="k2")
    assert campaign.periods == ["2021-22"]
    assert campaign.dimensions == ["total"]
    with pytest.raises(CommandError, match="--dimensions names gender, which the schema"):
        run(
            "create",
            "--slug",
            "k3",
            "--title",
            "K",
            "--schema",
            path,
            "--dimensions",
            "total,gender",
        )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            {**KNIFE, "dimensions": [{"name": "age", "kind": "age", "bands": ["0-x"]}]},
            'The schema is not valid: dimensions[0].bands[0]: "0-x" is not an age band',
        ),
        ('{"periods": ["2022-23"],', "is not JSON: Expecting"),
        ({"dimensions": [{"name": "total"}]}, "Give at least one period"),
    ],
)
def test_an_invalid_schema_gets_one_line(tmp_path, content, message):
    with pytest.raises(CommandError) as caught:
        run("create", "--slug", "bad", "--title", "B", "--schema", schema_file(tmp_path, content))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not Campaign.objects.filter(slug="bad").exists()


def test_the_seed_question_is_a_schema_file_and_changes_are_versioned(tmp_path):
    seed = json.loads((SEED / "platform-and-age.json").read_text())
    kent = Force.objects.get(pk="kent")
    campaign = create_campaign(slug="seed", title="Seed", periods=[], schema=seed, forces=[kent])
    assert question_of(campaign).groups_of("platform")
    assert campaign.schema_version == 1
    changed = {**seed, "methodology": "Rewritten."}
    path = schema_file(tmp_path, changed)
    call_command(
        "campaign",
        "schema",
        "seed",
        "--set",
        path,
        "--reason",
        "clearer",
        stdout=StringIO(),
        stderr=StringIO(),
    )
    campaign.refresh_from_db()
    assert campaign.schema_version == 2
    assert campaign.schema["methodology"] == "Rewritten."
    versions = list(campaign.history.order_by("history_date"))
    assert versions[0].schema["methodology"] == seed["methodology"]
    assert versions[-1].history_change_reason == "clearer"
    with pytest.raises(CampaignRejected, match=r"constraints\[0\]\.dimension"):
        change_question(
            campaign=campaign,
            schema={**seed, "constraints": [{"dimension": "platform", "max": 1}]},
        )


def test_a_campaign_saved_the_old_way_reads_as_the_schema_it_meant():
    campaign = CampaignFactory(
        periods=["2019-20"],
        dimensions=["total", "age"],
        vocabularies={"age": {"kind": "age", "bands": ["0-9", "10-17"]}},
        schema={},
    )
    question = question_of(campaign)
    assert [b.label for b in question.age_bands()] == ["0-9", "10-17"]
    assert campaign_spec(campaign).periods[0].label == "2019-20"
