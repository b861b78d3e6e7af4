"""The Forces page's editing: contacts one force at a time, or a CSV of them. Coordinators only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from requests_app.domain.explain import plural
from requests_app.force_forms import ContactForm, ContactsImportForm
from requests_app.models import Force
from requests_app.permissions import can_manage_forces
from requests_app.services import forces as services
from requests_app.services.state import today


def _coordinator(user) -> None:
    if not can_manage_forces(user):
        raise PermissionDenied("Only a coordinator (of any team) can change the forces' contacts.")


def force_edit(request, pk: str):
    _coordinator(request.user)
    force = get_object_or_404(Force, pk=pk)
    # The form validates on a copy; the service applies the rules (a new address has not bounced).
    form = ContactForm(
        request.POST or None,
        instance=Force.objects.get(pk=pk),
        initial={"contact_checked_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        services.update_contact(force, checked_on=None, **form.cleaned_data)
        messages.success(request, f"{force.name}'s contacts saved.")
        return redirect("force-detail", pk=force.pk)
    context = {"force": force, "form": form}
    status = 400 if form.is_bound else 200
    return render(request, "requests_app/force_edit.html", context, status=status)


def forces_export(request):
    response = HttpResponse(services.export_contacts(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="force-contacts.csv"'
    return response


@require_POST
def forces_import(request):
    _coordinator(request.user)
    form = ContactsImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("force-list")
    try:
        report = services.import_contacts(form.cleaned_data["file"], today=today())
    except services.ImportRejected as exc:
        messages.error(request, f"Nothing was imported: {plural(len(exc.problems), 'problem')}.")
        for problem in exc.problems[:50]:
            messages.error(request, problem)
        return redirect("force-list")
    messages.success(
        request,
        f"Updated {plural(len(report.changed), 'force')}; {report.unchanged} already up to date.",
    )
    return redirect("force-list")
