"""The Question section of the campaign form, and editing a campaign's question later."""

import io

import pytest
from django.urls import reverse

from requests_app.models import Campaign
from requests_app.selectors.questions import question_of
from responses_app.models import Figure
from tests.factories import CampaignFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db


def base(**extra) -> dict:
    data = {
        "title": "Knife crime",
        "slug": "knife",
        "periods": "2022-23, 2023-24",
        "dimensions": "total",
        "forces": ["kent"],
        "action": "create",
        "dim-TOTAL_FORMS": "3",
        "dim-INITIAL_FORMS": "0",
        "dim-MIN_NUM_FORMS": "0",
        "dim-MAX_NUM_FORMS": "12",
    }
    data.update(extra)
    return data


def test_the_form_has_a_question_section(client, researcher):
    client.force_login(researcher)
    page = client.get(reverse("campaign-create")).content.decode()
    assert "<legend>Question</legend>" in page and 'name="dim-0-bands"' in page
    assert "Built-in list: home office offences" in page


def test_create_with_an_age_dimension_categories_and_a_group(client, researcher):
    client.force_login(researcher)
    weapons = io.BytesIO(b"Firearm,Gun,Handgun\nBlunt object,Bat\n")
    weapons.name = "weapons.csv"
    response = client.post(
        reverse("campaign-create"),
        base(
            **{
                "dim-0-name": "age",
                "dim-0-kind": "age",
                "dim-0-bands": "0-10, 11-15, 16-17",
                "dim-0-min": "0",
                "dim-0-max": "17",
                "dim-0-headline_ages": "10",
                "dim-1-name": "weapon",
                "dim-1-kind": "list",
                "dim-1-categories": "Knife | Blade | Bladed article\nAxe",
                "dim-1-categories_csv": weapons,
                "q-groups": "Sharp = weapon: Knife, Axe",
                "q-methodology": "Knife crime by age and weapon.",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    question = question_of(Campaign.objects.get(slug="knife"))
    assert [b.label for b in question.age_bands()] == ["0-10", "11-15", "16-17"]
    weapon = question.spec().dimensions["weapon"]
    assert weapon.match("bladed article") == "Knife" and weapon.match("Handgun") == "Firearm"
    assert question.groups_of("weapon") == {"Sharp": ("Knife", "Axe")}
    assert question.methodology == "Knife crime by age and weapon."
    assert question.constraints == ()


def test_a_bad_band_is_shown_on_its_field(client, researcher):
    client.force_login(researcher)
    response = client.post(
        reverse("campaign-create"),
        base(**{"dim-0-name": "age", "dim-0-kind": "age", "dim-0-bands": "0-x"}),
    )
    assert response.status_code == 400
    assert "is not an age band" in response.content.decode()
    assert not Campaign.objects.filter(slug="knife").exists()


def test_editing_the_question_later_warns_when_figures_exist_and_keeps_a_version(
    client, researcher
):
    campaign = CampaignFactory(periods=["2019-20"])
    answer(campaign, "kent", "2019-20", total=5)
    client.force_login(researcher)
    url = reverse("campaign-question", args=[campaign.slug])
    page = client.get(url).content.decode()
    assert "already has" in page and "figure" in page and 'value="platforms"' not in page
    assert Figure.objects.filter(campaign=campaign).exists()
    data = {
        "dim-TOTAL_FORMS": "3",
        "dim-INITIAL_FORMS": "0",
        "dim-MIN_NUM_FORMS": "0",
        "dim-MAX_NUM_FORMS": "12",
        "dim-0-name": "age",
        "dim-0-kind": "age",
        "dim-0-bands": "0-9, 10-17",
        "q-methodology": "Changed.",
        "reason": "new bands",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.schema_version == 2
    assert question_of(campaign).age_dimension().bands == ("0-9", "10-17")
    assert campaign.history.latest().history_change_reason == "new bands"


def _question_post(**extra) -> dict:
    data = {
        "dim-TOTAL_FORMS": "3",
        "dim-INITIAL_FORMS": "0",
        "dim-MIN_NUM_FORMS": "0",
        "dim-MAX_NUM_FORMS": "12",
        "dim-0-name": "age",
        "dim-0-kind": "age",
        "dim-0-bands": "0-10, 11-15, 16-17",
        "dim-0-max": "15",
        "dim-0-limit_reason": "the offence is against a child under 16",
        "q-methodology": "Knife crime by age.",
        "action": "preview_sample",
    }
    data.update(extra)
    return data


SAMPLE = b"Age of victim,2019/20\r\n0-10,4\r\n11-15,12\r\n16-17,3\r\nTotal,19\r\n"


def _sample(name="kent.csv", data=SAMPLE):
    upload = io.BytesIO(data)
    upload.name = name
    return upload


def test_a_sample_file_is_previewed_under_the_edited_question_and_nothing_is_saved(
    client, researcher
):
    campaign = CampaignFactory(periods=["2019-20"])
    client.force_login(researcher)
    url = reverse("campaign-question", args=[campaign.slug])
    before = (campaign.schema_version, Figure.objects.count())
    response = client.post(url, _question_post(sample=_sample()))
    assert response.status_code == 200
    page = response.content.decode()
    result = page[page.index('id="sample-result"') :]
    table = result[: result.index("</table>")]
    # the bands being edited, not the campaign's saved question, read the sample
    for band, value in (("0-10", 4), ("11-15", 12), ("16-17", 3)):
        assert f'<td>age</td><td>{band}</td>\n    <td class="num">{value}</td>' in table
    assert "4 figure(s) from the sample" in result
    # the edited question's age limit is checked as on a stored reply: an error on 16-17
    assert "1 error finding(s)" in result
    assert "kent.csv row 4, col 2" in result  # where the figure is, as for a reply
    campaign.refresh_from_db()
    assert (campaign.schema_version, Figure.objects.count()) == before
    assert question_of(campaign).age_dimension() is None or (
        question_of(campaign).age_dimension().bands != ("0-10", "11-15", "16-17")
    )
    # the edited question stays on the page, ready to be saved
    assert 'value="0-10, 11-15, 16-17"' in page


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (None, "Choose a sample reply file to preview."),
        (("empty.csv", b""), "could not read empty.csv: the file is empty"),
        (("notes.bin", b"\x00\x01\x02garbage"), "could not read notes.bin"),
    ],
)
def test_a_bad_sample_says_what_is_wrong(client, researcher, upload, words):
    campaign = CampaignFactory(periods=["2019-20"])
    client.force_login(researcher)
    url = reverse("campaign-question", args=[campaign.slug])
    extra = {"sample": _sample(*upload)} if upload else {}
    response = client.post(url, _question_post(**extra))
    assert response.status_code == 400
    assert words in response.content.decode()
    assert 'id="sample-result"' not in response.content.decode()


def test_a_sample_larger_than_uploads_may_be_is_refused(client, researcher, settings):
    settings.MAX_DOCUMENT_BYTES = 40
    campaign = CampaignFactory(periods=["2019-20"])
    client.force_login(researcher)
    url = reverse("campaign-question", args=[campaign.slug])
    response = client.post(url, _question_post(sample=_sample()))
    assert response.status_code == 400
    assert "could not read kent.csv: it is larger than the 40" in response.content.decode()
