"""Campaigns: one request text, personalised per force, one request each; and next year's copy."""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from questions.ages import BandsRejected, parse_bands
from questions.periods import MONTH, parse_period_label
from questions.schema import (
    QuestionSchema,
    SchemaError,
    parse_schema,
    schema_from_legacy,
)
from requests_app.domain import placeholders
from requests_app.domain.placeholders import MAX_REQUEST_CHARS
from requests_app.models import Campaign, FoiRequest, Force, Team
from requests_app.selectors.questions import question_of
from requests_app.users import acting_user

from .requests import create_request
from .teams import TeamRejected, team_for_new_campaign

DEFAULT_TEMPLATE = """Dear Freedom of Information Officer,

Under the Freedom of Information Act 2000, please provide the following
information held by {force_name}.

{question}

Please quote our reference {reference} in your reply.

Yours faithfully,
Research team"""

#: Placeholders a template may use, with what they become.
PLACEHOLDERS = placeholders.REQUEST_PLACEHOLDERS
DEFAULT_DIMENSIONS = ("total", "platform", "age")
RESERVED_SLUGS = {"new", "preview"}  # campaigns/new/ and campaigns/preview/ are pages
#: What a campaign may ask for: 2017-18 (or 2017/18), 2019, or 2019-01-01/2019-06-30.
_PERIOD_SHAPE = re.compile(
    r"\d{4}(?:\s*[-/]\s*(?:\d{2}|\d{4}))?|\d{4}-\d{2}-\d{2}\s*/\s*\d{4}-\d{2}-\d{2}"
    r"|\d{4}\s*[Qq][1-4]"
)
PERIOD_HELP = (
    "use 2017-18 (financial year), 2019 (calendar year), 2019 Q1 (quarter) or 2019-01-01/2019-06-30"
)


class CampaignRejected(ValueError):
    """Campaign input that cannot be used; the message says what is wrong and where."""


def template_problems(template: str) -> list[str]:
    """Every problem with a request template (empty: it can be filled); see domain.placeholders."""
    return placeholders.request_problems(template)


def render_text(template: str, *, campaign: Campaign, force: Force, reference: str) -> str:
    """The request text for ``force``: plain substitution of the named placeholders.

    Raises CampaignRejected for a template that uses anything else, or whose
    filled text would be too long.
    """
    values = {
        "force_name": force.name,
        "force_id": force.pk,
        "reference": reference,
        "periods": ", ".join(campaign.periods),
        "title": campaign.title,
        "question": campaign.description,
    }
    try:
        return placeholders.render(
            template or DEFAULT_TEMPLATE, values, what="The request text", limit=MAX_REQUEST_CHARS
        )
    except placeholders.PlaceholderError as exc:
        raise CampaignRejected(str(exc)) from exc


def preview_text(
    *,
    force: Force,
    template: str,
    slug: str = "",
    title: str = "",
    description: str = "",
    periods: Sequence[str] = (),
) -> str:
    """The text ``force`` would receive, before the campaign exists (raises CampaignRejected)."""
    errors = template_problems(template or DEFAULT_TEMPLATE)
    if errors:
        raise CampaignRejected(" ".join(errors))
    draft = Campaign(slug=slug, title=title, description=description, periods=list(periods))
    reference = f"{slug or 'SLUG'}/{force.pk}"
    return render_text(template, campaign=draft, force=force, reference=reference)


def normalise_periods(labels: Iterable[str]) -> list[str]:
    """Each label in the dataset's spelling (``2017/18`` -> ``2017-18``), or CampaignRejected."""
    out: list[str] = []
    for raw in labels:
        label = raw.strip()
        if not label:
            continue
        period = parse_period_label(label) if _PERIOD_SHAPE.fullmatch(label) else None
        if period is None or period.kind == MONTH:
            raise CampaignRejected(f"{label!r} is not a period: {PERIOD_HELP}.")
        if period.label in out:
            raise CampaignRejected(f"The period {period.label} is listed twice.")
        out.append(period.label)
    if not out:
        raise CampaignRejected(f"Give at least one period: {PERIOD_HELP}.")
    return out


def normalise_dimensions(values: Iterable[str]) -> list[str]:
    out = []
    for raw in values:
        name = raw.strip().lower()
        if not name:
            continue
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise CampaignRejected(
                f"{raw!r} is not a dimension name: use lower-case letters, digits and _."
            )
        if name not in out:
            out.append(name)
    return out or list(DEFAULT_DIMENSIONS)


def _check_vocabularies(vocabularies: Mapping, dimensions: Sequence[str]) -> dict:
    if not isinstance(vocabularies, Mapping):
        raise CampaignRejected("Vocabularies must be an object: {dimension: [categories]}.")
    for dimension, categories in vocabularies.items():
        if dimension not in dimensions:
            raise CampaignRejected(
                f"The vocabulary for {dimension!r} names a dimension the campaign does not ask."
            )
        if not isinstance(categories, list | Mapping):
            raise CampaignRejected(
                f"The vocabulary for {dimension!r} must be a list of categories "
                "or an object {category: [spellings]}."
            )
        if isinstance(categories, Mapping) and "bands" in categories:
            try:
                parse_bands(categories["bands"])
            except BandsRejected as exc:
                raise CampaignRejected(f"The vocabulary for {dimension!r}: {exc}") from exc
    return dict(vocabularies)


def _check_forces(forces: Iterable[Force] | None) -> list[Force]:
    targets = list(forces) if forces is not None else list(Force.objects.territorial())
    if not targets:
        raise CampaignRejected("Choose at least one force.")
    inactive = [f.pk for f in targets if not f.active]
    if inactive:
        raise CampaignRejected(f"These forces are not active: {', '.join(inactive)}.")
    return targets


@transaction.atomic
def create_campaign(
    *,
    slug: str,
    title: str,
    periods: Sequence[str],
    dimensions: Sequence[str] = DEFAULT_DIMENSIONS,
    description: str = "",
    template: str = "",
    vocabularies: Mapping | None = None,
    forces: Iterable[Force] | None = None,
    owner=None,
    series: str = "",
    previous: Campaign | None = None,
    team: Team | None = None,
    schema: Mapping | QuestionSchema | None = None,
) -> Campaign:
    """The campaign and one draft request per force (default: the 43 territorial forces).

    ``team`` owns it; left out, the owner's only team (see ``team_for_new_campaign``).
    ``schema`` is its question; its periods give way to ``periods`` when those are
    given. Without one, the question is built from ``periods``, ``dimensions`` and
    ``vocabularies`` as before.
    """
    title = title.strip()
    if not title:
        raise CampaignRejected("Give the campaign a title.")
    if not slug or slugify(slug) != slug:
        raise CampaignRejected(
            f"{slug!r} is not a slug: use lower-case letters, digits and hyphens "
            f"(e.g. {slugify(title) or 'my-campaign'})."
        )
    if slug in RESERVED_SLUGS:
        raise CampaignRejected(f"{slug!r} is a word the site uses; choose another slug.")
    if Campaign.objects.filter(slug=slug).exists():
        raise CampaignRejected(f"A campaign with the slug {slug!r} already exists.")
    errors = template_problems(template or DEFAULT_TEMPLATE)
    if errors:
        raise CampaignRejected(" ".join(errors))
    if schema is not None:
        question = _checked_schema(schema)
        if periods:
            question = _with_periods(question, normalise_periods(periods))
        if not question.periods:
            raise CampaignRejected("Give at least one period (in the schema or as --periods).")
        vocabularies = {}
    else:
        dimensions = normalise_dimensions(dimensions)
        vocabularies = _check_vocabularies(vocabularies or {}, dimensions)
        question = _legacy_schema(normalise_periods(periods), dimensions, vocabularies)
    if team is None:
        try:
            team = team_for_new_campaign(user=owner)
        except TeamRejected as exc:
            raise CampaignRejected(str(exc)) from exc
    campaign = Campaign.objects.create(
        team=team,
        slug=slug,
        title=title,
        description=description,
        template=template,
        periods=list(question.periods),
        dimensions=question.dimension_names,
        vocabularies=vocabularies,
        schema=question.to_data(),
        series=series,
        previous=previous,
        owner=acting_user(owner),
    )
    for force in _check_forces(forces):
        add_force(campaign=campaign, force=force, user=owner)
    return campaign


def _checked_schema(schema: Mapping | QuestionSchema) -> QuestionSchema:
    try:
        return parse_schema(schema.to_data() if isinstance(schema, QuestionSchema) else schema)
    except SchemaError as exc:
        raise CampaignRejected(f"The schema is not valid: {exc}") from exc


def _legacy_schema(periods, dimensions, vocabularies) -> QuestionSchema:
    """The question built from periods, dimension names and vocabularies, checked."""
    try:
        return _checked_schema(schema_from_legacy(periods, dimensions, vocabularies))
    except SchemaError as exc:
        raise CampaignRejected(f"The question is not valid: {exc}") from exc


def _with_periods(question: QuestionSchema, periods: Sequence[str]) -> QuestionSchema:
    try:
        return question.with_periods(periods)
    except SchemaError as exc:
        raise CampaignRejected(f"The schema is not valid: {exc}") from exc


@transaction.atomic
def change_question(
    *, campaign: Campaign, schema: Mapping | QuestionSchema, user=None, reason: str = ""
) -> Campaign:
    """Replace the campaign's question; its periods and dimensions follow it.

    The previous version stays in the campaign's history (with ``reason``); the
    version number goes up. Figures already read are not touched: reading the
    replies again (``reread_campaign``) applies the new question to them.
    """
    question = _checked_schema(schema)
    if not question.periods:
        raise CampaignRejected("Give at least one period.")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if question.to_data() == campaign.schema:
        return campaign
    campaign.schema = question.to_data()
    campaign.periods = list(question.periods)
    campaign.dimensions = question.dimension_names
    campaign.schema_version += 1
    campaign._change_reason = reason or f"question changed to version {campaign.schema_version}"
    if acting_user(user) is not None:
        campaign._history_user = acting_user(user)
    campaign.save(update_fields=["schema", "periods", "dimensions", "schema_version"])
    return campaign


def add_force(*, campaign: Campaign, force: Force, user=None) -> FoiRequest:
    request = create_request(
        force=force, campaign=campaign, subject=campaign.title, body="", user=user
    )
    request.body = render_text(
        campaign.template, campaign=campaign, force=force, reference=request.reference
    )
    request.save(update_fields=["body"])
    return request


# -- next year's campaign ---------------------------------------------------


@dataclass(frozen=True)
class NextYear:
    """What "run again next year" would create: shown before and used by ``repeat_campaign``."""

    slug: str
    title: str
    periods: list[str]
    force_ids: list[str]


def _shift_labels(labels: Sequence[str], years: int) -> dict[str, str]:
    shifted = {}
    for label in labels:
        period = parse_period_label(label)
        if period is None:
            raise CampaignRejected(f"The campaign's period {label!r} cannot be moved on.")
        shifted[label] = period.shifted(years).label
    return shifted


def _replace_labels(text: str, mapping: Mapping[str, str]) -> str:
    """Every old label in ``text`` replaced by its new one, in one pass (no double shifts)."""
    if not text or not mapping:
        return text
    pattern = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    return re.sub(rf"(?<![\d-])(?:{pattern})(?![\d])", lambda m: mapping[m.group(0)], text)


_YEARS_IN_SLUG = re.compile(r"(?<!\d)(\d{4})(?:-(\d{2}))?(?!\d)")


def _bump_slug_years(slug: str, years: int) -> str:
    def bump(m: re.Match) -> str:
        year = int(m.group(1)) + years
        if m.group(2) is not None and (int(m.group(1)) + 1) % 100 == int(m.group(2)):
            return f"{year}-{(year + 1) % 100:02d}"
        return str(year) + (f"-{m.group(2)}" if m.group(2) is not None else "")

    return _YEARS_IN_SLUG.sub(bump, slug)


def _free_slug(base: str) -> str:
    base = base[:74]
    slug, n = base, 2
    while Campaign.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def years_past_last(labels: Sequence[str]) -> int:
    """The fewest whole years that move every period past the last one asked.

    A campaign that asked for 2022-23 and 2023-24 runs again for 2024-25 and
    2025-26 (two years on), never for 2023-24 again.
    """
    periods = [parse_period_label(label) for label in labels]
    if not periods or any(p is None for p in periods):
        return 1
    last = max(p.end for p in periods)
    years = 1
    while min(p.shifted(years).start for p in periods) <= last:
        years += 1
    return years


def next_year(campaign: Campaign, *, years: int | None = None) -> NextYear:
    """The slug, title, periods and forces a repeat of ``campaign`` would get.

    ``years`` defaults to moving every period past the campaign's last one.
    """
    years = years or years_past_last(campaign.periods)
    mapping = _shift_labels(campaign.periods, years)
    periods = [mapping[p] for p in campaign.periods]
    slug = _bump_slug_years(campaign.slug, years)
    if slug == campaign.slug:
        slug = f"{campaign.slug}-{slugify(periods[0])}" if periods else f"{campaign.slug}-next"
    title = _replace_labels(campaign.title, mapping)
    if title == campaign.title:
        title = f"{campaign.title} ({', '.join(periods)})"
    force_ids = list(
        campaign.requests.filter(force__active=True)
        .order_by("force__name")
        .values_list("force_id", flat=True)
    )
    return NextYear(slug=_free_slug(slug), title=title, periods=periods, force_ids=force_ids)


@transaction.atomic
def repeat_campaign(*, campaign: Campaign, owner=None, years: int | None = None) -> Campaign:
    """Copy ``campaign`` with its periods moved past its last one, to the same (active) forces."""
    years = years or years_past_last(campaign.periods)
    plan = next_year(campaign, years=years)
    mapping = _shift_labels(campaign.periods, years)
    series = campaign.series or campaign.slug
    if not campaign.series:
        campaign.series = series
        campaign.save(update_fields=["series"])
    created = create_campaign(
        slug=plan.slug,
        title=plan.title,
        periods=plan.periods,
        schema=question_of(campaign),
        description=_replace_labels(campaign.description, mapping),
        template=_replace_labels(campaign.template, mapping),
        forces=Force.objects.filter(pk__in=plan.force_ids),
        owner=acting_user(owner) or campaign.owner,
        series=series,
        previous=campaign,
        team=campaign.team,
    )
    created.shared_with.set(campaign.shared_with.all())
    if campaign.chaser_stages:
        created.chaser_stages = campaign.chaser_stages
        created.save(update_fields=["chaser_stages"])
    return created
