"""Figure extraction: from a read Document and a CampaignSpec to figures, outcome and findings.

No Django here; the ingest service and the `ingest --json` command call
`extract()` and `extraction_to_json()`.
"""

from .extract import extract
from .model import Extraction, Figure
from .outcome import OUTCOMES, cited_sections, classify_outcome
from .serialize import extraction_to_json

__all__ = [
    "OUTCOMES",
    "Extraction",
    "Figure",
    "cited_sections",
    "classify_outcome",
    "extract",
    "extraction_to_json",
]
