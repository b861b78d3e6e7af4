"""Load the demo: logins, the 43-force campaign, its replies read and reviewed, release 1.

It lives in responses_app because it uses both apps' demo services
(responses_app depends on requests_app, never the other way round).
"""

from django.core.management.base import BaseCommand

from requests_app.domain.explain import plural
from responses_app.models import Figure, Reply
from responses_app.services.demo import load_demo


class Command(BaseCommand):
    help = (
        "Create the demo logins and a 43-force campaign at varied stages, with ten forces' "
        "replies read into figures, most approved and published as release 1 (idempotent)."
    )

    def handle(self, *args, **options):
        campaign = load_demo()
        figures = Figure.objects.filter(campaign=campaign)
        releases = campaign.releases.count()
        self.stdout.write(
            f"Demo campaign: {campaign.title} ({campaign.requests.count()} requests, "
            f"{Reply.objects.filter(request__campaign=campaign).count()} replies read, "
            f"{figures.published().count()} figures approved, "
            f"{figures.pending().count()} waiting for review, "
            f"{plural(releases, 'release')})"
        )
