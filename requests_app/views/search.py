"""The site search page. Thin: the selector reads, this picks the page or the request."""

from django.shortcuts import redirect, render

from requests_app.selectors import search as selectors
from requests_app.services.state import today


def search(request):
    """Forces, requests and campaigns matching ``?q=``; a request's exact reference opens it."""
    term = selectors.clean_term(request.GET.get("q"))
    results = selectors.search(user=request.user, term=term, today=today())
    if results.exact is not None:
        return redirect("request-detail", pk=results.exact.pk)
    return render(request, "requests_app/search.html", {"results": results, "term": term})
