"""Campaign pages: list, create with preview, board, send, log as sent, next year. Thin."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from requests_app.campaign_forms import BulkSentForm, CampaignForm, DateForm, MarkSentForm
from requests_app.domain.board import PHASE_LABELS, Phase
from requests_app.domain.explain import plural
from requests_app.domain.lifecycle import EventRejected
from requests_app.models import Campaign, Force, OutboundMessage, Role
from requests_app.permissions import (
    campaign_or_404,
    can_coordinate,
    can_create_campaign,
    can_edit,
    can_manage_forces,
    editable_teams,
    visible_campaigns,
)
from requests_app.question_forms import DimensionFormSet, QuestionForm, checked_schema
from requests_app.selectors import campaigns as selectors
from requests_app.selectors.send_progress import send_progress
from requests_app.services import campaigns as services
from requests_app.services.logging_sent import (
    BulkRejected,
    mark_sent,
    mark_sent_from_csv,
)
from requests_app.services.sending import (
    SendRejected,
    confirm_delivered,
    preflight,
    retry_failed,
)
from requests_app.services.state import today
from requests_app.tasks import queue_campaign_send


def campaign_list(request):
    campaigns = visible_campaigns(request.user, selectors.campaign_list())
    return render(
        request,
        "requests_app/campaign_list.html",
        {"campaigns": campaigns, "can_create": can_create_campaign(request.user)},
    )


def _preview(form: CampaignForm) -> tuple[str, str]:
    """(text, error) of the preview for the chosen force, from the form's raw data.

    The force is the one its field accepts (an id no force has, or one holding a NUL
    that PostgreSQL would refuse to look up, gives the first force).
    """
    data = form.data
    form.is_valid()
    force = form.cleaned_data.get("preview_force") or Force.objects.territorial().first()
    if force is None:
        return "", "There are no forces to preview for."
    try:
        periods = services.normalise_periods(data.get("periods", "").split(","))
    except services.CampaignRejected:
        periods = [p.strip() for p in data.get("periods", "").split(",") if p.strip()]
    try:
        text = services.preview_text(
            force=force,
            template=data.get("template", ""),
            slug=data.get("slug", "") or slugify(data.get("title", "")) or "SLUG",
            title=data.get("title", ""),
            description=data.get("description", ""),
            periods=periods,
        )
    except services.CampaignRejected as exc:
        return "", str(exc)
    return text, ""


def _question_given(question: QuestionForm, dimensions: DimensionFormSet) -> bool:
    """Whether the Question section says anything (else the Dimensions field is used)."""
    if question.cleaned_data.get("schema_json") is not None:
        return True
    if not dimensions.is_bound:
        return False
    rows = [f.cleaned_data for f in dimensions.forms if f.cleaned_data]
    return any(r.get("name") or r.get("kind") for r in rows)


def campaign_create(request):
    if not can_create_campaign(request.user):
        raise PermissionDenied("Creating a campaign needs the researcher role in a team.")
    form = CampaignForm(request.POST or None, teams=editable_teams(request.user))
    bound = request.POST or None
    question_form = QuestionForm(bound, prefix="q")
    # a client that posts no Question section (an older form, a script) still creates
    sent = bound if bound and "dim-TOTAL_FORMS" in bound else None
    dimension_forms = DimensionFormSet(sent, request.FILES or None, prefix="dim")
    preview, preview_error = ("", "")
    if request.method == "POST":
        preview, preview_error = _preview(form)
        dimensions_ok = dimension_forms.is_valid() if dimension_forms.is_bound else True
        valid = all([form.is_valid(), question_form.is_valid(), dimensions_ok])
        schema = None
        if valid and _question_given(question_form, dimension_forms):
            schema = checked_schema(question_form, dimension_forms, form.cleaned_data["periods"])
            valid = schema is not None
        if request.POST.get("action") != "preview" and valid:
            data = form.cleaned_data
            try:
                campaign = services.create_campaign(
                    slug=data["slug"],
                    title=data["title"],
                    description=data["description"],
                    template=data["template"],
                    periods=data["periods"],
                    dimensions=data["dimensions"],
                    vocabularies=data["vocabularies"],
                    forces=data["forces"],
                    owner=request.user,
                    team=data.get("team"),
                    schema=schema,
                )
            except services.CampaignRejected as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Campaign created with {campaign.requests.count()} draft requests."
                )
                return redirect("campaign-board", slug=campaign.slug)
    errors = form.errors or question_form.errors
    errors = errors or (dimension_forms.is_bound and any(dimension_forms.errors))
    status = 400 if form.is_bound and errors and request.POST.get("action") != "preview" else 200
    return render(
        request,
        "requests_app/campaign_form.html",
        {
            "form": form,
            "question_form": question_form,
            "dimension_forms": dimension_forms,
            "preview": preview,
            "preview_error": preview_error,
            "placeholders": services.PLACEHOLDERS,
        },
        status=status,
    )


@require_GET
def campaign_preview(request):
    """The preview as JSON, for static/js/campaign_preview.js (the page works without it)."""
    form = CampaignForm(request.GET)
    text, error = _preview(form)
    return JsonResponse({"text": text, "error": error})


def _board(request, campaign: Campaign):
    return selectors.campaign_board(
        campaign,
        today=today(),
        phase=request.GET.get("phase", ""),
        q=request.GET.get("q", ""),
        sort=request.GET.get("sort", "force"),
    )


def campaign_board(request, slug: str):
    campaign = campaign_or_404(request.user, slug=slug)
    board = _board(request, campaign)
    editor = can_edit(request.user, campaign)
    try:
        plan = services.next_year(campaign)
    except services.CampaignRejected:
        plan = None
    sort = request.GET.get("sort", "force")
    return render(
        request,
        "requests_app/campaign_board.html",
        {
            "campaign": campaign,
            "can_edit": editor,
            "can_coordinate": can_coordinate(request.user, campaign),
            "board": board,
            "send": send_progress(campaign) if editor else None,
            "plan": plan,
            "phases": [(p.value, PHASE_LABELS[p]) for p in Phase],
            "sort": sort,
            "headers": [
                (label, key, f"-{key}" if sort == key else key)
                for key, label in selectors.SORT_LABELS.items()
            ],
            "query": request.GET.urlencode(),
        },
    )


def campaign_board_csv(request, slug: str):
    campaign = campaign_or_404(request.user, slug=slug)
    response = HttpResponse(
        selectors.board_csv(_board(request, campaign)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-board.csv"'
    return response


def campaign_send(request, slug: str):
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    report = preflight(campaign)
    if request.method == "POST":
        if not report.by_email:
            messages.error(request, "There is nothing to email.")
            return redirect("campaign-send", slug=slug)
        queue_campaign_send(campaign_id=campaign.pk, user_id=request.user.pk)
        messages.success(
            request,
            f"Sending {plural(len(report.by_email), 'request')} by email: "
            "the board shows how it goes.",
        )
        return redirect(reverse("campaign-board", args=[slug]) + "#send-h")
    return render(
        request,
        "requests_app/campaign_send.html",
        {
            "campaign": campaign,
            "report": report,
            "date_form": DateForm(initial={"on": today()}),
            "rate": settings.SEND_RATE_PER_MINUTE,
            "may_edit_forces": can_manage_forces(request.user),
        },
    )


@never_cache
@require_GET
def campaign_send_progress(request, slug: str):
    """The send's progress as JSON, polled by static/js/progress.js on the board."""
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    return JsonResponse(send_progress(campaign).as_dict())


@require_POST
def campaign_outbound(request, slug: str, outbound_id: int, action: str):
    """A person's decision about an email that needs attention: send again, or it did go."""
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    if not OutboundMessage.objects.filter(pk=outbound_id, request__campaign=campaign).exists():
        raise Http404("No such email in this campaign.")
    try:
        if action == "retry":
            retry_failed(outbound_id=outbound_id)
            messages.success(request, "Released: the next send will email it again.")
        else:
            form = DateForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Give the date it was sent (YYYY-MM-DD).")
                return redirect("campaign-send", slug=campaign.slug)
            confirm_delivered(
                outbound_id=outbound_id, on=form.cleaned_data["on"], user=request.user
            )
            messages.success(request, "Recorded as sent.")
    except (SendRejected, EventRejected) as exc:
        messages.error(request, str(exc))
    return redirect("campaign-send", slug=campaign.slug)


def campaign_mark_sent(request, slug: str):
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    one = MarkSentForm(campaign=campaign, initial={"on": today()})
    bulk = BulkSentForm()
    bulk_errors: list[str] = []
    status = 200
    if request.method == "POST" and request.POST.get("form") == "bulk":
        bulk = BulkSentForm(request.POST, request.FILES)
        if bulk.is_valid():
            try:
                events = mark_sent_from_csv(
                    campaign=campaign,
                    text=bulk.cleaned_data["text"],
                    channel=bulk.cleaned_data["channel"],
                    user=request.user,
                )
            except (BulkRejected, EventRejected) as exc:
                bulk_errors = getattr(exc, "errors", [str(exc)])
            else:
                messages.success(request, f"{plural(len(events), 'request')} recorded as sent.")
                return redirect("campaign-board", slug=slug)
        status = 400
    elif request.method == "POST":
        one = MarkSentForm(request.POST, campaign=campaign)
        if one.is_valid():
            data = one.cleaned_data
            try:
                mark_sent(
                    request=data["request"],
                    on=data["on"],
                    channel=data["channel"],
                    reference=data["reference"],
                    user=request.user,
                )
            except EventRejected as exc:
                one.add_error(None, str(exc))
            else:
                messages.success(request, f"{data['request'].force.name}: recorded as sent.")
                return redirect("campaign-mark-sent", slug=slug)
        status = 400
    return render(
        request,
        "requests_app/campaign_mark_sent.html",
        {
            "campaign": campaign,
            "one": one,
            "bulk": bulk,
            "bulk_errors": bulk_errors,
            "portal_only": preflight(campaign).via_portal,
        },
        status=status,
    )


@require_POST
def campaign_repeat(request, slug: str):
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    try:
        created = services.repeat_campaign(campaign=campaign, owner=request.user)
    except services.CampaignRejected as exc:
        messages.error(request, str(exc))
        return redirect("campaign-board", slug=slug)
    messages.success(
        request,
        f"Created {created.title} for {', '.join(created.periods)} "
        f"with {created.requests.count()} draft requests.",
    )
    return redirect("campaign-board", slug=created.slug)
