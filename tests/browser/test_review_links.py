"""Every link the review queue renders opens, in a real browser, for the researcher who uses it."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_every_link_on_the_review_queue_opens(login):
    from responses_app.services.demo import load_demo

    load_demo()
    page = login("researcher")
    page.goto(reverse("review-queue"))
    hrefs = page.eval_on_selector_all(
        "main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    links = sorted({h for h in hrefs if h.startswith(("/", "?"))})
    figures = [h for h in links if h.startswith("/review/figures/")]
    assert len(figures) >= 40, links  # the demo's waiting figures, a page of them
    failed = []
    for href in links:
        url = reverse("review-queue") + href if href.startswith("?") else href
        response = page.goto(url)
        if response is None or response.status != 200:
            failed.append((href, response and response.status))
    assert failed == []
