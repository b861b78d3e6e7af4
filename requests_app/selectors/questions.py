"""A campaign's question (its schema), read the one way every part of the product reads it."""

from __future__ import annotations

import logging

from questions.schema import QuestionSchema, SchemaError, parse_schema
from questions.schema import schema_from_legacy as _legacy
from requests_app.models import Campaign

log = logging.getLogger(__name__)


def question_of(campaign: Campaign | None) -> QuestionSchema:
    """The campaign's checked schema.

    A campaign saved without one (or whose stored schema was broken by hand since)
    is read the way campaigns were before schemas: from its periods, dimension
    names and vocabulary overrides. None (a request outside campaigns): only a total.
    """
    if campaign is None:
        return QuestionSchema(dimensions=parse_schema({}).dimensions)
    question = None
    if campaign.schema:
        try:
            question = parse_schema(campaign.schema)
        except SchemaError as exc:
            log.warning("campaign %s: stored schema ignored (%s)", campaign.slug, exc)
    if question is None:
        try:
            question = _legacy(
                campaign.periods or [], campaign.dimensions or [], campaign.vocabularies
            )
        except SchemaError as exc:
            log.warning("campaign %s: vocabularies ignored (%s)", campaign.slug, exc)
            question = _legacy(campaign.periods or [], campaign.dimensions or [], {})
    return question


def series_question(series: str) -> QuestionSchema | None:
    """The question of the series' latest campaign (it stands for the series), if any."""
    latest = Campaign.objects.filter(series=series).order_by("-created_at", "-pk").first()
    return question_of(latest) if latest is not None else None
