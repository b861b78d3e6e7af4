"""How the reading of a reply file stands, for the replies box and its JSON.

The counts come from ``selectors.inbound.with_counts`` (in the reply's own query).

The readers read a file in one call, so there is no fraction to report: a
reply is waiting to be read (since its upload), being read (since the worker
started, ``reading_started_at``), read (N figures, M findings) or failed (why).
"""

from datetime import datetime

from django.utils import timezone

from requests_app.domain.progress import elapsed_text, plural
from responses_app.models import Reply

WAITING, EXTRACTED = Reply.Status.PENDING, Reply.Status.EXTRACTED


def reading_message(reply: Reply) -> str:
    """One sentence: "Reading…", "Read: extracted 12 figures.", "Failed: why"."""
    if reply.status == WAITING:
        return "Reading…" if getattr(reply, "reading_started_at", None) else "Waiting to be read."
    if reply.status == EXTRACTED:
        figures = getattr(reply, "figure_count", 0)
        findings = getattr(reply, "finding_count", 0)
        text = f"Read: extracted {plural(figures, 'figure')}"
        return f"{text}, {plural(findings, 'finding')} to check." if findings else f"{text}."
    return f"Failed: {reply.error or 'the file could not be read.'}"


def reading_elapsed(reply: Reply, *, now: datetime | None = None) -> str:
    """Since when a pending reply waits or is read (kept apart from the message read out)."""
    if reply.status != WAITING:
        return ""
    now = now or timezone.now()
    started = getattr(reply, "reading_started_at", None)
    if started:
        return f"Started {elapsed_text((now - started).total_seconds())} ago."
    return f"Uploaded {elapsed_text((now - reply.created_at).total_seconds())} ago."


def reading_progress(reply: Reply, *, now: datetime | None = None) -> dict:
    return {
        "id": reply.pk,
        "state": reply.status,
        "label": reply.get_status_display(),
        "done": reply.status != WAITING,
        "message": reading_message(reply),
        "elapsed": reading_elapsed(reply, now=now),
        "figure_count": getattr(reply, "figure_count", 0),
        "finding_count": getattr(reply, "finding_count", 0),
        "error": reply.error,
    }
