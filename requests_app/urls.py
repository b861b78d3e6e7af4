from django.urls import path

from .views import requests as views

urlpatterns = [
    path("", views.home, name="home"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/events/", views.add_event, name="request-add-event"),
    path("forces/", views.force_list, name="force-list"),
    path("forces/<slug:pk>/", views.force_detail, name="force-detail"),
]
