"""The chaser policy: which polite reminder a late request is owed, and when.

A policy is a list of stages, each an offset in working days after the
response due date and an email template. A request is owed the stage whose
day has come most recently: stage 1 on the first working day after the due
date, stage 2 ten working days later, stage 3 at twenty (very overdue). A
stage whose day passed while a later stage's day has also come is skipped,
not sent late: a force should not get "your reply is overdue" after "we are
complaining to the Commissioner".

The sweep selects due requests in SQL: for each stage it needs the latest due
date whose stage day has come by today (``latest_due_on``), worked out once
per stage and calendar, so that "due for stage s" is the range
``latest_due_on(s + 1) < due_on <= latest_due_on(s)`` on an indexed column.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from . import placeholders
from .calendar import Regime, WorkingCalendar

__all__ = [
    "DEFAULT_TEMPLATES",
    "REVIEW_CHASER",
    "CHASER_PLACEHOLDERS",
    "MAX_CHASER_CHARS",
    "ChaserPolicy",
    "ChaserStage",
    "PolicyError",
    "chaser_problems",
    "latest_due_on",
    "long_date",
    "parse_policy",
    "render",
    "stage_date",
    "working_days_overdue",
]

#: The stage key of the chaser sent when an internal review runs past its 20 working days.
REVIEW_CHASER = "review"

_SIGN_OFF = "\n\nYours faithfully,\nResearch team"
_QUOTE = (
    "Our reference: {reference}\nYour reference: {force_reference}\n"
    "Request sent: {sent_on}\nResponse due: {due_on}\n"
)

#: Default subject and body of each stage; a campaign may replace any of them.
DEFAULT_TEMPLATES: dict[int, tuple[str, str]] = {
    1: (
        "Overdue response: {subject} [{reference}]",
        "Dear Freedom of Information Officer,\n\n"
        "Our request of {sent_on} under the {act} was due for a response by {due_on}. "
        "It is now {working_days} overdue and we have not yet "
        "received a reply.\n\n" + _QUOTE + "\n"
        "Please let us have your response as soon as possible." + _SIGN_OFF,
    ),
    2: (
        "Second reminder, response overdue: {subject} [{reference}]",
        "Dear Freedom of Information Officer,\n\n"
        "We have still not received a response to our request of {sent_on} under the "
        "{act}. The response was due by {due_on} and is now "
        "{working_days} late.\n\n" + _QUOTE + "\n"
        "Please reply promptly, or tell us when we can expect a response." + _SIGN_OFF,
    ),
    3: (
        "Very overdue: internal review and complaint to the {commissioner} [{reference}]",
        "Dear Freedom of Information Officer,\n\n"
        "Our request of {sent_on} under the {act} was due for a response by {due_on} and "
        "is now {working_days} overdue.\n\n"
        + _QUOTE
        + "\nUnless we receive a response, please treat this as notice that we will ask "
        "for an internal review and then complain to the {commissioner} about the "
        "failure to respond within the statutory time limit." + _SIGN_OFF,
    ),
}
_GENERIC = (
    "Reminder {stage}, response overdue: {subject} [{reference}]",
    DEFAULT_TEMPLATES[2][1],
)
REVIEW_TEMPLATE = (
    "Internal review overdue: {subject} [{reference}]",
    "Dear Freedom of Information Officer,\n\n"
    "We asked on {review_requested_on} for an internal review of your response to our "
    "request under the {act}. The review was due by {review_due_on} and is now "
    "{working_days} overdue.\n\n"
    "Our reference: {reference}\nYour reference: {force_reference}\n\n"
    "Please let us have the outcome of the review as soon as possible; otherwise we will "
    "refer the matter to the {commissioner}." + _SIGN_OFF,
)

#: Placeholders a chaser's subject and body may use, with what they become.
CHASER_PLACEHOLDERS = {
    "reference": "our reference",
    "force_reference": "the force's reference (or 'not yet given')",
    "subject": "the request's subject",
    "force_name": "the force's name",
    "sent_on": "the day the request was sent",
    "due_on": "the day the response was due",
    "review_due_on": "the day an internal review was due",
    "review_requested_on": "the day an internal review was asked for",
    "working_days_overdue": "working days overdue (a number)",
    "working_days": "working days overdue in words, e.g. '1 working day', '25 working days'",
    "stage": "the stage's number",
    "today": "the day the chaser is sent",
    "act": "the Act (FOIA or FOISA)",
    "commissioner": "the Information Commissioner or the Scottish one",
}
#: The longest a chaser's subject or body may be, as written and once filled (characters).
MAX_CHASER_CHARS = 20_000

ACTS = {Regime.FOIA: "Freedom of Information Act 2000", Regime.FOISA: "FOI (Scotland) Act 2002"}
COMMISSIONERS = {
    Regime.FOIA: "Information Commissioner",
    Regime.FOISA: "Scottish Information Commissioner",
}


class PolicyError(ValueError):
    """A chaser policy that cannot be used; the message says which entry and why."""


@dataclass(frozen=True)
class ChaserStage:
    stage: int
    offset: int  # working days after the response due date
    subject: str
    body: str

    @property
    def key(self) -> str:
        """How the stage is stored (OutboundMessage.stage, RequestEvent.stage)."""
        return str(self.stage)


@dataclass(frozen=True)
class ChaserPolicy:
    """Stages in order of their offsets (strictly increasing)."""

    stages: tuple[ChaserStage, ...]

    def keys_from(self, stage: ChaserStage) -> list[str]:
        """The keys of ``stage`` and every stage after it: any of them sent supersedes it."""
        i = self.stages.index(stage)
        return [s.key for s in self.stages[i:]]

    def reached(self, due_on: date, today: date, cal: WorkingCalendar) -> ChaserStage | None:
        """The latest stage whose day has come by ``today`` (None before the first)."""
        found = None
        for stage in self.stages:
            if stage_date(due_on, stage.offset, cal) <= today:
                found = stage
        return found

    def owed(
        self, due_on: date, today: date, cal: WorkingCalendar, sent: Iterable[str]
    ) -> ChaserStage | None:
        """The stage owed today: the latest whose day has come, unless it or a later one went.

        A request 25 working days late that was never chased is owed stage 3
        alone: never stage 1 today and stage 2 after it.
        """
        stage = self.reached(due_on, today, cal)
        if stage is None or set(sent) & set(self.keys_from(stage)):
            return None
        return stage

    def to_send_now(
        self, due_on: date, today: date, cal: WorkingCalendar, sent: Iterable[str]
    ) -> ChaserStage | None:
        """What "chase now" sends: the stage owed today, else the next stage ahead of its day."""
        sent = list(sent)
        return self.owed(due_on, today, cal, sent) or self.next_stage(sent)

    def next_stage(self, sent: Iterable[str]) -> ChaserStage | None:
        """The first stage after the last one sent (the first stage if none was)."""
        sent = set(sent)
        last = max((i for i, s in enumerate(self.stages) if s.key in sent), default=-1)
        return self.stages[last + 1] if last + 1 < len(self.stages) else None

    def by_key(self, key: str) -> ChaserStage | None:
        return next((s for s in self.stages if s.key == key), None)


def chaser_problems(text: str, *, what: str = "The chaser") -> list[str]:
    """Every problem with a chaser's subject or body (empty: it can be filled)."""
    return placeholders.check(text, CHASER_PLACEHOLDERS, what=what, limit=MAX_CHASER_CHARS)


def _whole_number(entry: Mapping, name: str, where: str) -> int:
    """``entry[name]``, a whole number of 1 or more, or a PolicyError saying what it is instead."""
    value = entry.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise PolicyError(f"{where}: {name} must be a whole number of 1 or more, not {value!r}.")
    return value


def parse_policy(
    config: Sequence[Mapping] | None, defaults: Sequence[tuple[int, int]]
) -> ChaserPolicy:
    """A policy from a campaign's ``chaser_stages`` (empty: the defaults from settings).

    Each entry is ``{"stage": n, "offset": working days, "subject": ..., "body": ...}``;
    subject and body default to the stage's standard template.
    """
    if not config:
        entries: list[Mapping] = [{"stage": s, "offset": o} for s, o in defaults]
        where = "CHASER_STAGES"
    else:
        entries = list(config)
        where = "chaser_stages"
    stages = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise PolicyError(f"{where}[{i}] must be an object with stage and offset.")
        stage = _whole_number(entry, "stage", f"{where}[{i}]")
        offset = _whole_number(entry, "offset", f"{where}[{i}]")
        subject, body = DEFAULT_TEMPLATES.get(stage, _GENERIC)
        subject = str(entry.get("subject") or subject).strip()
        body = str(entry.get("body") or body)
        if "\n" in subject:
            raise PolicyError(f"{where}[{i}]: the subject must be one line.")
        for part, text in (("subject", subject), ("body", body)):
            problems = chaser_problems(text, what=f"{where}[{i}] {part}")
            if problems:
                raise PolicyError(" ".join(problems))
        stages.append(ChaserStage(stage=stage, offset=offset, subject=subject, body=body))
    if not stages:
        raise PolicyError(f"{where} has no stages.")
    stages.sort(key=lambda s: s.offset)
    for a, b in zip(stages, stages[1:], strict=False):
        if a.offset == b.offset:
            raise PolicyError(f"{where}: stages {a.stage} and {b.stage} share offset {a.offset}.")
        if a.stage >= b.stage:
            raise PolicyError(
                f"{where}: stage {b.stage} comes after stage {a.stage} in time, so it needs "
                "a higher number."
            )
    return ChaserPolicy(tuple(stages))


def stage_date(due_on: date, offset: int, cal: WorkingCalendar) -> date:
    """The working day a stage falls due: ``offset`` working days after the due date."""
    return cal.add_working_days(due_on, offset)


def latest_due_on(today: date, offset: int, cal: WorkingCalendar) -> date:
    """The latest due date whose stage day (``offset`` working days on) is ``today`` or earlier.

    ``stage_date(d) <= today`` holds exactly when ``d <= latest_due_on(today)``,
    because the number of working days in ``(d, today]`` only grows as ``d``
    moves back. Found by bisection on that count: O(log) calendar lookups.
    """
    if offset < 1:
        raise ValueError(f"A chaser offset must be 1 or more working days, not {offset}.")
    span = offset * 2 + 14
    low = today - timedelta(days=span)
    while cal.working_days_between(low, today) < offset:
        span *= 2
        low = today - timedelta(days=span)
    lo, hi = low.toordinal(), today.toordinal()  # count(lo) >= offset; count(hi) = 0
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if cal.working_days_between(date.fromordinal(mid), today) >= offset:
            lo = mid
        else:
            hi = mid
    return date.fromordinal(lo)


def working_days_overdue(due_on: date, today: date, cal: WorkingCalendar) -> int:
    """Working days after the due date, up to and including today (0 if not yet late)."""
    return cal.working_days_between(due_on, today)


def long_date(d: date | None) -> str:
    return f"{d:%A} {d.day} {d:%B %Y}" if d else "not known"


def render(template: str, values: Mapping[str, object], *, what: str = "The chaser") -> str:
    """Fill the chaser's placeholders (PlaceholderError for anything else; see placeholders)."""
    return placeholders.render(template, values, what=what, limit=MAX_CHASER_CHARS)
