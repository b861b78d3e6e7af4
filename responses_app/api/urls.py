"""API routes for figures, findings, releases and the dataset; included at api/.

A separate SimpleRouter (no second API root). Like requests_app's API, the
views authenticate themselves and answer 401/403 in JSON, so they are exempt
from the site's LoginRequiredMiddleware.
"""

from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("figures", views.FigureViewSet, basename="api-figure")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("releases", views.ReleaseViewSet, basename="api-release")
router.register("datasets", views.DatasetViewSet, basename="api-dataset")
router.register("series", views.SeriesViewSet, basename="api-series")

urlpatterns = router.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)
