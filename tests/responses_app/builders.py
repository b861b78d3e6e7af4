"""Build a force's answer to a campaign as figures, the way a reply would hold them."""

from __future__ import annotations

from requests_app.models import Campaign, Force
from responses_app.models import Figure
from tests.factories import CampaignRequestFactory, FigureFactory, ReplyFactory

APPROVED = Figure.Status.APPROVED


def force(force_id: str) -> Force:
    return Force.objects.get(pk=force_id)


def _figure(campaign, f, period, dimension, category, value, status, reply, source):
    kwargs = {}
    if isinstance(value, tuple):
        kwargs = {"value": None, "suppressed": True, "lower": value[0], "upper": value[1]}
    else:
        kwargs = {"value": value}
    return FigureFactory(
        campaign=campaign,
        force=f,
        request=reply.request,
        reply=reply,
        period=period,
        dimension=dimension,
        category=category,
        status=status,
        source=source,
        **kwargs,
    )


def answer(
    campaign: Campaign,
    force_id: str,
    period: str = "2019-20",
    *,
    total: int | tuple[int, int] | None = None,
    status: str = APPROVED,
    reply=None,
    outcome: str = "full",
    **breakdowns: dict,
) -> list[Figure]:
    """Figures of one force for one period: ``total=57, platform={"Instagram": 20, ...}``.

    A value given as ``(lower, upper)`` is a suppressed figure with those bounds.
    """
    f = force(force_id)
    if reply is None:
        request = CampaignRequestFactory(campaign=campaign, force=f, outcome=outcome)
        reply = request.replies.order_by("-pk").first() or ReplyFactory(
            request=request, outcome=outcome
        )
    out = []
    row = 2
    if total is not None:
        source = f"{force_id}.csv Sheet1!B{row}"
        out.append(_figure(campaign, f, period, "total", "all", total, status, reply, source))
    for dimension, values in breakdowns.items():
        for category, value in values.items():
            row += 1
            source = f"{force_id}.csv Sheet1!B{row}"
            out.append(
                _figure(campaign, f, period, dimension, category, value, status, reply, source)
            )
    return out
