"""Reads for the mapping screen, the data-entry grid and the request page's links to them."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from requests_app.models import FoiRequest
from responses_app.models import Document, Figure, Finding, Reply, SavedMapping


def reply_for_mapping(pk: int) -> Reply:
    """A reply with its request, force, campaign, document, figures and findings: 3 queries."""
    return (
        Reply.objects.select_related(
            "request__force", "request__campaign", "document__stored", "created_by"
        )
        .prefetch_related(
            Prefetch(
                "figures",
                queryset=Figure.objects.order_by("period", "dimension", "category", "pk"),
            ),
            Prefetch("findings", queryset=Finding.objects.order_by("pk")),
        )
        .get(pk=pk)
    )


def saved_layout(*, reply: Reply, layout: str) -> SavedMapping | None:
    return SavedMapping.objects.filter(
        force_id=reply.request.force_id, campaign_id=reply.request.campaign_id, layout=layout
    ).first()


def request_for_grid(pk: int) -> FoiRequest:
    """A request with its force, campaign and documents (for the grid's document choice)."""
    return (
        FoiRequest.objects.select_related("force", "campaign")
        .prefetch_related(Prefetch("documents", queryset=Document.objects.order_by("-pk")))
        .get(pk=pk)
    )


def replies_of(request_id: int) -> QuerySet:
    """A request's replies, newest first, with their document and figure count: 1 query."""
    return (
        Reply.objects.filter(request_id=request_id)
        .select_related("document")
        .annotate(figure_count=Count("figures"))
        .order_by("-created_at", "-pk")
    )
