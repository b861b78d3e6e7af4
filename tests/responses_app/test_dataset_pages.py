"""The dataset pages: headlines, charts from JSON, per-force table, downloads, releases."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from responses_app.models import Figure, Release, ReleaseJob
from responses_app.services.releases import create_release
from responses_app.services.review import correct_figure
from responses_app.tasks import build_release
from tests.factories import CampaignFactory, UserFactory
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2019", title="Sexual communication 2019", series="csc",
                        periods=["2017-18", "2018-19"])  # fmt: skip
    answer(c, "kent", "2017-18", total=3000, platform={"Instagram": 1000, "Not recorded": 2000})
    answer(c, "durham", "2017-18", total=217, age={"12-13": 17, "14-15": 200})
    answer(c, "kent", "2018-19", total=4000, platform={"Instagram": 1500, "Kik": (0, 4)})
    answer(c, "durham", "2018-19", total=373)
    return c


@pytest.fixture
def client_in(client, researcher):
    client.force_login(researcher)
    return client


def test_the_dataset_page_has_headlines_tables_and_chart_data(client_in, campaign):
    page = client_in.get(reverse("dataset-campaign", args=["csc-2019"])).content.decode()
    assert "4,373 offences in 2018-19, up 36% on 2017-18 (3,217); 2 of 2 forces answered" in page
    data = json.loads(re.search(r'<script id="chart-data" type="application/json">(.*?)</script>',
                                page, re.S).group(1))  # fmt: skip
    assert [p["label"] for p in data["trend"]["items"]] == ["2017-18", "2018-19"]
    assert {"trend", "platform", "age", "coverage"} <= set(data)
    kik = next(b for b in data["platform"]["items"] if b["label"] == "Kik")
    assert kik["low"] < kik["high"]  # suppressed: a range
    assert "Show as a table" in page  # each chart has a table alternative
    assert "Kent Police" in page and "Meta-owned apps" in page


def test_no_inline_script_and_no_cdn(client_in, campaign):
    page = client_in.get(reverse("dataset-campaign", args=["csc-2019"])).content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    for attrs in scripts:
        assert 'type="application/json"' in attrs or "src=" in attrs, attrs
    assert "/static/js/charts.js" in page
    assert not re.search(r'src="(https?:)?//', page)
    assert (Path(settings.BASE_DIR) / "static/js/charts.js").exists()


def test_the_page_costs_a_fixed_number_of_queries(
    client_in, campaign, django_assert_max_num_queries
):
    for force_id in ["essex", "surrey", "gwent"]:
        answer(campaign, force_id, "2018-19", total=10, platform={"Kik": 10}, age={"12": 10})
    with django_assert_max_num_queries(14):
        assert client_in.get(reverse("dataset-campaign", args=["csc-2019"])).status_code == 200


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [("csv", "text/csv"), ("xlsx", "spreadsheetml"), ("json", "json"), ("datapackage", "zip")],
)
def test_downloads(client_in, campaign, fmt, kind):
    response = client_in.get(reverse("dataset-export", args=["csc-2019", fmt]))
    assert response.status_code == 200
    assert kind in response["Content-Type"]
    assert response["Content-Disposition"].startswith('attachment; filename="csc-2019')


def test_unknown_downloads_are_404(client_in, campaign):
    assert client_in.get(reverse("dataset-export", args=["csc-2019", "pdf"])).status_code == 404
    url = reverse("dataset-export", args=["csc-2019", "csv"])
    assert client_in.get(url, {"release": "9"}).status_code == 404
    assert client_in.get(url, {"release": "x"}).status_code == 404


def publish(client, slug, methodology, capture):
    """Post the form; the release is built by the task queued on commit (run here)."""
    with capture() as queued:
        response = client.post(reverse("release-create", args=[slug]), {"methodology": methodology})
    job = ReleaseJob.objects.latest("pk")
    assert response["Location"] == reverse("release-job", args=[job.pk])
    assert len(queued) == 1 and not Release.objects.filter(methodology=methodology).exists()
    build_release(job.pk)
    return client.get(response["Location"])


def test_publish_a_release_and_read_its_diff(
    client, coordinator, campaign, researcher, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    client_in = client
    response = publish(client_in, "csc-2019", "Counted once.", django_capture_on_commit_callbacks)
    first = Release.objects.get()
    assert response["Location"] == reverse("release-detail", args=[first.pk])
    page = client_in.get(response["Location"]).content.decode()
    assert "This is the first release." in page and "Counted once." in page
    kent = Figure.objects.get(force_id="kent", period="2017-18", dimension="total")
    correct_figure(figure=kent, user=researcher, value=3511, reason="Revised by Kent")
    publish(client_in, "csc-2019", "Revised.", django_capture_on_commit_callbacks)
    second = Release.objects.get(number=2)
    page = client_in.get(reverse("release-detail", args=[second.pk])).content.decode()
    assert "Changes since" in page
    assert re.search(r"3,000</td>\s*<td class=\"num\">3,511", page)
    assert "3,728 offences in 2017-18" in page


def test_a_release_with_nothing_approved_says_so(client, coordinator):
    client.force_login(coordinator)
    client_in = client
    CampaignFactory(slug="empty")
    response = client_in.post(reverse("release-create", args=["empty"]), follow=True)
    assert "no approved figures" in response.content.decode()
    assert not Release.objects.exists()


def test_the_series_page_and_download(client_in, campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    page = client_in.get(reverse("dataset-series", args=["csc"])).content.decode()
    assert "4,373 offences in 2018-19" in page
    response = client_in.get(reverse("dataset-series-export", args=["csc", "csv"]))
    assert response.status_code == 200
    assert b"csc-2019,kent" in response.content
    assert client_in.get(reverse("dataset-series", args=["nope"])).status_code == 404


def test_the_index_lists_campaigns_and_series(client_in, campaign):
    page = client_in.get(reverse("dataset-index")).content.decode()
    assert "Sexual communication 2019" in page
    assert reverse("dataset-series", args=["csc"]) in page


def test_the_series_shows_earlier_published_values_where_revised(client_in, campaign, researcher):
    create_release(campaign=campaign, user=researcher)
    later = CampaignFactory(slug="csc-2025", series="csc", periods=["2017-18"])
    answer(later, "kent", "2017-18", total=3511)
    create_release(campaign=later, user=researcher)
    page = client_in.get(reverse("dataset-series", args=["csc"])).content.decode()
    assert re.search(
        r"<td>Kent Police</td><td>2017-18</td><td>total: all</td><td class=\"num\">3511</td>"
        r"<td>release 1 of csc-2025</td><td class=\"num\">3000</td><td>release 1 of csc-2019",
        page,
    )
    assert "3,728 offences in 2017-18" in page
    response = client_in.get(reverse("dataset-series-export", args=["csc", "json"]))
    [kent] = [
        f for f in json.loads(response.content)["figures"]
        if f["force_id"] == "kent" and f["period"] == "2017-18" and f["dimension"] == "total"
    ]  # fmt: skip
    assert (kent["value"], kent["earlier_value"], kent["earlier_campaign"]) == (
        3511,
        3000,
        "csc-2019",
    )


def test_who_may_do_what(client, campaign, researcher, viewer):
    page = reverse("dataset-campaign", args=["csc-2019"])
    publish = reverse("release-create", args=["csc-2019"])
    client.force_login(viewer)
    assert client.get(page).status_code == 200
    assert "Publish release" not in client.get(page).content.decode()
    assert client.get(reverse("dataset-export", args=["csc-2019", "csv"])).status_code == 200
    assert client.post(publish).status_code == 403
    assert client.get(reverse("review-queue")).content.decode().count('class="rank-') == 0
    figure = Figure.objects.first()
    assert client.post(reverse("review-approve", args=[figure.pk])).status_code == 403
    client.force_login(researcher)
    assert client.post(publish).status_code == 403
    assert not Release.objects.exists()
    client.force_login(UserFactory(username="outsider"))
    assert client.get(page).status_code == 404
    assert client.get(reverse("dataset-series", args=["csc"])).status_code == 404
    assert client.get(reverse("dataset-export", args=["csc-2019", "csv"])).status_code == 404
    assert "Sexual communication 2019" not in client.get(reverse("dataset-index")).content.decode()
