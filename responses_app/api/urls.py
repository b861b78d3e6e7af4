"""API routes for figures, findings, releases, the dataset, reply files, inbound mail and
the exports' listing; included at api/.

A separate SimpleRouter (no second API root). Like requests_app's API, the
views authenticate themselves and answer 401/403 in JSON, so they are exempt
from the site's LoginRequiredMiddleware.
"""

from django.contrib.auth.decorators import login_not_required
from rest_framework.routers import SimpleRouter

from . import documents, exports, inbound, views

router = SimpleRouter()
router.register("figures", views.FigureViewSet, basename="api-figure")
router.register("findings", views.FindingViewSet, basename="api-finding")
router.register("releases", views.ReleaseViewSet, basename="api-release")
router.register("datasets", views.DatasetViewSet, basename="api-dataset")
router.register("series", views.SeriesViewSet, basename="api-series")
router.register("documents", documents.DocumentViewSet, basename="api-document")
router.register("inbound", inbound.InboundMessageViewSet, basename="api-inbound")
router.register("exports", exports.ExportViewSet, basename="api-export")

urlpatterns = router.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)
