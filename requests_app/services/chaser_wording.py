"""A campaign's chaser wording: its stages (days and text), previewed and saved from a form.

The stages are stored on the campaign (``Campaign.chaser_stages``, read by the
sweep through ``parse_policy``); an empty list means the defaults
(``CHASER_STAGES`` and the standard texts). Every placeholder is checked by the
strict renderer (``domain/placeholders.py``) before anything is saved.
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from requests_app.domain.chasers import (
    ChaserPolicy,
    ChaserStage,
    PolicyError,
    chaser_problems,
    parse_policy,
    render,
    stage_date,
)
from requests_app.domain.placeholders import PlaceholderError
from requests_app.models import Campaign

from .calendars import calendar
from .chasing import FIELDS, chaser_values, due_chaser


class WordingRejected(ValueError):
    """Chaser wording that cannot be used; ``problems`` says every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass
class Preview:
    stage: ChaserStage
    on: date
    to: str
    subject: str = ""
    body: str = ""
    problems: list[str] = field(default_factory=list)


def default_policy() -> ChaserPolicy:
    """The standard stages (``CHASER_STAGES``) with the standard texts."""
    return parse_policy(None, settings.CHASER_STAGES)


def policy_of(campaign: Campaign) -> ChaserPolicy:
    """The campaign's chaser stages as the sweep reads them (its own, else the defaults)."""
    return parse_policy(campaign.chaser_stages or None, settings.CHASER_STAGES)


def check_wording(entries: list[dict]) -> ChaserPolicy:
    """The policy these entries make, or WordingRejected with every problem found."""
    problems = []
    for entry in entries:
        for part in ("subject", "body"):
            text = entry.get(part) or ""
            problems += chaser_problems(text, what=f"Stage {entry.get('stage')}'s {part}")
    if problems:
        raise WordingRejected(problems)
    try:
        return parse_policy(entries, settings.CHASER_STAGES)
    except PolicyError as exc:
        raise WordingRejected([str(exc)]) from exc


def save_wording(*, campaign: Campaign, entries: list[dict]) -> ChaserPolicy:
    """Check and store the campaign's stages; from the next sweep they are the ones sent."""
    policy = check_wording(entries)
    campaign.chaser_stages = [
        {"stage": s.stage, "offset": s.offset, "subject": s.subject, "body": s.body}
        for s in policy.stages
    ]
    campaign.save(update_fields=["chaser_stages"])
    return policy


def reset_wording(*, campaign: Campaign) -> None:
    campaign.chaser_stages = []
    campaign.save(update_fields=["chaser_stages"])


def _sample(campaign: Campaign, today: date) -> dict:
    """A request of the campaign to preview with: a sent one if any (the latest due)."""
    qs = campaign.requests.order_by("-due_on", "force__name").values(*FIELDS)
    row = qs.filter(due_on__isnull=False).first() or qs.first()
    if row is None:
        raise WordingRejected(["The campaign has no requests to preview a chaser with."])
    if row["due_on"] is None:  # not sent yet: as if it went today
        due_on = calendar(row["force__regime"]).add_working_days(today, 20)
        row = {**row, "sent_on": today, "due_on": due_on}
    return row


def preview(*, campaign: Campaign, stages: list[ChaserStage], today: date) -> list[Preview]:
    """Each stage's chaser as one force would get it, on the day it would go."""
    row = _sample(campaign, today)
    cal = calendar(row["force__regime"])
    out = []
    for stage in stages:
        on = stage_date(row["due_on"], stage.offset, cal)
        due = due_chaser(row, stage.key, row["due_on"], on, {row["force__regime"]: cal})
        values = chaser_values(due, on)
        item = Preview(stage=stage, on=on, to=row["force__foi_email"] or "(no FOI address yet)")
        try:
            item.subject = render(stage.subject, values, what=f"Stage {stage.stage}'s subject")
            item.body = render(stage.body, values, what=f"Stage {stage.stage}'s body")
        except PlaceholderError as exc:
            item.problems = exc.problems
        out.append(item)
    return out
