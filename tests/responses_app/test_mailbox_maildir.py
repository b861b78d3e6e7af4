"""The Maildir reader (a mail server that delivers locally) and fetch_mail's other sources."""

import mailbox
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from responses_app.models import InboundMessage

from . import inbound_support
from .inbound_support import (
    MAIL,
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

pytestmark = pytest.mark.django_db


@pytest.fixture
def maildir(tmp_path):
    return mailbox.Maildir(tmp_path / "Maildir", create=True)


def fetch(capture, *args) -> str:
    out = StringIO()
    with capture(execute=True):
        call_command("fetch_mail", *args, stdout=out)
    return out.getvalue()


def test_the_maildir_is_read_and_processed_mail_moved_aside(
    campaign, maildir, eager, django_capture_on_commit_callbacks
):
    dorset = sent_request(campaign, "dorset", token="dorsetreply00001")
    maildir.add(mail("forwarded_reply.eml"))
    maildir.add(mail("bounce.eml"))
    output = fetch(django_capture_on_commit_callbacks, "--maildir", maildir._path)
    assert "2 fetched, 2 new (1 matched, 1 held), 0 duplicates" in output
    assert len(maildir) == 0
    processed = maildir.get_folder("Processed")
    assert len(processed) == 2
    assert sorted(m["Message-ID"] for m in processed) == [
        "<20190315100211.6F1E21A0042@mx.foitracker.example>", "<fwd-7731@charity.example>",
    ]  # fmt: skip
    assert figures_of(dorset) == expected_figures("dorset")
    assert InboundMessage.objects.get(status="held").kind == "bounce"
    assert "0 fetched" in fetch(django_capture_on_commit_callbacks, "--maildir", maildir._path)


def test_the_configured_maildir_can_flag_instead_of_moving(
    campaign, maildir, settings, queued, django_capture_on_commit_callbacks
):
    settings.MAILDIR_PATH = maildir._path
    settings.MAILDIR_PROCESSED_FOLDER = ""
    maildir.add(build(sender="a@b.example"))
    assert "1 fetched" in fetch(django_capture_on_commit_callbacks)
    [message] = list(maildir)
    assert "S" in message.get_flags() and message.get_subdir() == "cur"
    assert "0 fetched" in fetch(django_capture_on_commit_callbacks)
    assert InboundMessage.objects.count() == 1


def test_eml_files_are_received_and_reported(campaign, queued, django_capture_on_commit_callbacks):
    sent_request(campaign, "kent", token="kentreply00000001")
    paths = [str(MAIL / "out_of_office.eml"), str(MAIL / "hostile_html.eml")]
    output = fetch(django_capture_on_commit_callbacks, "--eml", *paths)
    assert output.splitlines() == [
        "out_of_office.eml: automatic reply (out of office), matched to samples/kent "
        "(reply address in To)",
        "hostile_html.eml: reply, held in the holding pen",
    ]
    again = fetch(django_capture_on_commit_callbacks, "--eml", paths[0])
    assert (
        again.strip()
        == "out_of_office.eml: automatic reply (out of office), duplicate (already received)"
    )


def test_nothing_configured_or_a_missing_maildir_is_a_clear_error(tmp_path, db, settings):
    settings.IMAP_URL = settings.MAILDIR_PATH = ""
    with pytest.raises(
        CommandError, match="No mailbox is configured: set IMAP_URL or MAILDIR_PATH"
    ):
        call_command("fetch_mail")
    with pytest.raises(CommandError, match=f"cannot open the Maildir {tmp_path}/nowhere"):
        call_command("fetch_mail", "--maildir", str(tmp_path / "nowhere"))
    with pytest.raises(CommandError, match="cannot read .*missing.eml"):
        call_command("fetch_mail", "--eml", str(tmp_path / "missing.eml"))
