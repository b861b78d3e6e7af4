"""Load the forces table (requests_app/data/forces.csv): 43 territorial forces plus others."""

import csv
from pathlib import Path

from django.db import migrations

FORCES_CSV = Path(__file__).resolve().parent.parent / "data" / "forces.csv"


def load(apps, schema_editor):
    Force = apps.get_model("requests_app", "Force")
    with FORCES_CSV.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            Force.objects.update_or_create(
                id=row["id"],
                defaults={
                    "name": row["name"],
                    "nation": row["nation"],
                    "regime": row["regime"],
                    "ons_code": row["ons_code"],
                    "territorial_england_wales": row["territorial_england_wales"] == "yes",
                    "active": True,
                },
            )


def unload(apps, schema_editor):
    Force = apps.get_model("requests_app", "Force")
    with FORCES_CSV.open(encoding="utf-8", newline="") as fh:
        ids = [row["id"] for row in csv.DictReader(fh)]
    Force.objects.filter(id__in=ids, requests__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
