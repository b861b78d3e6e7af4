"""A finding of the readers, the extractor or a rule, as a row of the Finding table."""

from typing import Any

from responses_app.domain.findings import Finding as FoundFinding
from responses_app.models import Finding


def finding_row(found: FoundFinding, **place: Any) -> Finding:
    """An unsaved ``Finding`` for ``found``; ``place`` is its reply (or reply_id) and figure."""
    return Finding(
        **place,
        code=found.code,
        severity=found.severity,
        message=found.message,
        locator=found.locator[:300],
        suggestions=list(found.suggestions),
    )
