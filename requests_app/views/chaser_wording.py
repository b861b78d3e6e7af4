"""A campaign's chaser wording, edited in a form with a preview (coordinators of the campaign)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from requests_app.chaser_forms import ChaserWordingForm
from requests_app.domain.chasers import ChaserStage, PolicyError
from requests_app.models import Role
from requests_app.permissions import campaign_or_404
from requests_app.services import chaser_wording as wording
from requests_app.services.state import today


def chaser_wording(request, slug: str):
    """GET: the stages and their previews. POST: preview the edits, save them, or reset."""
    campaign = campaign_or_404(request.user, Role.COORDINATOR, slug=slug)
    action = request.POST.get("action", "preview")
    if request.method == "POST" and action == "reset":
        wording.reset_wording(campaign=campaign)
        messages.success(request, "The campaign's chasers use the standard wording again.")
        return redirect("campaign-chasers", slug=slug)
    try:
        policy = wording.policy_of(campaign)
    except PolicyError as exc:  # broken in the admin: start again from the standard
        messages.error(request, f"The stored wording cannot be used ({exc}); showing the standard.")
        policy = wording.default_policy()
    form = ChaserWordingForm(request.POST or None, policy=policy)
    problems: list[str] = []
    stages = list(policy.stages)
    if request.method == "POST":
        entries = form.entries() if form.is_valid() else []
        if form.is_valid():
            stages = [
                ChaserStage(e["stage"], e["offset"], e["subject"], e["body"]) for e in entries
            ]
            try:
                checked = wording.check_wording(entries)
            except wording.WordingRejected as exc:
                problems = exc.problems
            else:
                stages = list(checked.stages)  # with the standard text where left blank
                if action == "save":
                    wording.save_wording(campaign=campaign, entries=entries)
                    messages.success(request, "Chaser wording saved: the next sweep uses it.")
                    return redirect("campaign-chasers", slug=slug)
    try:
        previews = wording.preview(campaign=campaign, stages=stages, today=today())
    except wording.WordingRejected as exc:
        previews, problems = [], problems + exc.problems
    context = {
        "campaign": campaign,
        "form": form,
        "previews": previews,
        "problems": problems,
        "custom": bool(campaign.chaser_stages),
    }
    status = 400 if request.method == "POST" and (form.errors or problems) else 200
    return render(request, "requests_app/chaser_wording.html", context, status=status)
