"""The user's own API token: see it, create (or replace) it, revoke it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from requests_app.services.tokens import new_token, revoke_token, token_of


def api_token(request):
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            new_token(request.user)
            messages.success(
                request, "A new API token was created; any earlier one no longer works."
            )
        elif action == "revoke":
            if revoke_token(request.user):
                messages.success(request, "Your API token was revoked: clients using it get 401.")
            else:
                messages.error(request, "You had no API token to revoke.")
        else:
            messages.error(request, "Choose to create or revoke the token.")
        return redirect("api-token")
    context = {
        "token": token_of(request.user),
        "docs_url": reverse("api-docs"),
        "base_url": request.build_absolute_uri("/").rstrip("/"),
    }
    return render(request, "account/api_token.html", context)
