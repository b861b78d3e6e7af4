"""Reads for the replies box of a request and the holding pen: a fixed number of queries a page."""

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from responses_app.models import Figure, Finding, InboundMessage, Reply

FINDINGS_SHOWN = 20


def _count(model, **outer) -> Coalesce:
    rows = (
        model.objects.filter(**{k: OuterRef(v) for k, v in outer.items()})
        .order_by()
        .values(*outer)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def request_replies(request_id: int) -> QuerySet:
    """A request's replies, newest first, with figure and finding counts and the first findings."""
    rank = Case(
        When(severity=Finding.Severity.ERROR, then=Value(0)),
        When(severity=Finding.Severity.WARNING, then=Value(1)),
        default=Value(2),
    )
    findings = Finding.objects.annotate(rank=rank).order_by("reply_id", "rank", "id")
    return (
        Reply.objects.filter(request_id=request_id)
        .select_related("document")
        .annotate(
            figure_count=_count(Figure, reply="pk"),
            finding_count=_count(Finding, reply="pk"),
        )
        .prefetch_related(
            Prefetch("findings", queryset=findings[:FINDINGS_SHOWN], to_attr="first_findings")
        )
        .order_by("-created_at", "-pk")
    )


def request_messages(request_id: int) -> QuerySet:
    return (
        InboundMessage.objects.filter(request_id=request_id)
        .only(
            "id", "subject", "from_address", "kind", "received_at", "status", "match_method",
            "request_id",
        )
        .order_by("-received_at", "-pk")
    )  # fmt: skip


def holding_pen(status: str | None) -> QuerySet:
    qs = InboundMessage.objects.select_related("request__force", "handled_by").defer("references")
    return qs.filter(status=status) if status else qs


def status_counts() -> dict[str, int]:
    rows = InboundMessage.objects.order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}
