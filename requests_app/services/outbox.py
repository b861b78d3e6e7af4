"""The outbox: every email FOI Tracker sends, recorded before it is sent. One engine.

Campaign sends (``services/sending.py``) and chasers, reminders and digests
(``services/delivery.py``) go through the same steps, written once here:

1. **Claim.** A row (``OutboundMessage``) is inserted before anything is sent,
   under the outbox's unique constraints: one row per (request, kind, stage),
   or per (user, kind, stage) for reminders and digests. However many sweeps,
   runs or workers try, only one row exists.
2. **Take** (``take``). One conditional UPDATE moves the row from ``pending``
   to ``sending``, stamps ``claimed_at`` and counts the attempt; only the
   caller whose UPDATE changed the row sends it. A second task, a retry after
   success or a second worker finds nothing to take.
3. **Send** (``email_for``). One builder: the row's subject, body, addresses,
   its Message-ID, and In-Reply-To/References when it answers a thread.
4. **Mark sent**, in the transaction that records it on the request's timeline;
   or **give back** (``give_back``) when the server did not take it: back to
   ``pending`` for the next attempt, or ``failed`` once the kind's attempts are
   spent or the server refused the recipient.

What a claim left ``sending`` by a process that died means depends on the
kind, and that is the one difference, stated in ``POLICIES``: an SMTP server
cannot be asked afterwards whether it took a message.

- **A campaign's request** is sent **at most once**: a duplicate FOI request
  is worse than a late one (the force may treat it as a repeat, s.14). A row
  left ``sending`` longer than ``SEND_STALE_AFTER_MINUTES`` is never taken
  again by a machine: it becomes ``failed`` with ``NEEDS_ATTENTION`` and a
  person confirms it went or releases it (the send page).
- **Chasers, reminders and digests** are sent **at least once**: a row left
  ``sending`` longer than its lease (10 minutes) is taken again, with the same
  Message-ID, so in the one case a server could see it twice (a worker killed
  after the server accepted the message and before the row was marked sent)
  the recipient's mail system sees one message twice, not two messages.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, make_msgid
from django.db.models import F, Q

from requests_app.models import OutboundMessage

Kind, Status = OutboundMessage.Kind, OutboundMessage.Status


@dataclass(frozen=True)
class Policy:
    """How one kind of message is retried."""

    #: Attempts before a row is ``failed`` and left for a person.
    max_attempts: int
    #: How long a ``sending`` claim is honoured before the row may be taken again;
    #: None: never again by a machine (at most once: it needs a person's attention).
    lease: timedelta | None


#: A chaser, reminder or digest whose worker died is taken again after this lease.
LEASE = timedelta(minutes=10)
POLICIES = {
    Kind.REQUEST: Policy(max_attempts=3, lease=None),
    Kind.CHASER: Policy(max_attempts=6, lease=LEASE),
    Kind.REMINDER: Policy(max_attempts=6, lease=LEASE),
    Kind.DIGEST: Policy(max_attempts=6, lease=LEASE),
}


def stale_after() -> timedelta:
    """How long before an at-most-once row left ``sending`` needs a person's attention."""
    return timedelta(minutes=getattr(settings, "SEND_STALE_AFTER_MINUTES", 15))


def new_message_id(kind: str = "") -> str:
    """A fresh Message-ID under REPLY_DOMAIN (so replies and bounces come back to us)."""
    return make_msgid(idstring=kind or None, domain=settings.REPLY_DOMAIN)


def claim_rows(rows: list[OutboundMessage]) -> dict[str, int]:
    """Insert rows, skipping any whose (request or user, kind, stage) already exists.

    Returns {message_id: id} of the rows this call inserted: the Message-IDs
    are new, so a row found under one of them is ours, and a conflict means
    another sweep (or an earlier run) claimed that stage first.
    """
    if not rows:
        return {}
    OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    ids = [r.message_id for r in rows]
    return dict(OutboundMessage.objects.filter(message_id__in=ids).values_list("message_id", "pk"))


def takeable(policy: Policy, now) -> Q:
    """Rows a sender may take now: pending ones, and (with a lease) claims that ran out."""
    q = Q(status=Status.PENDING)
    if policy.lease is not None:
        q |= Q(status=Status.SENDING, claimed_at__lt=now - policy.lease)
    return q


def take(outbound_id: int, kind: str, now) -> bool:
    """Move the row to ``sending`` for this caller (one conditional UPDATE); True if it did."""
    taken = (
        OutboundMessage.objects.filter(takeable(POLICIES[kind], now), pk=outbound_id)
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )  # fmt: skip
    return taken == 1


def email_for(row: OutboundMessage, connection=None) -> EmailMessage:
    """The one email builder: the row as stored, threaded when it answers a message."""
    headers = {"Message-ID": row.message_id}
    if row.in_reply_to:
        headers["In-Reply-To"] = row.in_reply_to
    if row.references:
        headers["References"] = row.references
    return EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=row.from_address,
        to=[row.to_address],
        reply_to=[row.reply_to] if row.reply_to else None,
        headers=headers,
        connection=connection,
    )


def give_back(row: OutboundMessage, error: Exception, *, final: bool = False) -> str:
    """The server did not take it: ``pending`` for another attempt, or ``failed``; the status.

    ``final``: no attempt can succeed (the server refused the recipient).
    Only a row still ``sending`` under this caller's claim is changed.
    """
    spent = final or row.attempts >= POLICIES[row.kind].max_attempts
    status = Status.FAILED if spent else Status.PENDING
    mine = OutboundMessage.objects.filter(
        pk=row.pk, status=Status.SENDING, claimed_at=row.claimed_at
    )
    mine.update(
        status=status,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        claimed_at=None,
    )
    return status
