"""The figures column of the campaign board: what each request's reply gave, in words."""

from django.db.models import Count, Q

from responses_app.models import Figure


def figure_states(request_ids: list[int]) -> dict[int, str]:
    """``{request id: "216 approved, 3 waiting"}`` for the requests that have figures: one query."""
    rows = (
        Figure.objects.filter(request_id__in=request_ids)
        .values("request_id")
        .annotate(
            approved=Count("pk", filter=Q(status__in=Figure.PUBLISHED)),
            waiting=Count("pk", filter=Q(status__in=Figure.PENDING)),
            rejected=Count("pk", filter=Q(status=Figure.Status.REJECTED)),
        )
        .order_by()
    )
    states = {}
    for row in rows:
        parts = [f"{row[key]:,} {key}" for key in ("approved", "waiting", "rejected") if row[key]]
        states[row["request_id"]] = ", ".join(parts)
    return states
