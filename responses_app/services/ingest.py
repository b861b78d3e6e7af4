"""Read a reply file into figures on a request: one transaction, nothing half-written.

The pure core does the reading (``responses_app.domain.readers``) and the
extraction (``responses_app.domain.extraction``); this module only builds the
campaign's spec, and stores the document, the reply, its figures and findings.
"""

from dataclasses import dataclass

from django.db import transaction

from requests_app.models import Campaign, FoiRequest
from responses_app.domain.extraction import Extraction, extract
from responses_app.domain.readers import Document as ReadDocument
from responses_app.domain.readers import ReadError
from responses_app.models import Reply

from .extractions import kept_document, read_file, store_extraction_rows
from .layouts import read_with_saved_mapping
from .storage import attach
from .validation import campaign_spec

__all__ = ["ReadError", "IngestResult", "campaign_spec", "extract_file", "ingest_file"]


@dataclass
class IngestResult:
    extraction: Extraction
    reply: Reply | None = None


def extract_file(*, data: bytes, filename: str, campaign: Campaign) -> Extraction:
    """Read and extract without touching the database; raises ReadError."""
    return extract(read_file(data, filename), campaign_spec(campaign))


@transaction.atomic
def store_extraction(
    *,
    request: FoiRequest,
    extraction: Extraction,
    data: bytes,
    filename: str,
    user=None,
    event=None,
    mapping: dict | None = None,
    read: ReadDocument | None = None,
) -> Reply:
    document = attach(request=request, data=data, name=filename, event=event, user=user)
    reply = Reply.objects.create(
        request=request,
        document=document,
        status=Reply.Status.EXTRACTED,
        outcome=extraction.outcome,
        exemptions=list(extraction.exemptions),
        excluded_rows=extraction.excluded_rows,
        mapping=mapping or {},  # the saved hand mapping used, if any (services/layouts.py)
        read_document=kept_document(read),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    store_extraction_rows(reply=reply, extraction=extraction)
    return reply


def ingest_file(
    *, request: FoiRequest, data: bytes, filename: str, user=None, event=None, dry_run=False
) -> IngestResult:
    """Extract ``data`` as ``request``'s reply; store it unless ``dry_run``.

    Raises ReadError (with one clear sentence) before anything is written when
    the file cannot be read.
    """
    if request.campaign_id is None:
        raise ValueError(f"request {request.reference} belongs to no campaign: nothing to map to")
    # Saved hand mappings (services/layouts.py): a layout a researcher mapped for this force
    # before is read with that mapping; otherwise (or with none saved) read automatically.
    reading = read_with_saved_mapping(request=request, data=data, filename=filename)
    if reading is None:
        read = read_file(data, filename)
        extraction = extract(read, campaign_spec(request.campaign))
        mapping = {}
    else:
        extraction, mapping, read = reading.extraction, reading.mapping, reading.document
    if dry_run:
        return IngestResult(extraction=extraction)
    reply = store_extraction(
        request=request,
        extraction=extraction,
        data=data,
        filename=filename,
        user=user,
        event=event,
        mapping=mapping,
        read=read,
    )
    return IngestResult(extraction=extraction, reply=reply)
