"""Where a form goes back to: the page's own ``next``, only when it is an address on this site."""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def local_next(request, default: str) -> str:
    """``POST["next"]`` when it is a path on this host, else ``default``.

    Only a path is taken (``/...``): anything else, a view name, ``{0}``, ``%s`` or
    10,000 characters of text, would otherwise be looked up as a URL name and fail.
    """
    target = request.POST.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def back(request, default: str) -> HttpResponseRedirect:
    return HttpResponseRedirect(local_next(request, default))
