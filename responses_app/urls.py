"""Pages for review, the dataset and releases; included from foitracker/urls.py."""

from django.urls import path

from .views import (
    dataset,
    events,
    holding_pen,
    home,
    mapping,
    question,
    releases,
    reply_progress,
    review,
    uploads,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("campaigns/<slug:slug>/question/", question.edit_question, name="campaign-question"),
    path("requests/<int:pk>/events/", events.add_event, name="request-add-event"),
    path("review/", review.review_queue, name="review-queue"),
    path("review/approve/", review.bulk_approve, name="review-bulk-approve"),
    path("review/figures/<int:pk>/", review.figure_detail, name="review-figure"),
    path("review/figures/<int:pk>/approve/", review.approve, name="review-approve"),
    path("review/figures/<int:pk>/reject/", review.reject, name="review-reject"),
    path("review/figures/<int:pk>/correct/", review.correct, name="review-correct"),
    path("dataset/", dataset.dataset_index, name="dataset-index"),
    path("dataset/series/<slug:slug>/", dataset.dataset_series, name="dataset-series"),
    path(
        "dataset/series/<slug:slug>/export.<str:fmt>",
        dataset.export_series,
        name="dataset-series-export",
    ),
    path(
        "dataset/series/<slug:slug>/releases/",
        releases.create_series_release,
        name="series-release-create",
    ),
    path("dataset/<slug:slug>/", dataset.dataset_campaign, name="dataset-campaign"),
    path(
        "dataset/<slug:slug>/export.<str:fmt>",
        dataset.export_campaign,
        name="dataset-export",
    ),
    path(
        "dataset/<slug:slug>/releases/",
        releases.create_campaign_release,
        name="release-create",
    ),
    path("releases/<int:pk>/", releases.release_detail, name="release-detail"),
    path("releases/jobs/<int:pk>/", releases.release_job, name="release-job"),
    path("releases/jobs/<int:pk>/status/", releases.release_job_status, name="release-job-status"),
    path("replies/<int:pk>/map/", mapping.map_reply, name="reply-map"),
    path("requests/<int:pk>/figures/enter/", mapping.enter_figures, name="enter-figures"),
    # Replies by upload and by email (issue 7)
    path("requests/<int:pk>/replies/upload/", uploads.upload, name="reply-upload"),
    path("documents/<int:pk>/download/", uploads.download, name="document-download"),
    path("documents/<int:pk>/read-again/", uploads.read_again, name="document-read-again"),
    path("replies/<int:pk>/progress/", reply_progress.reply_progress, name="reply-progress"),
    path("inbound/", holding_pen.holding_pen, name="holding-pen"),
    path("inbound/<int:pk>/", holding_pen.message_detail, name="inbound-message"),
    path("inbound/<int:pk>/raw/", holding_pen.raw_message, name="inbound-raw"),
    path("inbound/<int:pk>/assign/", holding_pen.assign, name="inbound-assign"),
    path("inbound/<int:pk>/reject/", holding_pen.reject, name="inbound-reject"),
]
