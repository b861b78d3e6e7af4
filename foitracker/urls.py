from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from foitracker.health import health

# Unknown paths and bad requests under /api/ answer JSON; pages keep Django's pages.
handler400 = "foitracker.api_errors.bad_request"
handler404 = "foitracker.api_errors.page_not_found"
handler500 = "foitracker.api_errors.server_error"


def favicon(request):
    """The icon's URL is worked out when asked (in production it carries the file's hash)."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", login_not_required(health), name="health"),
    # Browsers ask for /favicon.ico whatever the page says; it is the same public icon.
    path("favicon.ico", login_not_required(favicon), name="favicon"),
    path("admin/", admin.site.urls),
    # The schema answers API clients with a token too (SERVE_PERMISSIONS: logged in);
    # the docs page is for browsers, and its script is a file, not inline (CSP).
    path("api/schema/", login_not_required(SpectacularAPIView.as_view()), name="api-schema"),
    # A logged-out browser is sent to the login page, like every other page.
    path(
        "api/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/", include("requests_app.api.urls")),
    path("api/", include("responses_app.api.urls")),
    path("", include("requests_app.urls")),
    path("", include("responses_app.urls")),
]
