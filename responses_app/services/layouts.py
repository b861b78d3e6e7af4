"""Saved hand mappings, found again by the layout of a force's next reply.

A researcher who maps a force's table by hand can save the mapping; when the
same force sends a table of the same layout (`layout_fingerprint`) to the same
campaign, or to a later campaign of the same series, it is read with that
mapping rather than by the automatic extractor.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from requests_app.models import Campaign, FoiRequest
from responses_app.domain.extraction import Extraction, extract
from responses_app.domain.extraction.mapped import (
    MappingError,
    extract_mapped,
    layout_fingerprint,
    parse_mapping,
    with_period_texts,
)
from responses_app.domain.readers import Document
from responses_app.models import SavedMapping

from .extractions import read_file
from .validation import campaign_spec

MAX_TABLES_FINGERPRINTED = 50


@dataclass
class Reading:
    extraction: Extraction
    mapping: dict  # what is stored on Reply.mapping: empty when no saved mapping was used
    document: Document | None = None  # what was read, kept for the mapping screen


def saved_mappings(*, force_id: str, campaign: Campaign) -> list[SavedMapping]:
    """The force's saved mappings for the campaign, then for its series and previous one."""
    related = Q(campaign=campaign)
    if campaign.series:
        related |= Q(campaign__series=campaign.series)
    if campaign.previous_id:
        related |= Q(campaign_id=campaign.previous_id)
    found = list(SavedMapping.objects.filter(related, force_id=force_id).order_by("-updated_at"))
    found.sort(key=lambda m: m.campaign_id != campaign.pk)  # this campaign's first (stable)
    return found


def fingerprints(document: Document) -> list[str]:
    return [layout_fingerprint(t) for t in document.tables[:MAX_TABLES_FINGERPRINTED]]


def read_with_saved_mapping(*, request: FoiRequest, data: bytes, filename: str) -> Reading | None:
    """Read a reply with a saved mapping if one fits; None when the force has none saved.

    Costs one query when the force has no saved mapping for the campaign (or
    its series); otherwise the file is read once, and ``extract_known_layout``
    reads it. Raises ReadError like ``ingest.extract_file``.
    """
    candidates = saved_mappings(force_id=request.force_id, campaign=request.campaign)
    if not candidates:
        return None
    document = read_file(data, filename)
    return extract_known_layout(request=request, document=document, candidates=candidates)


def extract_known_layout(
    *, request: FoiRequest, document: Document, candidates: list[SavedMapping] | None = None
) -> Reading:
    """The extraction of a read document: through a saved mapping when a table's layout is
    known for this force, else by the automatic extractor (``Reading.mapping`` is then empty).

    For any path that reads a reply (upload, inbound mail): store ``Reading.mapping`` on
    ``Reply.mapping``. One query for the candidates when they are not given.
    """
    campaign = request.campaign
    spec = campaign_spec(campaign)
    if candidates is None:
        candidates = saved_mappings(force_id=request.force_id, campaign=campaign)
    by_layout: dict[str, SavedMapping] = {}
    for saved in candidates:
        by_layout.setdefault(saved.layout, saved)
    for index, layout in enumerate(fingerprints(document) if by_layout else []):
        saved = by_layout.get(layout)
        if saved is None:
            continue
        mapping = {**saved.mapping, "table": index}
        try:
            extraction = extract_mapped(document, spec, mapping)
        except MappingError:
            continue  # the campaign changed (a dimension dropped): read it automatically
        as_read = with_period_texts(parse_mapping(mapping, spec), document.tables[index])
        used = {**as_read.to_data(), "saved_mapping": saved.pk, "layout": layout, "reused": True}
        return Reading(extraction, used, document)
    return Reading(extract(document, spec), {}, document)
