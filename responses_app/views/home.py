"""The home page: what needs the user today, and the charts (drawn in the page from JSON).

It reads requests, replies and figures alike, so it lives in the replies app,
which may read the requests app (never the other way round).
"""

from django.shortcuts import render

from requests_app.services.state import today
from responses_app.selectors import dashboard

from .charts import HOME_BREAKDOWNS, chart_data, response_time_chart


def home(request):
    board = dashboard.home(request.user, today=today())
    charts = {"response_times": response_time_chart(board.response_times)}
    if board.figures is not None:
        shown = {"trend", "coverage", *board.figures.dimensions()[:HOME_BREAKDOWNS]}
        charts.update({k: v for k, v in chart_data(board.figures).items() if k in shown})
    return render(request, "requests_app/home.html", {"home": board, "charts": charts})
