from django.apps import AppConfig


class ResponsesAppConfig(AppConfig):
    name = "responses_app"
    verbose_name = "Replies and figures"

    def ready(self) -> None:
        # The campaign board (requests app) shows each request's figures; this app reads them.
        from requests_app.selectors.campaigns import read_figures_with

        from .selectors.board import figure_states

        read_figures_with(figure_states)
