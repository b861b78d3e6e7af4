"""API routes, included from foitracker/urls.py at api/.

The API authenticates itself (session or token) and answers 401/403 in JSON,
so its views are exempt from the site's LoginRequiredMiddleware, which would
otherwise redirect a token-authenticated client to the login page.
"""

from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("campaigns", views.CampaignViewSet, basename="api-campaign")
router.register("requests", views.RequestViewSet, basename="api-request")
router.register("events", views.EventViewSet, basename="api-event")
router.register("forces", views.ForceViewSet, basename="api-force")

urlpatterns = router.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)
