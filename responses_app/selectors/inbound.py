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

from requests_app.permissions import visible_requests
from responses_app.access import Role, messages_for, sees_all_mail
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


def with_counts(qs: QuerySet | None = None) -> QuerySet:
    """Replies with ``figure_count`` and ``finding_count`` (a subquery each: no row fan-out)."""
    qs = Reply.objects.all() if qs is None else qs
    return qs.annotate(
        figure_count=_count(Figure, reply="pk"),
        finding_count=_count(Finding, reply="pk"),
    )


def request_replies(request_id: int) -> QuerySet:
    """A request's replies, newest first, with figure and finding counts and the first findings."""
    rank = Case(
        When(severity=Finding.Severity.ERROR, then=Value(0)),
        When(severity=Finding.Severity.WARNING, then=Value(1)),
        default=Value(2),
    )
    findings = Finding.objects.annotate(rank=rank).order_by("reply_id", "rank", "id")
    return (
        with_counts(Reply.objects.filter(request_id=request_id))
        .select_related("document")
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


def holding_pen(user, status: str | None = None) -> QuerySet:
    """The mail ``user`` may read (``access.messages_for``), of one status or all, newest first.

    The page and the API both list this; ``with_shown_guesses`` then narrows each
    message's guesses to the requests the user may see.
    """
    qs = InboundMessage.objects.select_related("request__force", "handled_by").defer("references")
    qs = messages_for(user, Role.VIEWER, qs)
    return qs.filter(status=status) if status else qs


def status_counts(user) -> dict[str, int]:
    rows = messages_for(user).order_by().values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def with_shown_guesses(user, messages) -> list:
    """Each message with ``shown_guesses``: its guesses at requests ``user`` may see (one query).

    A guess may name another team's request; its reference and force are not shown.
    ``may_decide`` says whether the user may assign or reject the message (one more query).
    """
    messages = list(messages)
    wanted = {
        g.get("request")
        for m in messages
        for g in m.guesses
        if isinstance(g, dict) and isinstance(g.get("request"), int)
    }
    if sees_all_mail(user):
        visible = wanted
    else:
        visible = set(visible_requests(user).filter(pk__in=wanted).values_list("pk", flat=True))
    held = [m.pk for m in messages if m.status == InboundMessage.Status.HELD]
    deciding = set(
        messages_for(user, Role.COORDINATOR).filter(pk__in=held).values_list("pk", flat=True)
        if held
        else ()
    )
    for message in messages:
        message.shown_guesses = [
            g for g in message.guesses if isinstance(g, dict) and g.get("request") in visible
        ]
        message.may_decide = message.pk in deciding
    return messages


def request_by_reference(requests: QuerySet, value: str):
    """The request of ``requests`` with this reference (any case) or, for digits, this id."""
    value = (value or "").strip()
    found = requests.filter(reference__iexact=value).first() if value else None
    if found is None and value.isdigit():
        found = requests.filter(pk=int(value)).first()
    return found
