from django.urls import path

from .views import account as account_views
from .views import calendars as calendar_views
from .views import campaigns as campaign_views
from .views import chaser_wording as wording_views
from .views import forces as force_views
from .views import overdue as overdue_views
from .views import requests as views
from .views import search as search_views

urlpatterns = [
    path("requests/", views.request_list, name="request-list"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("campaigns/", campaign_views.campaign_list, name="campaign-list"),
    path("campaigns/new/", campaign_views.campaign_create, name="campaign-create"),
    path("campaigns/preview/", campaign_views.campaign_preview, name="campaign-preview"),
    path("campaigns/<slug:slug>/", campaign_views.campaign_board, name="campaign-board"),
    path(
        "campaigns/<slug:slug>/board.csv",
        campaign_views.campaign_board_csv,
        name="campaign-board-csv",
    ),
    path("campaigns/<slug:slug>/send/", campaign_views.campaign_send, name="campaign-send"),
    path(
        "campaigns/<slug:slug>/send/progress/",
        campaign_views.campaign_send_progress,
        name="campaign-send-progress",
    ),
    path(
        "campaigns/<slug:slug>/send/<int:outbound_id>/retry/",
        campaign_views.campaign_outbound,
        {"action": "retry"},
        name="campaign-outbound-retry",
    ),
    path(
        "campaigns/<slug:slug>/send/<int:outbound_id>/confirm/",
        campaign_views.campaign_outbound,
        {"action": "confirm"},
        name="campaign-outbound-confirm",
    ),
    path(
        "campaigns/<slug:slug>/mark-sent/",
        campaign_views.campaign_mark_sent,
        name="campaign-mark-sent",
    ),
    path("campaigns/<slug:slug>/repeat/", campaign_views.campaign_repeat, name="campaign-repeat"),
    path("campaigns/<slug:slug>/chasers/", wording_views.chaser_wording, name="campaign-chasers"),
    path("overdue/", overdue_views.overdue_board, name="overdue-board"),
    path("overdue/action/", overdue_views.overdue_action, name="overdue-action"),
    path("overdue/league/", overdue_views.league_table, name="overdue-league"),
    path("forces/", views.force_list, name="force-list"),
    path("forces/contacts.csv", force_views.forces_export, name="forces-export"),
    path("forces/import/", force_views.forces_import, name="forces-import"),
    path("forces/<slug:pk>/", views.force_detail, name="force-detail"),
    path("forces/<slug:pk>/edit/", force_views.force_edit, name="force-edit"),
    path("search/", search_views.search, name="search"),
    path("account/api-token/", account_views.api_token, name="api-token"),
    path("calendars/", calendar_views.calendar_list, name="calendar-list"),
    path("calendars/new/", calendar_views.calendar_create, name="calendar-create"),
    path("calendars/<int:pk>/revoke/", calendar_views.calendar_revoke, name="calendar-revoke"),
    path("calendars/<str:token>.ics", calendar_views.calendar_feed, name="calendar-feed"),
]
