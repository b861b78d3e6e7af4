"""Creating campaigns, previewing their text, and running them again next year."""

import pytest

from requests_app.models import Campaign, Force
from requests_app.services.campaigns import (
    CampaignRejected,
    create_campaign,
    next_year,
    normalise_periods,
    preview_text,
    repeat_campaign,
    template_problems,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "To {force_name}: figures for {periods}. Our reference: {reference}."


def test_a_campaign_targets_the_43_territorial_forces_by_default():
    campaign = create_campaign(
        slug="sexual-comms-2019", title="Sexual comms", periods=["2017/18", "2018-19"]
    )
    assert campaign.requests.count() == 43
    assert campaign.periods == ["2017-18", "2018-19"]  # normalised spelling
    assert campaign.dimensions == ["total", "platform", "age"]
    assert set(campaign.requests.values_list("status", flat=True)) == {"draft"}
    assert not campaign.requests.filter(force_id__in=["btp", "police-scotland"]).exists()


def test_each_request_is_personalised_with_its_force_reference_and_periods():
    campaign = create_campaign(
        slug="c", title="T", periods=["2019", "2019-01-01/2019-06-30"], template=TEMPLATE
    )
    kent = campaign.requests.get(force_id="kent")
    assert kent.reference == "c/kent"
    assert kent.body == (
        "To Kent Police: figures for 2019, 2019-01-01/2019-06-30. Our reference: c/kent."
    )


def test_any_active_force_can_be_chosen_but_not_an_inactive_one():
    scotland = Force.objects.get(pk="police-scotland")
    campaign = create_campaign(slug="c", title="T", periods=["2019"], forces=[scotland])
    assert list(campaign.requests.values_list("force_id", flat=True)) == ["police-scotland"]
    scotland.active = False
    scotland.save()
    with pytest.raises(CampaignRejected, match="not active: police-scotland"):
        create_campaign(slug="d", title="T", periods=["2019"], forces=[scotland])


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["2017-1"], "'2017-1' is not a period"),
        (["2019-04"], "'2019-04' is not a period"),
        (["2017-19"], "'2017-19' is not a period"),
        (["2019-06-01/2019-01-01"], "is not a period"),
        (["2017-18", "2017/18"], "2017-18 is listed twice"),
        ([" ", ""], "at least one period"),
    ],
)
def test_bad_periods_are_refused_with_what_is_wrong(labels, message):
    with pytest.raises(CampaignRejected, match=message):
        normalise_periods(labels)


def test_quarters_are_periods_of_their_own():
    assert normalise_periods(["2023 Q1", "2023q2", "2023"]) == ["2023 Q1", "2023 Q2", "2023"]


def test_bad_input_writes_nothing():
    with pytest.raises(CampaignRejected, match="a lone {"):
        create_campaign(slug="c", title="T", periods=["2019"], template="Dear {force_name")
    with pytest.raises(CampaignRejected, match="not a slug"):
        create_campaign(slug="Not A Slug", title="T", periods=["2019"])
    with pytest.raises(CampaignRejected, match="names a dimension the campaign does not ask"):
        create_campaign(slug="c", title="T", periods=["2019"], vocabularies={"gender": []})
    assert not Campaign.objects.exists()
    create_campaign(slug="c", title="T", periods=["2019"], forces=[Force.objects.get(pk="kent")])
    with pytest.raises(CampaignRejected, match="already exists"):
        create_campaign(slug="c", title="T", periods=["2019"])


def test_a_dimension_name_the_question_refuses_is_a_rejection_not_a_schema_error():
    # normalise_dimensions takes any lower-case name; the question allows 40 characters
    with pytest.raises(CampaignRejected, match="The question is not valid: .* not a dimension"):
        create_campaign(slug="c", title="T", periods=["2019"], dimensions=["x" * 41])
    assert not Campaign.objects.exists()


def test_unknown_placeholders_are_refused_by_name():
    errors = template_problems("Dear {force_name}, {forcename}")
    assert len(errors) == 1 and "{forcename} is not a placeholder" in errors[0]


def test_preview_renders_for_any_force_before_the_campaign_exists():
    text = preview_text(
        force=Force.objects.get(pk="police-scotland"),
        template=TEMPLATE,
        slug="draft-slug",
        periods=["2019-20"],
    )
    assert (
        text
        == "To Police Scotland: figures for 2019-20. Our reference: draft-slug/police-scotland."
    )
    assert not Campaign.objects.exists()
    with pytest.raises(CampaignRejected):
        preview_text(force=Force.objects.get(pk="kent"), template="{oops")


def test_running_again_next_year_moves_every_period_on_once():
    owner = UserFactory()
    forces = Force.objects.filter(pk__in=["kent", "essex", "police-scotland"])
    first = create_campaign(
        slug="sexual-comms-2019-20",
        title="Sexual comms 2019-20 and 2020-21",
        description="In 2019-20 and 2020-21, how many...",
        template="{force_name}: 2019-20, 2020-21 ({periods})",
        periods=["2019-20", "2020-21", "2019", "2019-01-01/2019-06-30"],
        vocabularies={"platform": ["Instagram", "Snapchat"]},
        forces=forces,
        owner=owner,
    )
    second = repeat_campaign(campaign=first, owner=owner, years=1)
    assert second.periods == ["2020-21", "2021-22", "2020", "2020-01-01/2020-06-30"]
    assert second.slug == "sexual-comms-2020-21"
    assert second.title == "Sexual comms 2020-21 and 2021-22"
    assert second.description == "In 2020-21 and 2021-22, how many..."
    assert second.schema["dimensions"] == first.schema["dimensions"]
    assert second.previous == first
    first.refresh_from_db()
    assert second.series == first.series == "sexual-comms-2019-20"
    assert sorted(second.requests.values_list("force_id", flat=True)) == sorted(
        f.pk for f in forces
    )
    kent = second.requests.get(force_id="kent")
    assert (
        kent.body == "Kent Police: 2020-21, 2021-22 (2020-21, 2021-22, 2020, 2020-01-01/2020-06-30)"
    )
    # once more: the slug moves on again, and a clash gets a suffix
    third = repeat_campaign(campaign=second, years=1)
    assert third.slug == "sexual-comms-2021-22"
    assert repeat_campaign(campaign=second, years=1).slug == "sexual-comms-2021-22-2"


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        (["2022-23", "2023-24"], ["2024-25", "2025-26"]),
        (["2023-24"], ["2024-25"]),
        (["2021", "2022", "2023"], ["2024", "2025", "2026"]),
        (["2019-20", "2021-22"], ["2022-23", "2024-25"]),
    ],
)
def test_running_again_next_year_moves_every_period_past_the_last_one(periods, expected):
    campaign = create_campaign(
        slug=f"c-{periods[0]}",
        title="C",
        periods=periods,
        forces=Force.objects.filter(pk="kent"),
    )
    assert next_year(campaign).periods == expected
    assert repeat_campaign(campaign=campaign).periods == expected


def test_next_year_without_a_year_in_the_slug_or_title_appends_the_periods():
    campaign = create_campaign(
        slug="platforms", title="Platforms", periods=["2018"], forces=[Force.objects.get(pk="kent")]
    )
    plan = next_year(campaign)
    assert (plan.slug, plan.title, plan.periods, plan.force_ids) == (
        "platforms-2019",
        "Platforms (2019)",
        ["2019"],
        ["kent"],
    )
