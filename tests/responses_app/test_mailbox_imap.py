"""The IMAP poller against a real IMAP server on loopback (Debian's dovecot, see imap_server.py)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from foitracker.celery import app as celery_app
from responses_app.models import InboundMessage, Reply
from responses_app.services.mailboxes import MailboxError, parse_imap_url
from responses_app.tasks import poll_mailboxes

from . import inbound_support
from .imap_server import start_dovecot, stop_dovecot
from .inbound_support import (
    build,
    expected_figures,
    figures_of,
    mail,
    sent_request,
)

# The shared fixtures, bound by name (no conftest needed).
campaign = inbound_support.campaign
eager = inbound_support.eager
queued = inbound_support.queued

pytestmark = [pytest.mark.django_db, pytest.mark.needs_system("dovecot-imapd")]


@pytest.fixture(scope="module")
def dovecot_server(tmp_path_factory):
    server = start_dovecot(tmp_path_factory.mktemp("imap"))
    yield server
    stop_dovecot(server)


@pytest.fixture
def dovecot(dovecot_server):
    dovecot_server.empty()
    return dovecot_server


def fetch(capture) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("fetch_mail", stdout=out)
    return out.getvalue()


def test_replies_are_fetched_matched_read_and_moved_to_processed(
    campaign, dovecot, settings, eager, django_capture_on_commit_callbacks
):
    lincs = sent_request(campaign, "lincolnshire", token="lincsreply000001")
    kent = sent_request(campaign, "kent", token="kentreply00000001")
    settings.IMAP_URL = dovecot.url()
    stray = build(sender="someone@gmail.example", message_id="<stray-1@gmail.example>")
    dovecot.append(
        mail("multipart_alternative.eml"),
        mail("out_of_office.eml"),
        stray,
        mail("multipart_alternative.eml"),  # the same message delivered twice
    )
    output = fetch(django_capture_on_commit_callbacks)
    assert "4 fetched, 3 new (2 matched, 1 held), 1 duplicates" in output
    assert dovecot.folder("INBOX") == []
    assert len(dovecot.folder("Processed")) == 4
    assert figures_of(lincs) == expected_figures("lincolnshire")
    lincs.refresh_from_db()
    assert lincs.outcome == "full"
    assert InboundMessage.objects.get(request=kent).kind == "auto_reply"
    held = InboundMessage.objects.get(status="held")
    assert held.message_id == "stray-1@gmail.example" and held.source == "imap"
    assert "0 fetched" in fetch(django_capture_on_commit_callbacks)
    assert InboundMessage.objects.count() == 3


def test_without_a_processed_folder_messages_are_flagged_and_not_fetched_again(
    campaign, dovecot, settings, django_capture_on_commit_callbacks, queued
):
    sent_request(campaign, "kent", token="kentreply00000001")
    settings.IMAP_URL = dovecot.url()
    settings.IMAP_PROCESSED_FOLDER = ""
    dovecot.append(build(to="foi+kentreply00000001@foitracker.example"))
    assert "1 fetched, 1 new (1 matched" in fetch(django_capture_on_commit_callbacks)
    [(flags, raw)] = dovecot.folder("INBOX")
    assert b"\\Seen" in flags and b"$FoiProcessed" in flags
    assert "0 fetched" in fetch(django_capture_on_commit_callbacks)
    assert len(queued) == 1 and Reply.objects.get().status == "pending"


def test_a_message_too_large_to_keep_stays_in_the_mailbox_and_waits_in_the_pen(
    campaign, dovecot, settings, django_capture_on_commit_callbacks, queued
):
    sent_request(campaign, "kent", token="kentreply00000001")
    settings.IMAP_URL = dovecot.url()
    settings.INBOUND_MAX_MESSAGE_BYTES = 3000
    big = build(
        to="foi+kentreply00000001@foitracker.example",
        attachments=(("big.csv", b"a,1\n" * 2000, "text/csv"),),
    )
    dovecot.append(big)
    assert "1 held" in fetch(django_capture_on_commit_callbacks)
    [(flags, _)] = dovecot.folder("INBOX")
    assert b"$FoiProcessed" in flags
    message = InboundMessage.objects.get()
    assert (
        message.status == "held"
        and message.raw is None
        and "stays in the mailbox" in message.problem
    )
    assert "0 fetched" in fetch(django_capture_on_commit_callbacks)


def test_the_beat_task_polls_and_reports(
    campaign, dovecot, settings, django_capture_on_commit_callbacks, queued
):
    settings.IMAP_URL = dovecot.url()
    dovecot.append(build(sender="x@y.example"))
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        [summary] = poll_mailboxes.delay().get()
    finally:
        celery_app.conf.task_always_eager = before
    assert (summary["fetched"], summary["held"], summary["errors"]) == (1, 1, [])
    assert summary["source"] == f"imap://foi@127.0.0.1:{dovecot.port}/INBOX"


def test_the_poll_is_scheduled_every_five_minutes(db):
    task = PeriodicTask.objects.get(name="mail-poll")
    assert task.task == "responses_app.poll_mailboxes" and task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")
    stale = PeriodicTask.objects.get(name="stale-replies")
    assert stale.task == "responses_app.fail_stale_replies"
    names = set(celery_app.tasks)
    assert {
        "responses_app.poll_mailboxes",
        "responses_app.extract_document",
        "responses_app.fail_stale_replies",
    } <= names


@pytest.mark.parametrize(
    "url, message",
    [
        ("pop3://a:b@h/", "IMAP_URL must start imap://"),
        ("imap://h/INBOX", "IMAP_URL needs a user and a host"),
    ],
)
def test_bad_imap_urls_are_explained(url, message):
    with pytest.raises(MailboxError, match=message):
        parse_imap_url(url)


def test_imap_urls_give_host_port_folder_and_decoded_credentials():
    config = parse_imap_url("imaps://foi%40charity.example:p%40ss@mail.example/Replies%20In")
    assert (config.user, config.password, config.host, config.port, config.folder) == (
        "foi@charity.example", "p@ss", "mail.example", 993, "Replies In",
    )  # fmt: skip


# Last in the module: after a failed login dovecot slows the next logins from the same address.
def test_a_wrong_password_is_one_clear_error_without_the_password(dovecot, settings, db):
    settings.IMAP_URL = dovecot.url(password="wrong-password")
    with pytest.raises(CommandError) as error:
        call_command("fetch_mail", stdout=StringIO())
    text = str(error.value)
    assert f"cannot open imap://foi@127.0.0.1:{dovecot.port}/INBOX" in text
    assert "AUTHENTICATIONFAILED" in text and "wrong-password" not in text
