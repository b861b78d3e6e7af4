"""A force's record across every campaign: how fast, how often on time, how often refused."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.db.models import QuerySet

from requests_app.domain.lifecycle import RUNNING_STATUSES, Outcome
from requests_app.models import FoiRequest, Force
from requests_app.services.calendars import calendar

TOP_EXEMPTIONS = 5


@dataclass
class ForceRecord:
    sent: int = 0
    answered: int = 0
    median_working_days: float | None = None  # receipt to first response
    on_time: int = 0
    on_time_of: int = 0  # answered, plus still unanswered past their due date
    refused: int = 0
    top_exemptions: list[tuple[str, int]] = field(default_factory=list)

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.on_time_of if self.on_time_of else None

    @property
    def refused_share(self) -> float | None:
        return self.refused / self.answered if self.answered else None


def force_record(force: Force, *, today: date, requests: QuerySet | None = None) -> ForceRecord:
    """The record of ``force`` over its sent requests (two queries: requests, calendar).

    ``requests`` narrows the requests counted (e.g. to those a user may see).
    """
    requests = FoiRequest.objects.all() if requests is None else requests
    rows = requests.filter(force=force, sent_on__isnull=False).values_list(
        "received_on", "responded_on", "due_on", "outcome", "exemptions", "status"
    )
    rows = list(rows)
    record = ForceRecord(sent=len(rows))
    if not rows:
        return record
    cal = calendar(force.regime)
    running = {s.value for s in RUNNING_STATUSES}
    days, cited = [], Counter()
    for received, responded, due, outcome, exemptions, status in rows:
        if responded is not None:
            record.answered += 1
            if received is not None:
                days.append(cal.working_days_between(received, responded))
            if due is not None:
                record.on_time_of += 1
                record.on_time += responded <= due
            record.refused += outcome == Outcome.REFUSED.value
            cited.update(exemptions or [])
        elif status in running and due is not None and due < today:
            record.on_time_of += 1
    record.median_working_days = median(days) if days else None
    record.top_exemptions = cited.most_common(TOP_EXEMPTIONS)
    return record
