"""The upload box in a real browser (Chromium): drop files, watch the progress, see the reply.

The script (static/js/upload.js) is exercised as a person would use it: files
dropped on the zone (a real ``drop`` event carrying a DataTransfer), the form
sent by XMLHttpRequest with upload progress, the page reloaded with the
result. The same form without the script is covered in test_uploads.py.

Chromium runs on a thread of its own: Playwright's sync API keeps one event
loop per thread, and the browser tests under tests/browser hold the main one.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import sync_playwright

from foitracker.celery import app as celery_app
from requests_app.models import Force
from requests_app.services.campaigns import create_campaign
from responses_app.models import Document, Reply

from .inbound_support import FORCES, ensure_forces, sample, sent_request

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
CHROMIUM = "/usr/bin/chromium"
DROP = """(csv) => {
    const data = new DataTransfer();
    data.items.add(new File([csv], "kent.csv", {type: "text/csv"}));
    data.items.add(new File(["Thank you."], "notes.txt", {type: "text/plain"}));
    const zone = document.querySelector("[data-dropzone]");
    zone.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true}));
    const status = document.querySelector("[data-status]");
    const bar = document.querySelector("[data-progress]");
    sessionStorage.setItem("seen", "[]");
    new MutationObserver(() => {
        const seen = JSON.parse(sessionStorage.getItem("seen"));
        seen.push([status.textContent, bar.hidden, bar.value]);
        sessionStorage.setItem("seen", JSON.stringify(seen));
    }).observe(status, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def kent(transactional_db):
    """Kent's request, sent; the forces register reloaded (an earlier flush may remove it)."""
    ensure_forces()
    campaign = create_campaign(
        slug="samples",
        title="Sexual communication with a child",
        periods=["2019-20", "2020-21"],
        forces=Force.objects.filter(pk__in=FORCES),
    )
    return sent_request(campaign, "kent", token="kentreply00000001")


@pytest.fixture
def browse(live_server, researcher, client):
    """browse(steps) runs ``steps(page)`` in Chromium, logged in as the researcher."""
    client.force_login(researcher)
    cookie = client.cookies["sessionid"].value
    host = live_server.url.split("//")[1].split(":")[0]

    def run(steps):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            try:
                context = browser.new_context(base_url=live_server.url)
                context.set_default_timeout(15_000)
                context.add_cookies(
                    [{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}]
                )
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                return steps(page), errors
            finally:
                browser.close()

    def browse_(steps):
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(run, steps).result(timeout=120)

    return browse_


def test_dropped_files_upload_with_progress_and_are_read(kent, browse):
    csv = sample("kent.csv").decode("utf-8-sig")

    def steps(page):
        page.goto(f"/requests/{kent.pk}/")
        page.evaluate(DROP, csv)
        listed = page.inner_text("[data-file-list]").splitlines()
        page.click("form[data-upload] button[type=submit]")
        page.wait_for_selector(".messages")
        seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
        return listed, page.inner_text(".messages"), seen, page.inner_text("section.replies")

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        (listed, message, seen, replies), errors = browse(steps)
    finally:
        celery_app.conf.task_always_eager = before
    assert listed == ["kent.csv (1 KB)", "notes.txt (10 bytes)"]
    assert "2 files uploaded and queued for reading." in message
    progress = [value for text, hidden, value in seen if text.startswith("Uploading… ")]
    assert progress and progress[-1] == 100 and not seen[0][1]  # the bar shown, filled up
    assert seen[-1][0] == "2 files uploaded and queued for reading."
    assert errors == []
    assert set(Document.objects.values_list("name", flat=True)) == {"kent.csv", "notes.txt"}
    assert Reply.objects.get(document__name="kent.csv").status == "extracted"
    assert "figures · outcome full" in replies


def test_an_error_is_shown_in_place_without_leaving_the_page(kent, browse):
    def steps(page):
        page.goto(f"/requests/{kent.pk}/")
        page.click("form[data-upload] button[type=submit]")
        status = page.wait_for_selector("[data-status].error")
        return status.inner_text(), page.url

    (text, url), errors = browse(steps)
    assert text == "Choose one or more files, or paste an email or some text."
    assert url.endswith(f"/requests/{kent.pk}/") and errors == []
    assert not Document.objects.exists()
