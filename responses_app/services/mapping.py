"""When the machine is unsure: a person maps a reply's table, or types its figures.

``apply_mapping`` re-reads a stored reply's document through a hand mapping
and replaces that reply's figures and findings in one transaction (every
removed and added figure is kept in the figure history), then runs the
validation rules again; with ``save`` the mapping is kept for the force's
layout (see ``layouts.py``). ``enter_figures`` stores figures typed into the
grid, each with the locator the researcher typed, or writes nothing at all.
"""

from __future__ import annotations

from dataclasses import replace

from django.db import transaction

from questions.schema import with_spellings
from requests_app.models import FoiRequest
from requests_app.selectors.questions import question_of
from requests_app.services.campaigns import change_question
from requests_app.users import acting_user
from responses_app.domain.extraction import Extraction, classify_outcome
from responses_app.domain.extraction.grid import text_of
from responses_app.domain.extraction.mapped import (
    MappingError,
    extract_mapped,
    layout_fingerprint,
    parse_mapping,
    table_rows,
    with_period_texts,
)
from responses_app.domain.extraction.mapping import COLUMNS
from responses_app.domain.extraction.typed import TypedCell, read_typed
from responses_app.domain.readers import Document as ReadDocument
from responses_app.domain.readers import ReadError
from responses_app.models import Document, Figure, Finding, Reply, SavedMapping

from .extractions import read_file, store_extraction_rows, stored_document
from .retention import has_bytes
from .validation import campaign_spec

__all__ = [
    "GridError",
    "MappingError",
    "MappingRefused",
    "ReadError",
    "apply_mapping",
    "enter_figures",
    "preview_mapping",
    "read_reply",
]

Status = Figure.Status
DECIDED = Figure.PUBLISHED


class MappingRefused(ValueError):
    """The mapping cannot be applied to this reply; the message says why and what to do."""


class GridError(ValueError):
    """Some typed cells do not read: errors by form field; nothing was written."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} cell(s) do not read")


def _user(user):
    return acting_user(user)


def read_reply(reply: Reply) -> ReadDocument:
    """The tables kept when the reply was read; else its file read again within the limits.

    Raises ReadError, or MappingRefused when there is no file.
    """
    if reply.document is None:
        raise MappingRefused("this reply has no document to map: enter its figures by hand")
    name, stored = reply.document.name, reply.document.stored
    if not has_bytes(stored):
        raise MappingRefused(
            f"{name} was removed under the retention policy for personal data, so it cannot "
            "be mapped again; the figures read from it are kept"
        )
    kept = stored_document(reply)
    if kept is not None:
        return kept
    try:
        with stored.content.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise MappingRefused(f"{name} could not be opened ({exc.strerror or exc})") from exc
    return read_file(data, name)


def preview_mapping(*, reply: Reply, mapping: dict, document: ReadDocument | None = None):
    """(checked mapping, extraction) of a reply read through ``mapping``; writes nothing."""
    spec = campaign_spec(reply.request.campaign)
    document = document if document is not None else read_reply(reply)
    checked = parse_mapping(mapping, spec)
    return checked, extract_mapped(document, spec, checked)


def apply_mapping(
    *,
    reply: Reply,
    mapping: dict,
    user=None,
    save: bool = False,
    discard_reviewed: bool = False,
    remember: bool = False,
) -> Reply:
    """Replace the reply's figures and findings with those ``mapping`` reads; one transaction.

    Figures a reviewer approved or corrected are not discarded unless
    ``discard_reviewed``. With ``save`` the mapping is saved for the force's
    layout so the force's next reply in this layout is read the same way.
    With ``remember``, each row or column label mapped to a category is added to the
    campaign's question as a spelling of it ("remember this spelling"), so later replies
    read it without help. Raises MappingError, MappingRefused or ReadError before
    anything is written.
    """
    reply = Reply.objects.select_related("request__campaign", "document__stored").get(pk=reply.pk)
    if reply.request.campaign is None:
        raise MappingRefused("the request belongs to no campaign: there is nothing to map to")
    document = read_reply(reply)
    checked, extraction = preview_mapping(reply=reply, mapping=mapping, document=document)
    table = document.tables[checked.table]
    layout = layout_fingerprint(table)
    stored = {**with_period_texts(checked, table).to_data(), "layout": layout}
    with transaction.atomic():
        locked = Reply.objects.select_for_update().get(pk=reply.pk)
        locked.request = reply.request
        saved = None
        if save:
            saved, _ = SavedMapping.objects.update_or_create(
                force_id=reply.request.force_id,
                campaign_id=reply.request.campaign_id,
                layout=layout,
                defaults={"mapping": stored, "created_by": _user(user)},
            )
            stored = {**stored, "saved_mapping": saved.pk}
        _replace(locked, extraction, stored, user, "hand mapping", discard_reviewed)
        if remember:
            _remember(reply, checked, table, user)
    return locked


def _remember(reply: Reply, checked, table, user) -> list[str]:
    """Add the labels the mapping named to the campaign's vocabularies (a new question version)."""
    rows, _ = table_rows(table, MAX_REMEMBERED_ROWS)
    label = checked.label_column or 0
    headers = list(checked.header_rows) or [0]

    def named_in_a_column(index: int) -> str:  # a row's label
        return text_of(rows[index][label]) if index < len(rows) and label < len(rows[index]) else ""

    def headed(index: int) -> str:  # a column's heading
        return " ".join(
            text_of(rows[h][index]) for h in headers if h < len(rows) and index < len(rows[h])
        )

    # periods across: categories are rows, named in a column; a cross-table's columns are headed
    down, across = (
        (named_in_a_column, headed) if checked.axis == COLUMNS else (headed, named_in_a_column)
    )
    spellings = [(d, c, down(index)) for index, (d, c) in checked.categories.items()]
    spellings += [(d, c, across(index)) for index, (d, c) in checked.cross.items()]
    campaign = reply.request.campaign
    schema, added = with_spellings(question_of(campaign), spellings)
    if added:
        change_question(
            campaign=campaign,
            schema=schema,
            user=user,
            reason=f"spellings remembered from {reply.document.name}: {', '.join(added)}"[:250],
        )
    return added


MAX_REMEMBERED_ROWS = 2000


def _replace(reply: Reply, extraction: Extraction, mapping: dict, user, reason, discard) -> None:
    old = list(Figure.objects.select_for_update().filter(reply=reply).order_by("pk"))
    decided = [f for f in old if f.status in DECIDED]
    if decided and not discard:
        raise MappingRefused(
            f"{len(decided)} figure(s) of this reply were already approved or corrected by a "
            "reviewer: tick 'discard review decisions' to replace them anyway"
        )
    Finding.objects.filter(reply=reply).delete()
    Figure.objects.filter(pk__in=[f.pk for f in old]).delete()  # history: one `-` row each
    _label_removal([f.pk for f in old], user, reason)
    reply.status = Reply.Status.EXTRACTED
    reply.error = ""
    reply.outcome = extraction.outcome
    reply.exemptions = list(extraction.exemptions)
    reply.excluded_rows = extraction.excluded_rows
    reply.mapping = mapping
    reply.save(
        update_fields=[
            "document",
            "status",
            "error",
            "outcome",
            "exemptions",
            "excluded_rows",
            "mapping",
        ]
    )
    store_extraction_rows(reply=reply, extraction=extraction, user=user, history_reason=reason)


def _label_removal(pks: list[int], user, reason: str) -> None:
    """Say who removed the figures and why on the `-` history rows the delete wrote."""
    Figure.history.filter(id__in=pks, history_type="-").update(
        history_user=_user(user), history_change_reason=reason
    )


def enter_figures(
    *,
    request: FoiRequest,
    rows: list[TypedCell],
    user=None,
    document: Document | None = None,
    reply: Reply | None = None,
    discard_reviewed: bool = False,
) -> Reply:
    """Store figures typed into the grid as a reply of ``request``; all of them or none.

    With ``reply`` (a reply the machine could not read) its figures are
    replaced; otherwise a new reply is made, holding ``document`` (a scan) or
    no document. Raises GridError (errors by field) before anything is written.
    """
    if request.campaign_id is None:
        raise GridError({"__all__": "the request belongs to no campaign: no figures are asked"})
    spec = campaign_spec(request.campaign)
    figures, errors = read_typed(rows, spec)
    if errors:
        raise GridError(errors)
    if document is None and reply is not None:
        document = reply.document  # the figures are typed from the reply's own file
    if document is not None:
        figures = [replace(f, source=_sourced(document, f.source)) for f in figures]
    outcome, _, _ = classify_outcome("", figures, spec)
    extraction = Extraction(
        source=document.name if document else "", figures=figures, outcome=outcome
    )
    mapping = {"entered_by_hand": True, "cells": len(figures)}
    with transaction.atomic():
        if reply is None:
            reply = Reply.objects.create(
                request=request, document=document, created_by=_user(user), outcome=outcome
            )
        else:
            reply = Reply.objects.select_for_update().get(pk=reply.pk, request=request)
            extraction.exemptions = list(reply.exemptions)
            reply.document = document
        reply.request = request
        _replace(reply, extraction, mapping, user, "entered by hand", discard_reviewed)
    return reply


def _sourced(document: Document, locator: str) -> str:
    return locator if locator.startswith(document.name) else f"{document.name} {locator}"
