"""The beat schedule lives in the database (django-celery-beat), registered by a migration."""

import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django_celery_beat.models import PeriodicTask

from foitracker.celery import app as celery_app

pytestmark = pytest.mark.django_db
migration = importlib.import_module("requests_app.migrations.0004_chase_schedules")


def test_the_chase_sweep_runs_at_seven_on_weekdays_london_time():
    task = PeriodicTask.objects.get(name="chase-sweep")
    cron = task.crontab
    assert task.task == "requests_app.chase_sweep" and task.enabled
    assert (cron.minute, cron.hour, cron.day_of_week) == ("0", "7", "1-5")
    assert str(cron.timezone) == "Europe/London"
    assert json.loads(task.kwargs) == {}
    names = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"requests_app.daily_digest", "requests_app.refresh_states"} <= names
    assert "requests_app.flush_outbox" in names


def test_every_scheduled_task_is_a_registered_celery_task():
    celery_app.loader.import_default_modules()
    for name in PeriodicTask.objects.values_list("task", flat=True):
        assert name in celery_app.tasks, name


def test_registering_again_creates_nothing_and_keeps_an_administrators_edit():
    task = PeriodicTask.objects.get(name="chase-sweep")
    task.crontab.hour = "6"
    task.crontab.save()
    before = PeriodicTask.objects.count()
    migration.register(apps, None)
    migration.register(apps, None)
    assert PeriodicTask.objects.count() == before
    assert PeriodicTask.objects.get(name="chase-sweep").crontab.hour == "6"


def test_settings_do_not_overwrite_the_database_schedule():
    # django-celery-beat copies CELERY_BEAT_SCHEDULE over the database at each start.
    assert settings.CELERY_BEAT_SCHEDULE == {}
