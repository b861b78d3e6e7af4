"""Edit a campaign's question after it was created, with a warning when figures exist.

Changing the question does not change figures already read: the page says how many
there are and offers to read the campaign's replies again under the new question.
A sample reply file can be read under the question as edited, before it is saved.
"""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render

from requests_app.domain.explain import plural
from requests_app.models import Role
from requests_app.permissions import campaign_or_404
from requests_app.question_forms import (
    DimensionFormSet,
    QuestionForm,
    checked_schema,
    initial_from_schema,
)
from requests_app.selectors.questions import question_of
from requests_app.services.campaigns import CampaignRejected, change_question
from responses_app.domain.readers import ReadError
from responses_app.domain.readers.base import human_size
from responses_app.models import Document, Figure
from responses_app.services.arrivals import read_again
from responses_app.services.downloads import FileGone
from responses_app.services.sample import preview_sample
from responses_app.tasks import queue_reading


def edit_question(request, slug: str):
    campaign = campaign_or_404(request.user, Role.RESEARCHER, slug=slug)
    question = question_of(campaign)
    figures = Figure.objects.filter(campaign=campaign).count()
    initial, rows = initial_from_schema(question)
    bound = request.POST or None
    question_form = QuestionForm(bound, prefix="q", initial=initial)
    dimension_forms = DimensionFormSet(bound, request.FILES or None, prefix="dim", initial=rows)
    preview, sample_error = None, ""
    previewing = request.POST.get("action") == "preview_sample"
    if request.method == "POST" and question_form.is_valid() and dimension_forms.is_valid():
        schema = checked_schema(question_form, dimension_forms, list(question.periods))
        if schema is not None and previewing:
            preview, sample_error = _preview(request.FILES.get("sample"), schema)
        elif schema is not None:
            try:
                campaign = change_question(
                    campaign=campaign,
                    schema=schema,
                    user=request.user,
                    reason=request.POST.get("reason", "").strip(),
                )
            except CampaignRejected as exc:
                question_form.add_error(None, str(exc))
            else:
                text = f"Question saved (version {campaign.schema_version})."
                if request.POST.get("reread"):
                    text += " " + _read_again(campaign, request.user)
                messages.success(request, text)
                return redirect("campaign-board", slug=campaign.slug)
    warning = ""
    if figures:
        warning = (
            f"This campaign already has {plural(figures, 'figure')}. Changing the question does "
            "not change them: tick 'Read the replies again' to read every reply under the new "
            "question (figures already reviewed are read afresh and reviewed again)."
        )
    status = 400 if request.method == "POST" and preview is None else 200
    return render(
        request,
        "responses_app/question_form.html",
        {
            "campaign": campaign,
            "question_form": question_form,
            "dimension_forms": dimension_forms,
            "question_warning": warning,
            "figures": figures,
            "preview": preview,
            "sample_error": sample_error,
            "previewing": previewing,
        },
        status=status,
    )


def _preview(upload, schema):
    """(the sample's preview, "") or (None, what is wrong with the sample)."""
    if upload is None:
        return None, "Choose a sample reply file to preview."
    if upload.size > settings.MAX_DOCUMENT_BYTES:
        limit = human_size(settings.MAX_DOCUMENT_BYTES)
        return None, f"could not read {upload.name}: it is larger than the {limit} limit"
    try:
        return preview_sample(data=upload.read(), filename=upload.name, spec=schema.spec()), ""
    except ReadError as exc:
        return None, exc.message


def _read_again(campaign, user) -> str:
    queued, gone = 0, 0
    for document in Document.objects.filter(
        request__campaign=campaign, replies__isnull=False
    ).distinct():
        try:
            read_again(document=document, dispatch=queue_reading, user=user)
            queued += 1
        except FileGone:
            gone += 1
    text = f"{plural(queued, 'reply file')} queued to be read again."
    if gone:
        text += f" {plural(gone, 'file')} no longer kept (retention) could not be."
    return text
