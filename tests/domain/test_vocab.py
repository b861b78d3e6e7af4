"""Vocabularies: synonyms, normalisation, ages, suggestions; the campaign spec from plain data."""

from __future__ import annotations

import pytest

from questions.builtin import builtin_data
from questions.periods import Period
from questions.vocab import (
    AgeVocabulary,
    CampaignSpec,
    Vocabulary,
    default_vocabulary,
    normalise_label,
)

PLATFORMS = builtin_data("platforms")["categories"]
PLATFORM = default_vocabulary("platform")
AGE = default_vocabulary("age")


@pytest.mark.parametrize(
    ("canonical", "spelling"),
    [(c, s) for c, synonyms in PLATFORMS.items() for s in (c, *synonyms)],
)
def test_every_dataset_spelling_maps(canonical, spelling):
    assert PLATFORM.match(spelling) == canonical


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("INSTAGRAM", "Instagram"),
        ("  insta  gram ", "Instagram"),
        ("Snap-chat", "Snapchat"),
        ("Whats-App (Facebook)", "WhatsApp"),
        ("Facebook (Meta)", "Facebook"),
        ("facebook messenger (meta)", "Facebook Messenger"),
        ("e.mail", "Email"),
        ("T\u00efk Tok", "TikTok"),
    ],
)
def test_matching_ignores_case_space_punctuation_and_owner_note(spelling, canonical):
    assert PLATFORM.match(spelling) == canonical


def test_a_trailing_note_in_brackets_is_tried_without_it_only_at_the_end():
    assert PLATFORM.match("Snapchat (owned by Snap Inc)") == "Snapchat"
    assert PLATFORM.match("Facebook (Meta) chat") is None
    assert normalise_label("Facebook (Meta) chat") == "facebookmetachat"


def test_unknown_label_gets_close_suggestions():
    assert PLATFORM.match("Instgram") is None
    assert PLATFORM.suggest("Instgram")[0] == "Instagram"
    assert PLATFORM.suggest("Snapchatt")[0] == "Snapchat"
    assert PLATFORM.suggest("zzzz") == ()


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("11", "11"),
        (11, "11"),
        (11.0, "11"),
        ("Aged 12", "12"),
        ("14 years", "14"),
        ("0-11", "0-11"),
        ("12 - 13", "12-13"),
        ("12 to 13", "12-13"),
        ("14\u201315", "14-15"),
        ("Under 12", "0-11"),
        ("under 12 years", "0-11"),
        ("11 and under", "0-11"),
        ("11 or under", "0-11"),
        ("16+", "16+"),
        ("Not known", "Not recorded"),
        ("Unknown", "Not recorded"),
        ("Blank", "Not recorded"),
    ],
)
def test_age_labels(label, category):
    assert AGE.match(label) == category


@pytest.mark.parametrize("label", ["13-12", "Instagram", "200", -1, "2019-20", None])
def test_not_ages(label):
    assert AGE.match(label) is None


def test_max_age_turns_older_ages_into_unknown_labels():
    ages = AgeVocabulary("age", {"Not recorded": ("Unknown",)}, ("age",), max_age=15)
    assert ages.match("15") == "15"
    assert ages.match("14-15") == "14-15"
    assert ages.match("16") is None
    assert ages.match("16+") is None
    assert ages.suggest("16") == ("0-15", "Not recorded")


def test_gender_vocabulary():
    gender = default_vocabulary("gender")
    assert gender.match("F") == "Female"
    assert gender.match("male") == "Male"
    assert gender.match("Not stated") == "Not recorded"


def test_spec_from_plain_data_always_has_total():
    spec = CampaignSpec.from_data(["2019-20", "2020-21"], ["platform", "age"])
    assert list(spec.dimensions) == ["total", "platform", "age"]
    assert spec.periods == (Period.financial_year(2019), Period.financial_year(2020))
    assert list(spec.breakdowns) == ["platform", "age"]


def test_spec_from_mapping_with_custom_vocabularies():
    spec = CampaignSpec.from_data(
        ["2019"],
        {
            "platform": None,
            "force_area": {"North": ["N", "Northern"], "South": []},
            "age": {"kind": "age", "max_age": 17},
            "outcome": ["Charged", "No further action"],
        },
    )
    assert spec.dimensions["force_area"].match("northern") == "North"
    assert spec.dimensions["outcome"].match("charged") == "Charged"
    assert spec.dimensions["age"].match("17") == "17"
    assert spec.dimensions["age"].match("18") is None
    assert spec.periods[0].label == "2019"


def test_vocabulary_round_trips_through_plain_data():
    data = PLATFORM.to_data()
    rebuilt = CampaignSpec.from_data([], {"platform": data}).dimensions["platform"]
    assert isinstance(rebuilt, Vocabulary)
    assert rebuilt.match("Musical.ly") == "TikTok"


def test_spec_rejects_bad_period():
    with pytest.raises(ValueError):
        CampaignSpec.from_data(["someday"], ["platform"])


@pytest.mark.parametrize(
    ("heading", "dimension"),
    [
        ("Method of communication", "platform"),
        ("Platform used", "platform"),
        ("Victim age", "age"),
        ("Age of victim", "age"),
        ("Ages", "age"),
        ("Total", "total"),
        ("All offences", "total"),
        ("Breakdown", None),
        ("Text message", None),
        ("Sexual communication with a child", None),
    ],
)
def test_headings_name_dimensions(heading, dimension):
    spec = CampaignSpec.from_data(["2019-20"], ["platform", "age"])
    assert spec.dimension_named(heading) == dimension
