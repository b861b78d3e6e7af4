"""The JSON shape of an extraction: that of the samples' *.expected.json, plus `issues`."""

from __future__ import annotations

from .model import Extraction


def extraction_to_json(extraction: Extraction, force_id: str) -> dict:
    """The expected-file shape (`force`, `outcome`, `exemptions`, `figures`, `excluded_rows`).

    Each figure also carries its `source`, and `issues` lists the findings.
    """
    return {
        "force": force_id,
        "outcome": extraction.outcome,
        "exemptions": list(extraction.exemptions),
        "figures": [figure.as_dict() for figure in extraction.figures],
        "excluded_rows": extraction.excluded_rows,
        "issues": [finding.as_dict() for finding in extraction.findings],
    }
