"""Register the inbound mail poll with django-celery-beat (editable in the admin).

Same pattern as requests_app 0004_chase_schedules: idempotent, a schedule that
already exists (perhaps edited by an administrator) is left as it is, and
nothing goes in settings.CELERY_BEAT_SCHEDULE (beat would copy it over the
database at every start, undoing admin edits).
"""

import json

from django.db import migrations
from django.utils import timezone

INTERVALS = {
    # name: (task, every minutes, description)
    "mail-poll": (
        "responses_app.poll_mailboxes",
        5,
        "Fetch replies from the IMAP mailbox (IMAP_URL) and the Maildir (MAILDIR_PATH).",
    ),
    "stale-replies": (
        "responses_app.fail_stale_replies",
        30,
        "Mark as failed the reply files whose reading never finished (a worker was killed).",
    ),
}


def register(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
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
    PeriodicTask.objects.filter(name__in=list(INTERVALS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("responses_app", "0004_inbound"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
