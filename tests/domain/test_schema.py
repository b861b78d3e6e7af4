"""The question schema: parsing, one-line errors naming the field, the spec it gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from questions.builtin import builtin_data, names
from questions.schema import SchemaError, parse_schema, schema_from_legacy
from questions.vocab import NOT_RECORDED, AgeVocabulary, builtin_vocabulary

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
    "headlines": [{"dimension": "age", "at_most": 10}],
    "methodology": "Knife crime offences by the victim's age.",
}
HOSPITAL = Path(__file__).resolve().parents[2] / "responses_app/data/demo/schemas"


def test_knife_schema_parses_and_round_trips():
    schema = parse_schema(KNIFE)
    assert schema.periods == ("2022-23", "2023-24")
    assert [d.name for d in schema.dimensions] == ["total", "age"]
    assert [b.label for b in schema.age_bands()] == ["0-10", "11-15", "16-17"]
    assert parse_schema(schema.to_data()) == schema


def test_spec_has_the_schema_dimensions_and_no_assumed_constraint():
    spec = parse_schema(KNIFE).spec()
    assert [p.label for p in spec.periods] == ["2022-23", "2023-24"]
    age = spec.dimensions["age"]
    assert isinstance(age, AgeVocabulary)
    assert age.match("16-17") == "16-17"
    assert age.match("18") is None  # above the schema's max
    assert spec.constraints == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"dimensions": [{"name": "total"}, {"name": "age", "kind": "age", "bands": ["0-x"]}]},
            'dimensions[1].bands[0]: "0-x" is not an age band',
        ),
        ({"periods": ["2022-2x"]}, "periods[0]: '2022-2x' is not a period"),
        ({"dimensions": [{"name": "age", "kind": "ages"}]}, "dimensions[0].kind: 'ages' is not"),
        (
            {"dimensions": [{"name": "platform", "kind": "vocabulary", "vocabulary": "apps"}]},
            "dimensions[0].vocabulary: 'apps' is not a built-in vocabulary",
        ),
        (
            {"dimensions": [{"name": "age", "kind": "age", "bands": ["0-10", "9-12"]}]},
            "dimensions[0].bands: The age bands 0-10 and 9-12 overlap",
        ),
        (
            {"dimensions": [{"name": "age", "kind": "age", "bands": ["16-19"], "max": 17}]},
            'dimensions[0].bands[0]: "16-19" goes above max 17',
        ),
        (
            {"dimensions": [{"name": "place", "kind": "place", "bands": ["1-2"]}]},
            "dimensions[0].bands: only an age dimension has bands",
        ),
        ({"dimensions": [{"name": "Crime Type"}]}, "dimensions[0].name: 'Crime Type' is not"),
        (
            {"dimensions": [{"name": "x", "categories": ["a"]}, {"name": "x"}]},
            "dimensions[1].name: 'x' is there twice",
        ),
        (
            {"groups": [{"dimension": "age", "name": "Young", "categories": ["0-10"]}]},
            "groups[0].dimension: 'age' is not a list dimension",
        ),
        (
            {"constraints": [{"dimension": "age", "max": "15"}]},
            "constraints[0].max: '15' is not a whole number",
        ),
        ({"colour": "red"}, "colour: is not a field of a schema"),
        (
            {"headlines": [{"dimension": "age", "at_most": 11}]},
            "headlines[0].at_most: 11 does not end a band of age (0-10, 11-15, 16-17)",
        ),
    ],
)
def test_errors_name_the_field(change, message):
    with pytest.raises(SchemaError) as caught:
        parse_schema({**KNIFE, **change})
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_closed_group_names_only_known_categories():
    data = {
        "dimensions": [{"name": "weapon", "categories": {"Knife": ["Blade"], "Gun": []}}],
        "groups": [{"dimension": "weapon", "name": "Sharp", "categories": ["Knife", "Axe"]}],
    }
    with pytest.raises(SchemaError, match=r"groups\[0\]\.categories\[1\]: 'Axe' is not"):
        parse_schema(data)


def test_list_categories_take_synonyms_after_a_bar():
    schema = parse_schema({"dimensions": [{"name": "weapon", "categories": {"Knife": "Blade|Kn"}}]})
    weapon = schema.spec().dimensions["weapon"]
    assert weapon.match("blade") == "Knife"
    assert weapon.match("Unknown") == NOT_RECORDED
    assert weapon.match("Gun") is None


def test_open_list_keeps_new_labels_merging_case_and_spacing():
    schema = parse_schema({"dimensions": [{"name": "crime_type", "open": True}]})
    vocabulary = schema.spec().dimensions["crime_type"]
    assert vocabulary.match("VIOLENCE WITH INJURY") == "Violence with injury"
    assert vocabulary.match("violence  with  injury") == "Violence with injury"
    assert vocabulary.match("Theft from the person") == "Theft from the person"
    assert vocabulary.match("Figures are provisional and may change.") is None


def test_the_hospital_example_parses():
    data = json.loads((HOSPITAL / "hospital-crime.json").read_text())
    schema = parse_schema(data)
    assert {d.kind for d in schema.dimensions} >= {"total", "vocabulary", "place"}
    assert schema.spec().dimension_named("Hospital site") == "hospital"


def test_offences_match_at_every_level_and_roll_up():
    offences = builtin_vocabulary("home_office_offences", "offence")
    assert offences.level_of("Robbery") == "class"
    assert offences.level_of("Shoplifting") == "sub_class"
    assert offences.roll_up("shoplifting", "class") == "Theft"
    assert offences.level_of("Threats to Kill") == "offence_category"
    assert offences.roll_up("3B Threats to Kill", "sub_class") == "Violence without injury"
    assert offences.roll_up("Murder of persons aged 1 yr or over", "class") == (
        "Violence Against The Person"
    )
    # the list writes a sub class in two cases: one category
    assert offences.match("violence without injury") == "Violence without injury"


def test_builtin_vocabularies_are_data_with_their_source():
    assert set(names()) == {"platforms", "home_office_offences"}
    for name in names():
        assert builtin_data(name)["source"]
    assert "Open Government Licence" in builtin_data("home_office_offences")["source"]


def test_legacy_campaign_converts_to_the_schema_it_meant():
    schema = schema_from_legacy(["2019-20"], ["total", "platform", "age"], {})
    data = schema.to_data()
    assert data["dimensions"][1] == {
        "name": "platform",
        "kind": "vocabulary",
        "label": "Platform",
        "vocabulary": "platforms",
        "share_basis": "where the method was recorded",
    }
    assert data["constraints"][0]["max"] == 15
    assert data["headlines"] == [{"dimension": "age", "at_most": 11}]
    own = schema_from_legacy(
        ["2019-20"], ["total", "age"], {"age": {"kind": "age", "bands": ["0-9", "10-17"]}}
    )
    assert own.to_data()["dimensions"][1]["bands"] == ["0-9", "10-17"]
    assert own.to_data()["headlines"] == [{"dimension": "age", "at_most": 9}]


def test_quarters_and_months_are_periods_of_their_own_kind():
    schema = parse_schema(
        {
            "periods": ["Q1 2023", "2023 Q2", "Jan 2024", "2024-02"],
            "dimensions": [{"name": "total"}],
        }
    )
    assert schema.periods == (
        "2023 Q1",
        "2023 Q2",
        "2024-01-01/2024-01-31",
        "2024-02-01/2024-02-29",
    )
    assert [p.kind for p in schema.spec().periods] == ["quarter", "quarter", "month", "month"]
