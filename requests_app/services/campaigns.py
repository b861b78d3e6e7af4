"""Create campaigns: one request text, personalised per force, one request each."""

from collections.abc import Iterable, Sequence

from django.db import transaction

from requests_app.models import Campaign, FoiRequest, Force

from .requests import create_request

DEFAULT_TEMPLATE = """Dear Freedom of Information Officer,

Under the Freedom of Information Act 2000, please provide the following
information held by {force_name}.

{question}

Please quote our reference {reference} in your reply.

Yours faithfully,
Research team"""


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_text(template: str, *, campaign: Campaign, force: Force, reference: str) -> str:
    """Fill the placeholders; unknown ones are left as written rather than failing."""
    values = _Blank(
        force_name=force.name,
        force_id=force.pk,
        reference=reference,
        periods=", ".join(campaign.periods),
        title=campaign.title,
        question=campaign.description,
    )
    return (template or DEFAULT_TEMPLATE).format_map(values)


@transaction.atomic
def create_campaign(
    *,
    slug: str,
    title: str,
    periods: Sequence[str],
    dimensions: Sequence[str] = ("total", "platform", "age"),
    description: str = "",
    template: str = "",
    forces: Iterable[Force] | None = None,
    owner=None,
) -> Campaign:
    campaign = Campaign.objects.create(
        slug=slug,
        title=title,
        description=description,
        template=template,
        periods=list(periods),
        dimensions=list(dimensions),
        owner=owner if getattr(owner, "is_authenticated", False) else None,
    )
    targets = list(forces) if forces is not None else list(Force.objects.territorial())
    for force in targets:
        add_force(campaign=campaign, force=force, user=owner)
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
