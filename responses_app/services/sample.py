"""What a sample reply file would give under a question being edited: stored nowhere.

The file goes through the worker's reader (``extractions.read_file``: its size,
unpacking and time limits) and the active validation rules, with the edited
question's spec instead of the campaign's, so a researcher sees the figures and
findings before saving the question.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.conf import settings

from questions.vocab import CampaignSpec
from responses_app.domain.extraction import Extraction, extract
from responses_app.domain.findings import ERROR
from responses_app.domain.readers import ReadError
from responses_app.domain.readers.base import describe_exception
from responses_app.domain.validation import FigureFacts, Issue, ValidationContext, run_rules

from .extractions import figure_cell, read_file
from .timing import ReadTimedOut, seconds_text, time_limit
from .validation import active_rules

SAMPLE_FORCE = "sample"


@dataclass
class SamplePreview:
    extraction: Extraction
    issues: list[Issue]

    @property
    def figures(self) -> list:
        return list(self.extraction.figures)

    @property
    def findings(self) -> list:
        """The reader's findings, then the rules', each placed at its figure's source."""
        out = list(self.extraction.findings)
        for issue in self.issues:
            finding = issue.finding
            if issue.figure is not None and not finding.locator:
                finding = replace(finding, locator=self.extraction.figures[issue.figure].source)
            out.append(finding)
        return out

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)


def preview_sample(*, data: bytes, filename: str, spec: CampaignSpec) -> SamplePreview:
    """Read ``data`` as the worker would under ``spec``; raises ReadError with one sentence."""
    seconds = settings.READ_TIME_LIMIT_SECONDS
    try:
        document = read_file(data, filename)
        with time_limit(seconds):
            extraction = extract(document, spec)
    except ReadError:
        raise
    except ReadTimedOut:
        raise ReadError(
            f"could not read {filename}: reading it took longer than the "
            f"{seconds_text(seconds)} allowed"
        ) from None
    except MemoryError:
        raise ReadError(f"could not read {filename}: it is too large to read") from None
    except RecursionError:
        raise ReadError(f"could not read {filename}: it is nested too deeply to read") from None
    except Exception as exc:  # noqa: BLE001 - a bad sample must not break the page
        raise ReadError(
            f"could not read {filename}: the reader stopped on an error ({describe_exception(exc)})"
        ) from None
    facts = [
        FigureFacts(id=index, force=SAMPLE_FORCE, **figure_cell(f))
        for index, f in enumerate(extraction.figures)
    ]
    issues = run_rules(active_rules(), ValidationContext(spec=spec, figures=facts))
    return SamplePreview(extraction, issues)
