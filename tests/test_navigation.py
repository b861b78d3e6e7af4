"""Every main page says where it is (breadcrumbs from Today), and long lists come in pages."""

import re

import pytest
from django.urls import reverse

from requests_app.models import Force
from tests.factories import CampaignRequestFactory, ReleaseFactory
from tests.requests_app.permissions_support import build_world

pytestmark = pytest.mark.django_db

BREADCRUMBS = re.compile(
    r'<nav aria-label="Breadcrumb" class="breadcrumbs"><ol>(.*?)</ol></nav>', re.S
)


def test_the_main_pages_have_breadcrumbs_from_today(client, admin_user):
    world = build_world()
    release = ReleaseFactory(campaign=world.mine, number=1)
    pages = {
        "campaign board": reverse("campaign-board", args=[world.mine.slug]),
        "request": reverse("request-detail", args=[world.mine_request.pk]),
        "force": reverse("force-detail", args=["kent"]),
        "review queue": reverse("review-queue"),
        "dataset": reverse("dataset-campaign", args=[world.mine.slug]),
        "release": reverse("release-detail", args=[release.pk]),
        "holding pen": reverse("holding-pen"),
        "overdue board": reverse("overdue-board"),
        "league table": reverse("overdue-league"),
        "search": reverse("search") + "?q=kent",
        "requests": reverse("request-list"),
        "campaigns": reverse("campaign-list"),
        "forces": reverse("force-list"),
        "dataset index": reverse("dataset-index"),
    }
    client.force_login(admin_user)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found = BREADCRUMBS.search(response.content.decode())
        assert found, f"the {name} page has no breadcrumbs"
        trail = found.group(1)
        assert trail.startswith(f'<li><a href="{reverse("home")}">Today</a></li>'), (name, trail)
        assert trail.count('aria-current="page"') == 1, (name, trail)
        assert trail.endswith("</li>") and 'aria-current="page"' in trail.rsplit("<li", 1)[1]


def test_a_forces_requests_come_in_pages(client, admin_user):
    kent = Force.objects.get(pk="kent")
    for n in range(55):
        CampaignRequestFactory(force=kent, reference=f"paged/{n:02d}")
    client.force_login(admin_user)
    first = client.get(reverse("force-detail", args=["kent"]))
    assert len(first.context["page"].object_list) == 50
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(reverse("force-detail", args=["kent"]), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(reverse("force-detail", args=["kent"]), {"page": "x"}).status_code == 200
