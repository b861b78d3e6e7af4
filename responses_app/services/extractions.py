"""One way in for every reply file, and one way to store what was read from it.

``read_file`` is how the worker, ``ingest``, saved layouts and the mapping
screen read a file: the settings' limits (bytes, unpacked bytes, sheets, rows,
pages) and ``READ_TIME_LIMIT_SECONDS`` (on the reader's converters, and on the
whole reading where a timer can run). ``store_extraction_rows`` writes an
extraction's figures and findings on a reply and validates them; the worker,
``ingest`` and the mapping screen all store through it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from simple_history.utils import bulk_create_with_history

from requests_app.users import acting_user
from responses_app.domain.extraction import Extraction
from responses_app.domain.extraction import Figure as ExtractedFigure
from responses_app.domain.readers import Document, ReadError, ReadLimits, read
from responses_app.domain.readers.stored import document_from_data, document_to_data
from responses_app.models import Figure, Finding, Reply

from .findings import finding_row
from .timing import ReadTimedOut, seconds_text, time_limit
from .validation import validate_reply


def read_limits() -> ReadLimits:
    """The reading limits of the settings (READ_* and MAX_DOCUMENT_BYTES)."""
    return ReadLimits(
        max_bytes=settings.MAX_DOCUMENT_BYTES,
        max_unpacked_bytes=settings.READ_MAX_UNPACKED_BYTES,
        max_sheets=settings.READ_MAX_SHEETS,
        max_rows=settings.READ_MAX_ROWS,
        max_pages=settings.READ_MAX_PAGES,
        max_seconds=settings.READ_TIME_LIMIT_SECONDS,
    )


def read_file(data: bytes, filename: str) -> Document:
    """Read a reply file within the settings' limits; raises ReadError with one sentence.

    Running out of time is a ReadError too ("reading it took longer than the
    N seconds allowed"), whichever path read the file.
    """
    if not data:
        raise ReadError(f"could not read {filename}: the file is empty")
    seconds = settings.READ_TIME_LIMIT_SECONDS
    try:
        with time_limit(seconds):
            return read(data, filename, read_limits())
    except ReadTimedOut as exc:
        raise ReadError(
            f"could not read {filename}: reading it took longer than the "
            f"{seconds_text(seconds)} allowed"
        ) from exc


def kept_document(document: Document | None) -> dict:
    """What ``Reply.read_document`` keeps of a read file (empty when none or too large)."""
    return (document_to_data(document) or {}) if document is not None else {}


def stored_document(reply: Reply) -> Document | None:
    """The tables and lines kept when the reply was read, or None (read the file again)."""
    return document_from_data(reply.read_document) if reply.read_document else None


def figure_cell(fig: ExtractedFigure) -> dict[str, Any]:
    """What an extracted figure says (its cell, value and period's dates), as both a
    ``Figure`` row and the rules' ``FigureFacts`` name it."""
    period = fig.period_range
    return {
        "period": fig.period,
        "period_start": period.start,
        "period_end": period.end,
        "dimension": fig.dimension,
        "category": fig.category,
        "value": fig.value,
        "suppressed": fig.suppressed,
        "lower": fig.lower,
        "upper": fig.upper,
    }


def figure_rows(reply: Reply, extraction: Extraction) -> list[Figure]:
    request = reply.request
    return [
        Figure(
            reply=reply,
            request=request,
            campaign_id=request.campaign_id,
            force_id=request.force_id,
            **figure_cell(fig),
            source=fig.source[:300],
            read_by_ocr=fig.ocr,
            status=Figure.Status.EXTRACTED,
        )
        for fig in extraction.figures
    ]


def store_extraction_rows(
    *, reply: Reply, extraction: Extraction, user=None, history_reason: str = ""
) -> None:
    """The extraction's figures and findings on ``reply``, then validated (call in a transaction).

    A request outside campaigns keeps the findings only, with one saying how many
    figures were not kept. With ``history_reason`` the figures' creation is
    recorded in their history (a hand mapping, figures entered by hand).
    """
    findings = [finding_row(f, reply=reply) for f in extraction.findings]
    if reply.request.campaign_id:
        rows = figure_rows(reply, extraction)
        if history_reason:
            bulk_create_with_history(
                rows, Figure, default_user=acting_user(user), default_change_reason=history_reason
            )
        else:
            Figure.objects.bulk_create(rows)
    elif extraction.figures:
        findings.append(
            Finding(
                reply=reply,
                code="inbound.no_campaign",
                severity=Finding.Severity.INFO,
                message=f"{len(extraction.figures)} figures were read but not kept: "
                "the request belongs to no campaign.",
            )
        )
    Finding.objects.bulk_create(findings)
    validate_reply(reply)
