"""The mapping screen and the data-entry grid: a person finishes what the machine could not.

Plain HTML forms (``static/js/mapping.js`` only adds conveniences); the
services in ``responses_app.services.mapping`` do every write.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from requests_app.models import FoiRequest, Role
from requests_app.permissions import request_or_404, require
from responses_app.domain.extraction.mapped import layout_fingerprint, table_rows
from responses_app.domain.extraction.suggest import suggest_mapping
from responses_app.domain.extraction.typed import FORM
from responses_app.models import Reply
from responses_app.selectors import mapping as selectors
from responses_app.services import mapping as services
from responses_app.services.validation import campaign_spec

from .grid_form import grid_blocks, typed_cells
from .mapping_screen import (
    SHOWN_ROWS,
    first_table_with_numbers,
    mapping_from_post,
    screen,
    summaries,
    table_name,
    with_reader_choices,
)

TABLES_PER_PAGE = 10
ACTIONS = ("preview", "apply", "save")


def _int(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _start(reply: Reply, document, spec, table: int | None, axis: str | None) -> dict:
    """The mapping the screen opens with: the reply's own, else a guess from the table."""
    own = reply.mapping if isinstance(reply.mapping, dict) else {}
    if table is None:
        table = _int(own.get("table"))
    if table is None or not 0 <= table < len(document.tables):
        table = first_table_with_numbers(document)
    if (own.get("periods") or own.get("table_period")) and _int(own.get("table")) == table:
        if axis in (None, own.get("period_axis")):
            return own
    chosen = document.tables[table]
    rows, _ = table_rows(chosen, SHOWN_ROWS)
    titles = [chosen.title, *chosen.context]
    guess = suggest_mapping(rows, spec, table=table, axis=axis, titles=titles)
    read = [(f.source, f.period, f.dimension, f.category) for f in reply.figures.all()]
    return with_reader_choices(guess, chosen, document.source, read, spec)


def map_reply(request, pk: int):
    try:
        reply = selectors.reply_for_mapping(pk)
    except Reply.DoesNotExist:
        return render(request, "404.html", status=404)
    require(request.user, reply.request, Role.RESEARCHER)
    context = {"reply": reply, "foi": reply.request, "errors": [], "preview": None}
    if reply.request.campaign is None:
        context["errors"] = ["the request belongs to no campaign: there is nothing to map to"]
        return render(request, "responses_app/mapping.html", context, status=400)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("apply", "save"):
        done, context["errors"] = _apply(request, reply, action)
        if done is not None:
            return done
    try:
        document = services.read_reply(reply)
    except (services.ReadError, services.MappingRefused) as exc:
        context["unreadable"] = str(exc)
        return render(request, "responses_app/mapping.html", context)
    if not document.tables:
        context["unreadable"] = (
            f"{reply.document.name} holds no table to map: enter its figures by hand"
        )
        return render(request, "responses_app/mapping.html", context)
    spec = campaign_spec(reply.request.campaign)
    if request.method == "POST":
        mapping = mapping_from_post(request.POST)
        table = _int(mapping["table"], 0)
        if not 0 <= table < len(document.tables):
            table = 0
        if action == "preview":
            try:
                _, context["preview"] = services.preview_mapping(
                    reply=reply, mapping=mapping, document=document
                )
            except services.MappingError as exc:
                context["errors"] = exc.problems
    else:
        table = _int(request.GET.get("table"))
        mapping = _start(reply, document, spec, table, request.GET.get("axis"))
        table = _int(mapping.get("table"), 0)
    page = Paginator(range(len(document.tables)), TABLES_PER_PAGE).get_page(
        request.GET.get("tables_page") or (table // TABLES_PER_PAGE + 1)
    )
    chosen = document.tables[table]
    context.update(
        {
            "tables": summaries(document, list(page.object_list)),
            "tables_page": page,
            "table_count": len(document.tables),
            "screen": screen(document, table, spec, mapping),
            "table_name": table_name(chosen, table),
            "saved": selectors.saved_layout(reply=reply, layout=layout_fingerprint(chosen)),
        }
    )
    status = 400 if context["errors"] else 200
    return render(request, "responses_app/mapping.html", context, status=status)


def _apply(request, reply: Reply, action: str):
    """Apply (and save) the posted mapping: (a redirect, []) when done, (None, problems) if not."""
    mapping = mapping_from_post(request.POST)
    try:
        services.apply_mapping(
            reply=reply,
            mapping=mapping,
            user=request.user,
            save=action == "save",
            discard_reviewed=bool(request.POST.get("discard_reviewed")),
            remember=bool(request.POST.get("remember")),
        )
    except services.MappingError as exc:
        return None, exc.problems
    except (services.MappingRefused, services.ReadError) as exc:
        return None, [str(exc)]
    reply.refresh_from_db()
    count = reply.figures.count()
    text = f"The mapping was applied: {count} figure(s) read."
    if action == "save":
        text += (
            f" Saved for {reply.request.force.name}: its next reply in this layout "
            "will be read the same way."
        )
    messages.success(request, text)
    url = reverse("reply-map", args=[reply.pk])
    query = urlencode({"table": _int(mapping["table"], 0), "axis": mapping["period_axis"]})
    return redirect(f"{url}?{query}"), []


def enter_figures(request, pk: int):
    """The grid: periods by categories for each dimension, for prose and scanned replies."""
    request_or_404(request.user, Role.RESEARCHER, pk=pk)
    try:
        foi = selectors.request_for_grid(pk)
    except FoiRequest.DoesNotExist:
        return render(request, "404.html", status=404)
    context = {"foi": foi, "errors": {}, "form_error": ""}
    if foi.campaign is None:
        context["form_error"] = "this request belongs to no campaign: no figures are asked"
        return render(request, "responses_app/grid.html", context, status=400)
    data = request.POST if request.method == "POST" else request.GET
    reply = None
    reply_id = _int(data.get("reply"))
    if reply_id is not None:
        reply = foi.replies.filter(pk=reply_id).select_related("document").first()
    documents = list(foi.documents.all())
    spec = campaign_spec(foi.campaign)
    if request.method == "POST":
        document = next((d for d in documents if str(d.pk) == data.get("document")), None)
        try:
            saved = services.enter_figures(
                request=foi,
                rows=typed_cells(spec, data),
                user=request.user,
                document=document,
                reply=reply,
                discard_reviewed=bool(data.get("discard_reviewed")),
            )
        except services.GridError as exc:
            context["errors"] = exc.errors
            context["form_error"] = exc.errors.get(FORM, "")
        except services.MappingRefused as exc:
            context["form_error"] = str(exc)
        else:
            count = saved.figures.count()
            messages.success(request, f"{count} figure(s) entered by hand.")
            return redirect("request-detail", pk=foi.pk)
    posted = data if request.method == "POST" else {}
    chosen = data.get("document") or (reply.document_id if reply and reply.document_id else "")
    context.update(
        {
            "reply": reply,
            "documents": documents,
            "chosen_document": str(chosen),
            "blocks": grid_blocks(spec, posted, context["errors"]),
            "source": posted.get("source", ""),
            "has_periods": bool(spec.periods),
        }
    )
    failed = request.method == "POST"
    return render(request, "responses_app/grid.html", context, status=400 if failed else 200)
