"""Publishing a release in the background: the job, its page, its JSON, and the task."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from responses_app.models import Figure, Release, ReleaseJob
from responses_app.services.release_jobs import build_release as build
from responses_app.services.release_jobs import request_release
from responses_app.services.releases import ReleaseError
from responses_app.tasks import build_release
from tests.factories import CampaignFactory
from tests.requests_app.permissions_support import build_world
from tests.responses_app.builders import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    c = CampaignFactory(slug="csc-2019", series="csc", periods=["2017-18"])
    answer(c, "kent", "2017-18", total=3000)
    answer(c, "durham", "2017-18", total=217)
    return c


@pytest.fixture
def coord(client, coordinator):
    client.force_login(coordinator)
    return client


def post(client, slug="csc-2019", methodology="Counted once."):
    return client.post(reverse("release-create", args=[slug]), {"methodology": methodology})


def status(client, job):
    return client.get(reverse("release-job-status", args=[job.pk])).json()


def test_publishing_queues_a_job_and_the_page_says_building(
    coord, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        response = post(coord)
    job = ReleaseJob.objects.get()
    assert response["Location"] == reverse("release-job", args=[job.pk])
    assert len(queued) == 1 and not Release.objects.exists()
    assert (job.campaign, job.methodology, job.status) == (campaign, "Counted once.", "queued")
    page = coord.get(response["Location"]).content.decode()
    assert "data-progress-text>Waiting for a worker to build the release.<" in page
    assert 'data-progress-field="elapsed">Asked for ' in page
    assert f'data-progress-url="{reverse("release-job-status", args=[job.pk])}"' in page
    assert 'role="status" aria-live="polite"' in page and "<progress" in page
    assert '<script src="/static/js/progress.js" defer></script>' in page
    assert "<script>" not in page
    assert "refresh it</a>" in page
    data = status(coord, job)
    assert {k: data[k] for k in ("state", "done", "release", "redirect", "error")} == {
        "state": "queued",
        "done": False,
        "release": None,
        "redirect": None,
        "error": "",
    }


def test_the_worker_builds_it_and_the_page_goes_to_the_release(coord, campaign):
    job = request_release(campaign=campaign, methodology="Counted once.")
    started = timezone.now() - timedelta(seconds=75)
    ReleaseJob.objects.filter(pk=job.pk).update(status="running", started_at=started)
    data = status(coord, job)
    assert (data["message"], data["elapsed"]) == ("Building the release…", "Started 1 minute ago.")
    result = build_release(job.pk)
    release = Release.objects.get()
    assert result == {"job": job.pk, "status": "done", "release": release.pk, "error": ""}
    data = status(coord, job)
    assert data["done"] is True and data["state"] == "done" and data["release"] == release.pk
    assert data["message"] == "Release 1 of csc-2019 published with 2 figures."
    assert data["redirect"] == reverse("release-job", args=[job.pk])
    response = coord.get(data["redirect"], follow=True)
    assert response.redirect_chain == [(reverse("release-detail", args=[release.pk]), 302)]
    assert "Release 1 of csc-2019 published with 2 figures." in response.content.decode()
    assert release.methodology == "Counted once."


def test_building_twice_makes_one_release(campaign):
    job = request_release(campaign=campaign)
    build(job_id=job.pk)
    again = build(job_id=job.pk)
    assert Release.objects.count() == 1 and again.release == Release.objects.get()
    assert build(job_id=10**9) is None  # gone: nothing to do


def test_a_release_error_at_build_time_is_a_clear_message(coord, campaign):
    job = request_release(campaign=campaign)
    Figure.objects.update(status=Figure.Status.NEEDS_REVIEW)  # unapproved meanwhile
    build_release(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.error == "Nothing to release: the campaign csc-2019 has no approved figures."
    data = status(coord, job)
    assert data["done"] is True and data["state"] == "failed" and data["redirect"] is None
    assert data["message"] == f"No release was published: {job.error}"
    page = coord.get(reverse("release-job", args=[job.pk])).content.decode()
    assert f"No release was published: {job.error}" in page
    assert reverse("dataset-campaign", args=["csc-2019"]) in page
    assert "js/progress.js" not in page  # nothing left to follow
    assert not Release.objects.exists()


def test_an_unexpected_error_fails_the_job_instead_of_building_for_ever(campaign, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("responses_app.services.release_jobs.create_release", broken)
    job = request_release(campaign=campaign)
    build(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "The release could not be built: RuntimeError: disk full"


def test_nothing_to_release_is_said_at_once_without_a_job(coord):
    CampaignFactory(slug="empty")
    response = post(coord, slug="empty")
    assert response["Location"] == reverse("dataset-campaign", args=["empty"])
    assert not ReleaseJob.objects.exists()
    with pytest.raises(ReleaseError):
        request_release(series="no-such-series")


def test_a_series_release_is_built_too(coord, campaign):
    build(job_id=request_release(campaign=campaign).pk)
    response = coord.post(reverse("series-release-create", args=["csc"]), {"methodology": ""})
    job = ReleaseJob.objects.get(series="csc")
    assert response["Location"] == reverse("release-job", args=[job.pk])
    assert job.scope == "series csc"
    build_release(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.release.series == "csc"


def test_with_eager_celery_the_demo_goes_straight_through(
    coord, campaign, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(coord)
    release = Release.objects.get()
    final = coord.get(response["Location"])
    assert final["Location"] == reverse("release-detail", args=[release.pk])


def test_who_may_follow_a_job(client):
    world = build_world()
    answer(world.mine, "kent", "2019-20", total=5)
    job = request_release(campaign=world.mine)
    urls = [reverse("release-job", args=[job.pk]), reverse("release-job-status", args=[job.pk])]
    for user, code in [
        (world.a_coordinator, 200),
        (world.a_researcher, 403),
        (world.a_viewer, 403),
        (world.b_researcher, 404),
        (world.outsider, 404),
    ]:
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [code, code], user
    client.force_login(world.a_coordinator)
    assert client.get(reverse("release-job", args=[job.pk + 1])).status_code == 404


def test_polling_costs_a_fixed_number_of_queries(coord, campaign, django_assert_num_queries):
    job = request_release(campaign=campaign)
    status(coord, job)  # warm up
    # session, user, the job with its campaign and release, memberships
    with django_assert_num_queries(4):
        status(coord, job)
    build(job_id=job.pk)
    with django_assert_num_queries(4):
        assert status(coord, job)["done"] is True


def test_publishing_with_forces_missing_says_how_complete_and_asks_for_confirmation(
    coord, campaign, django_capture_on_commit_callbacks, eager_celery
):
    from datetime import date

    from requests_app.models import Force
    from tests.factories import CampaignRequestFactory

    essex = Force.objects.get(pk="essex")
    CampaignRequestFactory(
        campaign=campaign,
        force=essex,
        status="awaiting",
        outcome="",
        responded_on=None,
        due_on=date(2999, 1, 1),
    )
    page = coord.get(reverse("dataset-campaign", args=["csc-2019"])).content.decode()
    assert "How complete it is:</strong> 2 of 3 forces contributed figures; 1 not yet due" in page
    response = coord.post(reverse("release-create", args=["csc-2019"]), {"methodology": "x"})
    assert not ReleaseJob.objects.exists()
    shown = coord.get(response["Location"]).content.decode()
    assert "Not published: 2 of 3 forces contributed figures; 1 not yet due." in shown
    with django_capture_on_commit_callbacks(execute=True):
        coord.post(
            reverse("release-create", args=["csc-2019"]),
            {"methodology": "x", "confirm_incomplete": "on"},
        )
    release = Release.objects.get()
    assert release.coverage["counts"]["not_yet_due"] == 1
    assert release.coverage["counts"]["asked"] == 3
