"""What an export holds: the summary, the long table of figures, the methodology."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from questions.schema import QuestionSchema
from requests_app.models import Campaign
from requests_app.selectors.questions import question_of, series_question
from responses_app.domain.summary import DatasetSummary
from responses_app.models import Release
from responses_app.selectors import dataset as selectors
from responses_app.selectors.summary import campaign_summary, release_summary, series_summary

from . import COLUMNS

DEFAULT_METHODOLOGY = """\
Figures are those each force sent in reply to the Freedom of Information request, read
into one canonical shape and checked by a researcher; only approved figures are included.
National figures are sums over the forces that gave them: compare years with the number of
forces answering in mind.
Suppressed figures (e.g. "<5") are kept as ranges; a total that includes one is shown as
the sum of lower bounds to the sum of upper bounds.
A category's share is taken over the figures where that breakdown was recorded (all
categories except "Not recorded"). The per-figure table keeps every category exactly as
each force reported it."""


def methodology_for(question: QuestionSchema | None) -> str:
    """The campaign's own methodology (its schema), then how the dataset is made, then groups."""
    parts = [question.methodology] if question is not None and question.methodology else []
    parts.append(DEFAULT_METHODOLOGY)
    bands = [b.label for b in question.age_bands()] if question is not None else []
    if bands:
        named = ", ".join(bands[:-1]) + f" and {bands[-1]}" if len(bands) > 1 else bands[0]
        parts.append(
            "Forces report ages as single ages, as bands, or both. National age tables roll "
            f"them up into the campaign's bands ({named}): a single age, or a band, that lies "
            "wholly inside one of them is added to it. A band that crosses two of them, or an "
            'age outside them all, cannot be placed without guessing and is counted as "Other '
            'bands", an age that was recorded; the note that follows names the forces. "Not '
            'recorded" stays separate.'
        )
    for group in question.groups if question is not None else ():
        members = list(group.categories)
        named = ", ".join(members[:-1]) + f" and {members[-1]}" if len(members) > 1 else members[0]
        parts.append(f"{group.name} is the sum of {named}.")
    return "\n".join(parts)


class ExportNotFound(LookupError):
    """The campaign, release or series asked for does not exist; the message says which."""


@dataclass
class ExportData:
    scope: str
    title: str
    summary: DatasetSummary
    queryset: QuerySet
    release: int | None = None
    methodology: str = DEFAULT_METHODOLOGY
    series: bool = False
    generated_at: datetime = field(default_factory=timezone.now)
    #: The campaign's question (its schema): dimensions and categories for the exports.
    question: QuestionSchema | None = None

    @property
    def noun(self) -> str:
        return self.summary.noun

    @property
    def methodology_text(self) -> str:
        """The methodology, followed by this dataset's note on its national age bands."""
        note = self.summary.age_note
        return f"{self.methodology}\n{note}" if note else self.methodology

    @property
    def basename(self) -> str:
        name = self.scope.replace(" ", "-")
        return f"{name}-release-{self.release}" if self.release else name

    def rows(self) -> Iterator[dict[str, Any]]:
        """One dict per figure, keyed by ``COLUMNS`` (plus the earlier value in a series)."""
        for row in self.queryset.iterator(chunk_size=2000):
            out = {name: row.get(name) for name in COLUMNS}
            out["campaign"] = row["campaign_slug"]
            if self.series:
                out["earlier_value"] = row.get("earlier_value")
                out["earlier_release"] = row.get("earlier_release")
                out["earlier_campaign"] = row.get("earlier_campaign")
            yield out

    def revisions(self) -> list[dict[str, Any]]:
        """Series rows whose value an earlier release published differently."""
        if not self.series:
            return []
        return [r for r in self.rows() if r.get("earlier_release") is not None]


def for_campaign(campaign: Campaign, release: int | None = None) -> ExportData:
    """The live dataset of a campaign, or its release number ``release``."""
    if release is None:
        return ExportData(
            scope=campaign.slug,
            title=campaign.title,
            summary=campaign_summary(campaign=campaign),
            queryset=selectors.figure_rows(selectors.campaign_figures(campaign)),
            methodology=methodology_for(question_of(campaign)),
            question=question_of(campaign),
        )
    try:
        frozen = Release.objects.get(campaign=campaign, number=release)
    except Release.DoesNotExist:
        raise ExportNotFound(f"Campaign {campaign.slug} has no release {release}.") from None
    return for_release(frozen)


def for_release(release: Release) -> ExportData:
    summary = release_summary(release=release)
    if release.campaign is not None:
        question = question_of(release.campaign)
    else:
        question = series_question(release.series)
    return ExportData(
        scope=release.scope,
        title=summary.title,
        summary=summary,
        queryset=selectors.figure_rows(selectors.release_figures(release)),
        release=release.number,
        methodology=release.methodology or methodology_for(question),
        question=question,
        generated_at=release.created_at,
    )


def for_series(series: str) -> ExportData:
    if not Campaign.objects.filter(series=series).exists():
        raise ExportNotFound(f"No campaign belongs to the series {series!r}.")
    rows = selectors.figure_rows(
        selectors.series_figures(series), "earlier_value", "earlier_release", "earlier_campaign"
    )
    return ExportData(
        scope=f"series {series}",
        title=f"Series {series}",
        summary=series_summary(series=series),
        queryset=rows,
        series=True,
        methodology=methodology_for(series_question(series)),
        question=series_question(series),
    )


def find(
    *, campaign: str | None = None, release: int | None = None, series: str | None = None
) -> ExportData:
    """Look the scope up by slug (as the command line and the URLs give it)."""
    if series:
        return for_series(series)
    try:
        found = Campaign.objects.get(slug=campaign)
    except Campaign.DoesNotExist:
        raise ExportNotFound(f"There is no campaign {campaign!r}.") from None
    return for_campaign(found, release)
