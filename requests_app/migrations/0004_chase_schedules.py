"""Register the chasers' periodic tasks with django-celery-beat (editable in the admin).

Idempotent: a schedule that already exists (perhaps edited by an administrator)
is left as it is; running the migration again creates nothing twice. The
schedules are not in settings.CELERY_BEAT_SCHEDULE because django-celery-beat
copies that dict over the database at every start of beat, undoing admin edits.
"""

import json

from django.db import migrations
from django.utils import timezone

TZ = "Europe/London"
MON_FRI = "1-5"
CRONTABS = {
    # name: (task, minute, hour, day_of_week, description)
    "chase-sweep": (
        "requests_app.chase_sweep",
        "0",
        "7",
        MON_FRI,
        "Chasers to forces and reminders to researchers (working days only; the task "
        "checks bank holidays).",
    ),
    "daily-digest": (
        "requests_app.daily_digest",
        "30",
        "7",
        MON_FRI,
        "Each researcher's digest of what needs them today (working days only).",
    ),
    "refresh-states": (
        "requests_app.refresh_states",
        "0",
        "2",
        "*",
        "Move every unfinished request's stored status on to today.",
    ),
}
INTERVALS = {
    # name: (task, every minutes, description)
    "outbox-flush": (
        "requests_app.flush_outbox",
        10,
        "Re-queue outbox rows whose task was lost or whose worker died.",
    ),
}


def register(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, (task, minute, hour, days, description) in CRONTABS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week=days,
            day_of_month="*",
            month_of_year="*",
            timezone=TZ,
        )
        PeriodicTask.objects.create(
            name=name, task=task, crontab=crontab, kwargs=json.dumps({}), description=description
        )
    for name, (task, minutes, description) in INTERVALS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        interval, _ = IntervalSchedule.objects.get_or_create(every=minutes, period="minutes")
        PeriodicTask.objects.create(
            name=name, task=task, interval=interval, kwargs=json.dumps({}), description=description
        )
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[*CRONTABS, *INTERVALS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0003_outbox_and_chaser_policy"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
