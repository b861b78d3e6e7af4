"""Replies' files and mapping pages follow the campaign's team, like every other page."""

import pytest
from django.urls import reverse

from tests.factories import (
    CampaignFactory,
    CampaignRequestFactory,
    DocumentFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_team_document():
    campaign = CampaignFactory(team=TeamFactory(slug="elsewhere", name="Elsewhere"))
    return DocumentFactory(request=CampaignRequestFactory(campaign=campaign))


@pytest.fixture
def outsider():
    user = UserFactory(username="outsider")
    MembershipFactory(user=user, team=TeamFactory(slug="mine", name="Mine"), role="coordinator")
    return user


def test_a_user_of_another_team_cannot_download_or_upload(client, outsider, other_team_document):
    client.force_login(outsider)
    assert (
        client.get(reverse("document-download", args=[other_team_document.pk])).status_code == 404
    )
    foi = other_team_document.request
    response = client.post(reverse("reply-upload", args=[foi.pk]), {"text": "a reply"})
    assert response.status_code == 404
    assert foi.documents.count() == 1


def test_a_member_of_the_owning_team_can_download(client, other_team_document):
    member = UserFactory(username="member")
    MembershipFactory(user=member, team=other_team_document.request.campaign.team, role="viewer")
    client.force_login(member)
    response = client.get(reverse("document-download", args=[other_team_document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")


def test_the_grid_of_another_team_is_not_found(client, outsider, other_team_document):
    client.force_login(outsider)
    url = reverse("enter-figures", args=[other_team_document.request.pk])
    assert client.get(url).status_code == 404
