"""Load the demo campaign and logins (idempotent)."""

from django.core.management.base import BaseCommand

from requests_app.services.demo import load_demo


class Command(BaseCommand):
    help = "Create the demo logins and a 43-force campaign at varied stages."

    def handle(self, *args, **options):
        campaign = load_demo()
        self.stdout.write(f"Demo campaign: {campaign.title} ({campaign.requests.count()} requests)")
